package com.orderintel.advisor.llm;

import com.orderintel.testkit.OpenAiLoopback;
import com.orderintel.advisor.support.PrometheusText;
import com.orderintel.advisor.support.ServingTestBase;
import com.orderintel.testkit.ThrowawayDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The attack suite: one anonymous batch of 300 orders with notes, through the whole service (REST scoring, the
 * capture path's note features, PostgreSQL). Before the budget every note was one provider call; now the provider
 * ({@link OpenAiLoopback}, OpenAI wire format on loopback: no real provider exists here) receives at most the
 * budget's requests per minute, the offline rules answer the rest, and the metrics show the refusals.
 */
@Tag("attack")
class NoteFeaturesBudgetBatchAttackTest extends ServingTestBase {

    private static final int BUDGET = 20;
    private static final ThrowawayDatabase DB = new ThrowawayDatabase("advisor_llm_budget");
    private static final OpenAiLoopback PROVIDER = start();

    @LocalServerPort
    int port;

    private static OpenAiLoopback start() {
        try {
            OpenAiLoopback p = new OpenAiLoopback();
            p.chatContent = "{\"sentiment\": \"negative\", \"category\": \"delivery\"}";
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry r) {
        r.add("spring.datasource.url", DB::url);
        r.add("spring.datasource.username", () -> "postgres");
        r.add("advisor.capture.flush-interval", () -> "50ms");
        r.add("advisor.llm.provider", () -> "openai");
        r.add("advisor.llm.openai.base-url", PROVIDER::baseUrl);
        r.add("advisor.llm.openai.api-key", () -> "sk-loopback-budget");
        r.add("advisor.llm.budget.requests-per-minute", () -> BUDGET);
    }

    @AfterAll
    static void stop() {
        PROVIDER.close();
        DB.close();
    }

    @Test
    void threeHundredNotesInOneAnonymousBatchAreBoundedByTheBudget() throws Exception {
        awaitReady();
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            items.append(i == 0 ? "" : ",").append("{\"order_id\":\"budget-").append(i)
                    .append("\",\"avg_processing_ms\":300,\"item_count\":2,\"payment_score\":0.9,")
                    .append("\"note\":\"Parcel ").append(i).append(" arrived late and wet. Terrible courier.\"}");
        }
        long start = System.nanoTime();
        HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/anomaly/batch"))
                .header("Content-Type", "application/json")   // no Authorization: anonymous, as scoring is public
                .POST(HttpRequest.BodyPublishers.ofString("{\"items\":[" + items + "]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                assertThat(DB.count("SELECT count(*) FROM order_note_enrichments WHERE order_id LIKE 'budget-%'")).isEqualTo(300));
        double seconds = (System.nanoTime() - start) / 1e9;
        int calls = PROVIDER.calls("chat");
        // the bucket starts full (20) and refills 20 per minute, smoothly
        assertThat(calls).isGreaterThanOrEqualTo(BUDGET).isLessThanOrEqualTo(BUDGET + (int) Math.ceil(seconds * BUDGET / 60));
        assertThat(DB.count("SELECT count(*) FROM order_note_enrichments WHERE order_id LIKE 'budget-%' "
                + "AND feature_source = 'provider'")).isEqualTo(calls);
        assertThat(DB.count("SELECT count(*) FROM order_note_enrichments WHERE order_id LIKE 'budget-%' "
                + "AND feature_source = 'fallback' AND model = 'offline-rules-v1' AND prompt_version = 'v2'")).isEqualTo(300 - calls);

        PrometheusText metrics = PrometheusText.parse(http.getForObject("/actuator/prometheus", String.class));
        assertThat(metrics.value("advisor_llm_budget_refused_total", "operation", "chat", "limit", "requests_per_minute"))
                .isEqualTo(300 - calls);
        assertThat(metrics.value("advisor_llm_fallbacks_total", "operation", "note_features", "reason", "budget"))
                .isEqualTo(300 - calls);
        assertThat(metrics.value("advisor_llm_budget_spent_today", "kind", "requests")).isEqualTo(calls);
        assertThat(metrics.value("advisor_llm_budget_remaining", "limit", "requests_per_minute")).isLessThan(BUDGET);
        System.out.printf("attack suite: 300 notes in %.1f s -> %d provider calls, %d offline%n", seconds, calls, 300 - calls);
    }
}
