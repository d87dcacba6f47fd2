package com.orderintel.advisor.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.advisor.support.TrainedModels;
import com.orderintel.batch.BatchInference;
import com.orderintel.registry.ModelLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/v1/runs} and the last-success gauge against the real PostgreSQL, in a database made for this class. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "advisor.events.enabled=false", "spring.cloud.vault.enabled=false", "advisor.models.load-attempts=1"})
@AutoConfigureObservability
class RunsEndpointTest {

    private static final String DB = "advisor_runs_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private static final String ADMIN = "jdbc:postgresql://127.0.0.1:5432/postgres";
    private static final TrainedModels MODELS = TrainedModels.create();

    static {
        try (Connection c = DriverManager.getConnection(ADMIN, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + DB);
        } catch (Exception e) {
            throw new IllegalStateException("PostgreSQL on 127.0.0.1:5432 is needed: " + e.getMessage(), e);
        }
    }

    @Autowired
    TestRestTemplate http;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("spring.datasource.url", () -> "jdbc:postgresql://127.0.0.1:5432/" + DB);
        r.add("spring.datasource.username", () -> "postgres");
        r.add("advisor.models.anomaly-uri", () -> MODELS.anomalyUri);
    }

    @AfterAll
    static void drop() throws Exception {
        try (Connection c = DriverManager.getConnection(ADMIN, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
        }
    }

    @Test
    void listsRunsNewestFirstAndExportsTheLastSuccess() throws Exception {
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setURL("jdbc:postgresql://127.0.0.1:5432/" + DB);
        ds.setUser("postgres");
        BatchInference batch = new BatchInference(ds, new PrintWriter(new StringWriter()));
        var model = ModelLoader.load(MODELS.anomalyUri);
        batch.run(new BatchInference.Job(model, MODELS.dir.resolve("orders.csv"), null, "run-a", 1000, BatchInference.OnBadRow.FAIL));
        batch.run(new BatchInference.Job(model, MODELS.dir.resolve("orders.csv"), null, "run-b", 1000, BatchInference.OnBadRow.FAIL));

        ResponseEntity<String> r = http.getForEntity("/api/v1/runs?limit=5", String.class);
        assertThat(r.getStatusCode().value()).isEqualTo(200);
        JsonNode runs = new ObjectMapper().readTree(r.getBody());
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0).get("run_id").asText()).isEqualTo("run-b");
        assertThat(runs.get(0).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(runs.get(0).get("rows_written").asLong()).isEqualTo(MODELS.orderRows.size());
        assertThat(runs.get(0).get("model_version").asText()).isEqualTo("v1");

        ResponseEntity<String> bad = http.getForEntity("/api/v1/runs?limit=0", String.class);
        assertThat(bad.getStatusCode().value()).isEqualTo(400);
        assertThat(bad.getBody()).contains("limit must be between 1 and 500");

        String metrics = http.getForObject("/actuator/prometheus", String.class);
        String line = metrics.lines().filter(l -> l.startsWith("advisor_batch_last_success_timestamp_seconds")).findFirst().orElseThrow();
        double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        assertThat(value).isBetween(System.currentTimeMillis() / 1000.0 - 600, System.currentTimeMillis() / 1000.0 + 5);
    }
}
