package com.orderintel.advisor.batch;

import com.orderintel.advisor.support.Credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.advisor.support.TestDatabases;
import com.orderintel.testkit.ThrowawayDatabase;
import com.orderintel.advisor.support.TrainedModels;
import com.orderintel.batch.BatchInference;
import com.orderintel.registry.ModelLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/v1/runs} and the last-success gauge against the real PostgreSQL, in a database made for this class. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "advisor.events.enabled=false", "spring.cloud.vault.enabled=false", "advisor.models.load-attempts=1",
        Credentials.READ_TOKEN_PROPERTY})
@AutoConfigureObservability
class RunsEndpointTest {

    @RegisterExtension
    static final ThrowawayDatabase DB = new ThrowawayDatabase("advisor_runs");
    private static final TrainedModels MODELS = TrainedModels.create();

    @Autowired
    TestRestTemplate http;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        TestDatabases.datasource(r, DB);
        r.add("advisor.models.anomaly-uri", () -> MODELS.anomalyUri);
    }

    @Test
    void listsRunsNewestFirstAndExportsTheLastSuccess() throws Exception {
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setURL(DB.url());
        ds.setUser("postgres");
        BatchInference batch = new BatchInference(ds, new PrintWriter(new StringWriter()));
        var model = ModelLoader.load(MODELS.anomalyUri);
        batch.run(new BatchInference.Job(model, MODELS.dir.resolve("orders.csv"), null, "run-a", 1000, BatchInference.OnBadRow.FAIL));
        batch.run(new BatchInference.Job(model, MODELS.dir.resolve("orders.csv"), null, "run-b", 1000, BatchInference.OnBadRow.FAIL));

        // run history needs role read: none -> 401, the read token -> 200
        assertThat(http.getForEntity("/api/v1/runs?limit=5", String.class).getStatusCode().value()).isEqualTo(401);
        http.getRestTemplate().getInterceptors().add((req, body, ex) -> {
            req.getHeaders().setBearerAuth(Credentials.READ_TOKEN);
            return ex.execute(req, body);
        });
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
        JsonNode problem = new ObjectMapper().readTree(bad.getBody());
        assertThat(problem.get("field").asText()).isEqualTo("limit");
        assertThat(problem.get("detail").asText()).isEqualTo("limit: must be between 1 and 500");

        String metrics = http.getForObject("/actuator/prometheus", String.class);
        String line = metrics.lines().filter(l -> l.startsWith("advisor_batch_last_success_timestamp_seconds")).findFirst().orElseThrow();
        double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        assertThat(value).isBetween(System.currentTimeMillis() / 1000.0 - 600, System.currentTimeMillis() / 1000.0 + 5);
    }
}
