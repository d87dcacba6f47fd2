package com.orderintel.advisor.batch;

import com.orderintel.batch.RunHistory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ProblemDetail;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** Batch run history, newest first: {@code GET /api/v1/runs?limit=20}. */
@RestController
@RequestMapping("/api/v1/runs")
@ConditionalOnProperty(name = "spring.datasource.url")
public class RunsController {

    private final DataSource dataSource;

    public RunsController(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @GetMapping
    public ResponseEntity<?> runs(@RequestParam(defaultValue = "20") int limit) {
        if (limit < 1 || limit > 500) {
            ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "limit must be between 1 and 500");
            p.setProperty("field", "limit");
            return ResponseEntity.badRequest().body(p);
        }
        try (Connection c = dataSource.getConnection()) {
            List<RunHistory.Run> runs = RunHistory.recent(c, limit);
            return ResponseEntity.ok(runs);
        } catch (SQLException e) {
            ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                    "run history is unavailable: " + e.getMessage().lines().findFirst().orElse("database error"));
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(p);
        }
    }
}
