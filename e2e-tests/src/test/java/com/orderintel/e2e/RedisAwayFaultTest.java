package com.orderintel.e2e;

import com.orderintel.testkit.OpenAiLoopback;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.registry.FileSystemModelStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.orderintel.e2e.FaultInfra.READY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault 4: Redis (the suite's own instance) shut down while the service answers {@code /api/v1/enrich} with the LLM
 * embedding cache on, then started again. The service must keep answering (a cache error is a miss: the provider
 * answers at once: commands are rejected while disconnected, not held for the 500 ms command timeout), with no 5xx
 * and readiness unaffected, and use the cache again once Redis is back.
 */
@Tag("faults")
class RedisAwayFaultTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int REQUESTS = 100;

    @TempDir
    Path work;

    @Test
    void enrichmentKeepsAnsweringWithoutItsCache() throws Exception {
        Path registry = work.resolve("registry");
        FixtureModels.publish(FileSystemModelStore.at(registry), "v1", "production");
        try (OpenAiLoopback llm = new OpenAiLoopback()) {
            Map<String, String> env = new HashMap<>(Map.of("MODEL_URI_ANOMALY", "file://" + registry + "/order-anomaly@production",
                    "SPRING_CLOUD_VAULT_ENABLED", "false",
                    "ADVISOR_LLM_PROVIDER", "openai", "ADVISOR_LLM_OPENAI_BASE_URL", llm.baseUrl(),
                    "ADVISOR_LLM_OPENAI_API_KEY", "sk-loopback", "ADVISOR_LLM_CACHE_ENABLED", "true",
                    "ADVISOR_LLM_RATE_LIMIT", "100000",
                    "SPRING_DATA_REDIS_HOST", "127.0.0.1", "SPRING_DATA_REDIS_PORT", String.valueOf(FaultInfra.redisPort())));
            // every enrichment is 2 provider calls: lift the LLM budget (60/min by default) out of this test's way
            env.put("ADVISOR_LLM_BUDGET_REQUESTS_PER_MINUTE", "100000");
            env.put("ADVISOR_LLM_BUDGET_TOKENS_PER_MINUTE", "100000000");
            try (Processes.Service service = new Processes.Service("redis-away", env, work)) {
                service.awaitReady(READY);
                // warm: the second round of the same texts comes from the cache
                Round cold = round(service, "before", 50);
                Round warm = round(service, "before", 50);
                assertThat(cold.sources).as("first look-ups").containsOnly("provider");
                assertThat(warm.sources).as("second look-ups, Redis up").containsOnly("cache");

                FaultInfra.inject("redis-stop");
                Round away = round(service, "before", REQUESTS); // cached before, now unreachable
                int readyDuringOutage = Processes.get(service.url("/actuator/health/readiness")).statusCode();
                double cacheErrors = Processes.scrape(service.metrics(), "advisor_llm_cache_requests_total", "result=\"error\"");

                FaultInfra.inject("redis-start");
                long back = System.nanoTime();
                Round afterFirst;
                Round afterSecond;
                int attempt = 0;
                do { // the client reconnects on its own: bounded wait until a text is served from the cache again
                    String prefix = "after-" + attempt++;
                    afterFirst = round(service, prefix, 1);
                    afterSecond = round(service, prefix, 1);
                } while (!afterSecond.sources.contains("cache") && attempt < 60 && sleep(500));
                double recoveredSeconds = (System.nanoTime() - back) / 1e9;

                Map<String, Object> f = FaultInfra.figures();
                f.put("requests_during_outage", away.statuses.size());
                f.put("non_200", away.statuses.stream().filter(s -> s != 200).count());
                f.put("5xx", away.statuses.stream().filter(s -> s >= 500).count());
                f.put("answered_by", String.join("|", away.sources.stream().distinct().sorted().toList()));
                f.put("p50_ms_before", warm.percentile(50));
                f.put("p50_ms_outage", away.percentile(50));
                f.put("max_ms_outage", away.percentile(100));
                f.put("cache_errors_counted", (long) cacheErrors);
                f.put("readiness_during_outage", readyDuringOutage);
                f.put("cache_hit_again_after_s", String.format("%.1f", recoveredSeconds));
                FaultInfra.report("redis-away-llm-cache", f);

                assertThat(away.statuses).as("statuses while Redis was away").containsOnly(200);
                assertThat(away.sources).as("the provider answers cache misses").containsOnly("provider");
                assertThat(cacheErrors).as("advisor_llm_cache_requests_total{result=error}").isGreaterThanOrEqualTo(REQUESTS);
                assertThat(away.percentile(50)).as("median enrichment ms while Redis was away (a miss, not a wait)")
                        .isLessThan(400);
                assertThat(readyDuringOutage).as("readiness does not depend on the cache").isEqualTo(200);
                assertThat(afterSecond.sources).as("the cache serves again after Redis returned").containsOnly("cache");
                assertThat(afterFirst.statuses).containsOnly(200);
            }
        }
    }

    private static boolean sleep(long ms) throws InterruptedException {
        Thread.sleep(ms);
        return true;
    }

    /** Statuses, embedding sources and latencies of {@code n} enrichments of texts {@code prefix-0..n-1}. */
    private record Round(List<Integer> statuses, List<String> sources, List<Long> millis) {
        long percentile(int p) {
            List<Long> sorted = new ArrayList<>(millis);
            Collections.sort(sorted);
            return sorted.get(Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
        }
    }

    private static Round round(Processes.Service service, String prefix, int n) throws Exception {
        Round r = new Round(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> res = Processes.postJson(service.url("/api/v1/enrich"),
                    "{\"text\":\"fault suite note " + prefix + "-" + i + ": please leave the parcel at the side door\"}");
            r.millis.add((System.nanoTime() - t0) / 1_000_000);
            r.statuses.add(res.statusCode());
            if (res.statusCode() == 200) {
                JsonNode body = JSON.readTree(res.body());
                r.sources.add(body.get("source").asText());
            }
        }
        return r;
    }
}
