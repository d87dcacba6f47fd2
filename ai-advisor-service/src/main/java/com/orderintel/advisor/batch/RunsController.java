package com.orderintel.advisor.batch;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.orderintel.advisor.web.AdvisorApi;
import com.orderintel.advisor.web.ApiProblemException;
import com.orderintel.advisor.web.InvalidInputException;
import com.orderintel.batch.RunHistory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** Batch run history, newest first: {@code GET /api/v1/runs?limit=20}. */
@RestController
@AdvisorApi
@RequestMapping(path = "/api/v1/runs", produces = "application/json")
@ConditionalOnProperty(name = "spring.datasource.url")
@Tag(name = "batch", description = "Batch inference runs written to PostgreSQL")
public class RunsController {

    private final DataSource dataSource;

    public RunsController(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @GetMapping
    @Operation(summary = "Recent batch runs (CLI and scheduled), newest first")
    public List<RunView> runs(@RequestParam(defaultValue = "20") int limit) {
        if (limit < 1 || limit > 500) {
            throw new InvalidInputException("limit", "must be between 1 and 500");
        }
        try (Connection c = dataSource.getConnection()) {
            return RunHistory.recent(c, limit).stream().map(RunView::of).toList();
        } catch (SQLException e) {
            throw new HistoryUnavailableException(e);
        }
    }

    /** One run as the API shows it (snake_case like every other body). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RunView(String runId, String task, String modelName, String modelVersion, String modelCommit,
                          String input, String status, long rowsRead, long rowsWritten, long rowsSkipped,
                          int chunksCommitted, long lastLine, Instant startedAt, Instant finishedAt, String error) {
        static RunView of(RunHistory.Run r) {
            return new RunView(r.runId(), r.task(), r.modelName(), r.modelVersion(), r.modelCommit(), r.input(), r.status(),
                    r.rowsRead(), r.rowsWritten(), r.rowsSkipped(), r.chunksCommitted(), r.lastLine(), r.startedAt(),
                    r.finishedAt(), r.error());
        }
    }

    /** The database did not answer: 503, the message's first line only. */
    static final class HistoryUnavailableException extends ApiProblemException {
        HistoryUnavailableException(SQLException e) {
            super(HttpStatus.SERVICE_UNAVAILABLE, "run-history-unavailable", "Run history unavailable",
                    "run history is unavailable: " + String.valueOf(e.getMessage()).lines().findFirst().orElse("database error"), e);
        }
    }
}
