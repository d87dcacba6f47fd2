package com.orderintel.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.dataset.CsvRows;
import com.orderintel.dataset.DataGenerator;
import com.orderintel.dataset.OrderRow;
import com.orderintel.registry.FileSystemModelStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The acceptance check of the Spark scorer, as a user runs it: {@code spark-jobs/bin/spark-jobs score --master local[2]
 * ... --format csv} writes one prediction per input order, and 20 sampled orders get the same scores from the running
 * service's REST API (the real jars, one model package).
 */
class SparkScoreMatchesRestE2ETest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path LAUNCHER = Processes.ROOT.resolve("spark-jobs/bin/spark-jobs");

    @TempDir
    Path work;

    @Test
    void sparkCsvScoresEqualTheServiceRestAnswers() throws Exception {
        Path registry = work.resolve("registry");
        FixtureModels.publish(FileSystemModelStore.at(registry), "v1", "production");
        String uri = "file://" + registry + "/order-anomaly@production";
        Path orders = work.resolve("orders.csv");
        DataGenerator.orders(orders, 5_000, 0.05, 28L);
        Map<String, OrderRow> input = new HashMap<>();
        CsvRows.forEach(orders, OrderRow.COLUMNS, r -> input.put(r.text("order_id"), OrderRow.of(r)));

        Path out = work.resolve("scored");
        ProcessBuilder pb = new ProcessBuilder("bash", LAUNCHER.toString(), "score", "--master", "local[2]", "--model-uri", uri,
                "--data", orders.toString(), "--out", out.toString(), "--format", "csv")
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(work.resolve("spark.log").toFile());
        pb.environment().put("JAVA_HOME", Path.of(System.getProperty("java.home")).toString());
        Process spark = pb.start();
        Map<String, String> env = Map.of("MODEL_URI_ANOMALY", uri, "SPRING_CLOUD_VAULT_ENABLED", "false",
                "ADVISOR_CAPTURE_ENABLED", "false");
        try (Processes.Service service = new Processes.Service("spark-acceptance", env, work)) {
            service.awaitReady(Duration.ofMinutes(3));
            assertThat(spark.waitFor(5, TimeUnit.MINUTES)).as("spark-jobs finished").isTrue();
            assertThat(spark.exitValue()).as(Files.readString(work.resolve("spark.log"))).isZero();
            assertThat(Files.readString(work.resolve("spark.log"))).contains("scored 5,000 rows, rejected 0");

            Map<String, String[]> predictions = readCsv(out.resolve("outcome=scored"));
            assertThat(predictions).hasSize(input.size());
            assertThat(predictions.keySet()).isEqualTo(input.keySet());
            assertThat(out.resolve("outcome=rejected")).doesNotExist();

            List<String> ids = new ArrayList<>(input.keySet());
            ids.sort(null);
            SplittableRandom rnd = new SplittableRandom(28);
            int compared = 0;
            for (int i = 0; i < 20; i++) {
                OrderRow o = input.get(ids.get(rnd.nextInt(ids.size())));
                String body = String.format(Locale.ROOT,
                        "{\"order_id\":\"%s\",\"avg_processing_ms\":%s,\"item_count\":%s,\"payment_score\":%s}",
                        o.orderId(), o.avgProcessingMs(), o.itemCount(), o.paymentScore());
                HttpResponse<String> r = Processes.postJson(service.url("/api/v1/anomaly"), body);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                JsonNode rest = JSON.readTree(r.body());
                String[] spark_ = predictions.get(o.orderId());
                assertThat(Double.parseDouble(spark_[0])).as(o.orderId() + " anomaly_score").isEqualTo(rest.get("anomaly_score").asDouble());
                assertThat(Double.parseDouble(spark_[1])).as(o.orderId() + " approx_probability")
                        .isEqualTo(rest.get("approx_probability").asDouble());
                assertThat(Boolean.parseBoolean(spark_[2])).as(o.orderId() + " is_anomaly").isEqualTo(rest.get("is_anomaly").asBoolean());
                assertThat(spark_[3]).isEqualTo(rest.get("model").get("version").asText());
                compared++;
            }
            assertThat(compared).isEqualTo(20);
        } finally {
            spark.destroyForcibly();
        }
    }

    /** order id -> anomaly_score, approx_probability, is_anomaly, model_version, from every part file of the directory. */
    private static Map<String, String[]> readCsv(Path dir) throws Exception {
        Map<String, String[]> out = new HashMap<>();
        try (Stream<Path> parts = Files.list(dir)) {
            for (Path part : parts.filter(p -> p.getFileName().toString().endsWith(".csv")).toList()) {
                List<String> lines = Files.readAllLines(part);
                List<String> header = List.of(lines.getFirst().split(","));
                for (String line : lines.subList(1, lines.size())) {
                    String[] f = line.split(",", -1);
                    String[] previous = out.put(f[header.indexOf("order_id")], new String[] {f[header.indexOf("anomaly_score")],
                            f[header.indexOf("approx_probability")], f[header.indexOf("is_anomaly")], f[header.indexOf("model_version")]});
                    assertThat(previous).as("one prediction per order").isNull();
                }
            }
        }
        return out;
    }
}
