package com.orderintel.e2e;

import com.orderintel.registry.FileSystemModelStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static com.orderintel.e2e.FaultInfra.READY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attack A on the real jar with the heap the security review used (256 MB) and capture on: 300 batch requests of 10
 * orders with 100,000-character order ids (about 1 MB each, under the body limit), then ordinary orders. Before the
 * identifier rule each was scored (200) and its ids kept in the 100,000-slot prediction ring and the capture buffer:
 * 226 such requests took a 256 MB heap down. Now each is a 400 before anything keeps the ids; the service stays
 * live and ready, and the ordinary orders after them are all captured.
 */
@Tag("faults")
@Tag("attack")
class LongOrderIdHeapFaultTest {

    static final String HUGE = "H".repeat(99_999);

    @TempDir
    Path work;

    @Test
    void longOrderIdsDoNotTakeASmallHeapDown() throws Exception {
        Path registry = work.resolve("registry");
        FixtureModels.publish(FileSystemModelStore.at(registry), "v1", "production");
        String db = FaultInfra.createDatabase("faults_long_ids_");
        Map<String, String> env = Map.of("MODEL_URI_ANOMALY", "file://" + registry + "/order-anomaly@production",
                "SPRING_CLOUD_VAULT_ENABLED", "false", "SPRING_DATASOURCE_URL", FaultInfra.jdbcUrl(db),
                "SPRING_DATASOURCE_USERNAME", "postgres");
        StringBuilder batch = new StringBuilder("{\"items\":[");
        for (int i = 0; i < 10; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"order_id\":\"").append((char) ('a' + i)).append(HUGE)
                    .append("\",\"avg_processing_ms\":1200,\"item_count\":3,\"payment_score\":0.5}");
        }
        String body = batch.append("]}").toString();
        try (Processes.Service service = new Processes.Service("long-order-ids", env, work, "256m")) {
            service.awaitReady(READY);
            int refused = 0;
            int other = 0;
            long t0 = System.nanoTime();
            // bounded, and a timeout counts as "other": a service thrashing in GC must still yield figures
            for (int i = 0; i < 300 && service.alive() && System.nanoTime() - t0 < Duration.ofMinutes(3).toNanos(); i++) {
                int status = status(service.url("/api/v1/anomaly/batch"), body);
                refused += status == 400 ? 1 : 0;
                other += status == 400 ? 0 : 1;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            boolean alive = service.alive();
            int ready = alive ? statusOf(() -> Processes.get(service.url("/actuator/health/readiness"))) : -1;
            int ordinaryOk = 0;
            for (int i = 0; i < 50 && alive; i++) {
                ordinaryOk += status(service.url("/api/v1/anomaly"), "{\"order_id\":\"after-" + i
                        + "\",\"avg_processing_ms\":1200,\"item_count\":3,\"payment_score\":0.5}") == 200 ? 1 : 0;
            }
            long captured = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (alive && System.nanoTime() < deadline && captured < 50) {
                captured = count(FaultInfra.jdbcUrl(db), "SELECT count(*) FROM scored_orders WHERE order_id LIKE 'after-%'");
                Thread.sleep(200);
            }
            String metrics = "";
            try {
                metrics = alive ? service.metrics() : "";
            } catch (java.io.IOException e) {
                // no figures from a service that does not answer
            }
            double heapUsedMb = metrics.lines().filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum() / (1 << 20);
            Map<String, Object> figures = FaultInfra.figures();
            figures.put("requests_400", refused);
            figures.put("requests_other", other);
            figures.put("seconds", String.format(java.util.Locale.ROOT, "%.1f", seconds));
            figures.put("alive", alive);
            figures.put("ready", ready);
            figures.put("ordinary_200", ordinaryOk);
            figures.put("ordinary_captured", captured);
            figures.put("heap_used_mb", String.format(java.util.Locale.ROOT, "%.0f", heapUsedMb));
            figures.put("peak_rss_mb", service.peakRssKb() / 1024);
            FaultInfra.report("long-order-ids", figures);

            assertThat(alive).as("the service survived:\n" + (alive ? "" : service.tail())).isTrue();
            assertThat(refused).isEqualTo(300);
            assertThat(ready).isEqualTo(200);
            assertThat(ordinaryOk).isEqualTo(50);
            assertThat(captured).isEqualTo(50);
        } finally {
            try (Connection c = DriverManager.getConnection(FaultInfra.jdbcUrl("postgres"), "postgres", "");
                 Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
    }

    private interface Call {
        HttpResponse<String> send() throws Exception;
    }

    /** The status, or -1 when the call fails or times out (Processes' client waits 10 s). */
    private static int statusOf(Call call) {
        try {
            return call.send().statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static int status(String url, String json) {
        return statusOf(() -> Processes.postJson(url, json));
    }

    private static long count(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            return 0; // the table appears with the first capture
        }
    }
}
