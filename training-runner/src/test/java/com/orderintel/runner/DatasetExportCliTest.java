package com.orderintel.runner;

import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.testkit.ThrowawayDatabase;
import com.orderintel.dataset.DemandRow;
import com.orderintel.dataset.OrderRow;
import com.orderintel.registry.Checksums;
import com.orderintel.registry.ModelManifest;
import com.orderintel.snapshot.DatasetSource;
import com.orderintel.snapshot.SnapshotManifest;
import com.orderintel.snapshot.SnapshotManifests;
import com.orderintel.training.ModelPackage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static com.orderintel.runner.CliRun.snapshotDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code dataset export} against the real PostgreSQL (a database of its own, migrated with the service's Flyway
 * schema and seeded with plain JDBC), then {@code train} from the file:// snapshot and {@code retrain} from the
 * published manifest. Each test works in its own time range or snapshot series.
 */
class DatasetExportCliTest {

    @TempDir
    static Path dir;
    private static ThrowawayDatabase db;
    private static CaptureTables tables;
    private static String store;
    private static List<OrderRow> orders;
    private static List<DemandRow> demand;

    @BeforeAll
    static void seed() throws Exception {
        db = new ThrowawayDatabase("batch_test");
        tables = new CaptureTables(db);
        store = dir.resolve("store").toUri().toString();
        orders = CaptureTables.generatedOrders(dir, 600, 7);
        tables.scoreOrders("a", orders, Instant.parse("2023-01-01T00:00:00Z"), 2, false);        // half labelled, by order id
        tables.scoreOrders("b", orders.subList(0, 100), Instant.parse("2023-01-02T00:00:00Z"), 1, true); // by prediction id
        OrderRow first = orders.getFirst();
        tables.scoreAgain("a-redelivered", "a-" + first.orderId(), first.avgProcessingMs(), first.itemCount(),
                first.paymentScore(), Instant.parse("2023-01-03T00:00:00Z"), "{}");                   // same order, same values
        tables.scoreAgain("a-imputed", "a-" + orders.get(2).orderId(), 1500, 2, 0.5,
                Instant.parse("2023-01-03T00:01:00Z"), "{payment_score}");                            // imputed: not an observation
        demand = CaptureTables.generatedDemand(dir, 300, 3, 7);
        tables.forecastDemand("d", demand);
    }

    @AfterAll
    static void drop() throws Exception {
        db.close();
    }

    private static CliRun export(String name, String since, String until, String... extra) {
        List<String> args = new ArrayList<>(List.of("dataset", "export", "--jdbc-url", db.url(), "--user", "postgres",
                "--since", since, "--until", until, "--out", store, "--name", name));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void exportWritesCsvParquetAndManifestThenTrainAndRetrainFromIt() throws Exception {
        Path outputs = dir.resolve("outputs.env");
        CliRun run = export("shop", "2023-01-01", "2023-07-01", "--outputs-file", outputs.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        Path snap = snapshotDir(run);
        assertThat(snap.getParent()).isEqualTo(dir.resolve("store/datasets/shop"));
        assertThat(Files.readString(outputs)).contains("snapshot=" + snap.toUri(), "orders=" + snap.toUri(), "demand=" + snap.toUri());

        SnapshotManifest m = SnapshotManifests.read(snap.resolve("manifest.yaml"), "test");
        assertThat(m.name()).isEqualTo("shop");
        assertThat(m.snapshotId()).isEqualTo(snap.getFileName().toString());
        assertThat(m.since()).isEqualTo(Instant.parse("2023-01-01T00:00:00Z"));
        assertThat(m.until()).isEqualTo(Instant.parse("2023-07-01T00:00:00Z"));
        assertThat(m.previousSnapshot()).isNull();

        SnapshotManifest.Part o = m.part("orders");
        assertThat(o.rows()).isEqualTo(400); // 300 labelled by order id + 100 by prediction id; the redelivery is not the first capture
        assertThat(o.labels()).containsEntry("scored", 702).containsEntry("labelled", 400);
        assertThat(((Number) o.labels().get("coverage")).doubleValue()).isCloseTo(400 / 702.0, within(1e-6));
        assertThat(o.excluded()).containsEntry("imputed", 1L).containsEntry("exactDuplicates", 0L).containsEntry("untrusted", 0L);
        assertThat(o.conflicts()).containsEntry("rule", "first trusted capture").containsEntry("trustedRecaptures", 0);
        assertThat(o.query()).contains("FROM scored_orders", "order_labels", ":since");
        long positives = ((Number) o.labels().get("positives")).longValue();
        assertThat(positives).isPositive();
        SnapshotManifest.Part d = m.part("demand");
        assertThat(d.rows()).isEqualTo(demand.size());
        assertThat(d.labels()).containsEntry("forecastDays", demand.size());

        for (SnapshotManifest.Part part : List.of(o, d)) {
            assertThat(part.files()).extracting(SnapshotManifest.FileEntry::format).containsExactly("csv", "parquet");
            for (SnapshotManifest.FileEntry f : part.files()) {
                Path file = snap.resolve(f.file());
                assertThat(Checksums.sha256(file)).as(f.file()).isEqualTo(f.sha256());
                assertThat(Files.size(file)).isEqualTo(f.bytes());
                assertThat(f.rows()).isEqualTo(part.rows());
            }
        }
        assertThat(Files.readAllLines(snap.resolve("orders.csv")).getFirst())
                .isEqualTo("order_id,avg_processing_ms,item_count,payment_score,label");
        assertThat(Files.readAllLines(snap.resolve("demand.csv")).getFirst())
                .isEqualTo("date,product_id,avg_basket_value,promo_flag,demand");

        // CSV and Parquet hold the same rows; labels by prediction id keep the prediction id as order id
        List<OrderRow> fromCsv = DatasetSource.orders(snap.resolve("orders.csv").toUri().toString()).rows();
        List<OrderRow> fromParquet = DatasetSource.orders(snap.resolve("orders.parquet").toUri().toString()).rows();
        assertThat(fromParquet).isEqualTo(fromCsv).hasSize(400);
        assertThat(fromParquet.stream().filter(r -> r.orderId().startsWith("b-p"))).hasSize(100);
        assertThat(fromParquet.stream().filter(r -> r.label() == 1).count()).isEqualTo(positives);
        // demand features come from the latest forecast of each product-day, not the stale early one
        List<DemandRow> expected = demand.stream().sorted(Comparator.comparing(DemandRow::date).thenComparing(DemandRow::productId)).toList();
        assertThat(DatasetSource.demand(snap.toUri().toString()).rows()).isEqualTo(expected);
        assertThat(DatasetSource.demand(snap.resolve("demand.csv").toUri().toString()).rows()).isEqualTo(expected);

        // train from the snapshot directory: the manifest names the durable file and its sha256
        CliRun train = CliRun.of("train", "anomaly", "--data", snap.toUri().toString(), "--model-out",
                dir.resolve("m-anomaly").toString(), "--model-version", "snap1", "--n-estimators", "100");
        assertThat(train.exitCode()).as(train.err()).isZero();
        ModelManifest trained = ModelPackage.read(dir.resolve("m-anomaly"));
        assertThat(trained.dataset().uri()).isEqualTo(snap.resolve("orders.parquet").toUri().toString());
        assertThat(trained.dataset().sha256()).isEqualTo(o.file("parquet").sha256());
        assertThat(trained.dataset().rows()).isEqualTo(400);
        assertThat(trained.metrics()).containsKeys("precision", "recall");

        CliRun fromCsvFile = CliRun.of("train", "anomaly", "--data", snap.resolve("orders.csv").toUri().toString(), "--model-out",
                dir.resolve("m-anomaly-csv").toString(), "--model-version", "snap1", "--n-estimators", "100");
        assertThat(fromCsvFile.exitCode()).as(fromCsvFile.err()).isZero();
        assertThat(ModelPackage.read(dir.resolve("m-anomaly-csv")).metrics()).isEqualTo(trained.metrics());

        CliRun trainDemand = CliRun.of("train", "demand", "--data", snap.resolve("manifest.yaml").toUri().toString(),
                "--model-out", dir.resolve("m-demand").toString(), "--model-version", "snap1");
        assertThat(trainDemand.exitCode()).as(trainDemand.err()).isZero();
        assertThat(ModelPackage.read(dir.resolve("m-demand")).dataset().uri()).endsWith("/demand.parquet");

        // publish, then re-train from the published manifest alone: same data + seed -> same metrics
        String registry = dir.resolve("registry").toUri().toString().replaceAll("/$", "");
        for (String model : List.of("m-anomaly", "m-demand")) {
            CliRun pub = CliRun.of("publish", "--model-dir", dir.resolve(model).toString(), "--registry", registry, "--promote", "production");
            assertThat(pub.exitCode()).as(pub.err()).isZero();
        }
        for (String name : List.of("order-anomaly", "demand-forecast")) {
            CliRun retrain = CliRun.of("retrain", "--from-manifest", registry + "/" + name + "@production",
                    "--model-out", dir.resolve("re-" + name).toString());
            assertThat(retrain.exitCode()).as(retrain.out() + retrain.err()).isZero();
            assertThat(retrain.out()).contains("reproduced: every metric within");
            Map<String, Double> original = ModelPackage.read(dir.resolve(name.equals("order-anomaly") ? "m-anomaly" : "m-demand")).metrics();
            Map<String, Double> again = ModelPackage.read(dir.resolve("re-" + name)).metrics();
            assertThat(again.keySet()).isEqualTo(original.keySet());
            original.forEach((k, v) -> assertThat(again.get(k)).as(k).isCloseTo(v, within(1e-9)));
        }
    }

    @Test
    void notesPartCarriesTheNoteFeaturesAndThePromptVersionsThatMadeThem() throws Exception {
        String sha = "e".repeat(64);
        try (java.sql.Connection c = db.connect(); java.sql.PreparedStatement ps = c.prepareStatement(
                "INSERT INTO order_note_enrichments (prediction_id, order_id, source, note_sha256, note_chars, sentiment,"
                        + " category, feature_source, model, prompt_name, prompt_version, prompt_sha256, instance, enriched_at)"
                        + " VALUES (?, ?, 'event', ?, 20, ?, ?, ?, ?, 'order-note-features', 'v1', ?, 'replica-a', now())"
                        + " ON CONFLICT DO NOTHING")) {
            String[][] rows = {
                    {"a-p0", "a-" + orders.get(0).orderId(), "negative", "delivery", "provider", "gpt-4o-mini"},
                    {"a-p1", "a-" + orders.get(1).orderId(), "positive", "product", "fallback", "offline-rules-v1"},
                    {"a-p3", "a-" + orders.get(3).orderId(), "neutral", "other", "fallback", "offline-rules-v1"},
                    {"b-p5", null, "negative", "payment", "fallback", "offline-rules-v1"}};
            for (String[] r : rows) {
                ps.setString(1, r[0]);
                ps.setString(2, r[1]);
                ps.setString(3, sha);
                ps.setString(4, r[2]);
                ps.setString(5, r[3]);
                ps.setString(6, r[4]);
                ps.setString(7, r[5]);
                ps.setString(8, sha);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        CliRun run = export("notes", "2023-01-01", "2023-07-01", "--parts", "orders,notes");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("notes: 4 orders with note features {fallback=3, provider=1}");
        Path snap = snapshotDir(run);
        SnapshotManifest.Part n = SnapshotManifests.read(snap.resolve("manifest.yaml"), "test").part("notes");
        assertThat(n.rows()).isEqualTo(4);
        assertThat(n.labels()).containsEntry("enriched", 4)
                .containsEntry("prompts", Map.of("order-note-features@v1#" + sha, 4));
        assertThat(n.query()).contains("order_note_enrichments");
        String q = "\"" + sha + "\""; // Jackson's CSV writer quotes long values
        assertThat(Files.readAllLines(snap.resolve("notes.csv"))).containsExactly(
                "order_id,note_sentiment,note_category,feature_source,model,prompt_name,prompt_version,prompt_sha256",
                "a-" + orders.get(0).orderId() + ",-1,delivery,provider,gpt-4o-mini,order-note-features,v1," + q,
                "a-" + orders.get(1).orderId() + ",1,product,fallback,offline-rules-v1,order-note-features,v1," + q,
                "a-" + orders.get(3).orderId() + ",0,other,fallback,offline-rules-v1,order-note-features,v1," + q,
                "b-p5,-1,payment,fallback,offline-rules-v1,order-note-features,v1," + q);
        assertThat(Checksums.sha256(snap.resolve("notes.parquet"))).isEqualTo(n.file("parquet").sha256());
        // the Parquet form reads back through the same validation, to the same rows
        List<com.orderintel.snapshot.NoteRow> back = com.orderintel.snapshot.TableFiles.readParquet(
                com.orderintel.snapshot.Table.NOTES, snap.resolve("notes.parquet"), "notes.parquet");
        assertThat(back).hasSize(4).first().isEqualTo(new com.orderintel.snapshot.NoteRow("a-" + orders.get(0).orderId(), -1,
                "delivery", "provider", "gpt-4o-mini", "order-note-features", "v1", sha));
    }

    /**
     * Note features end to end: a model trained from an export with its note features. Anomalous orders carry a note the offline rules
     * read as negative fraud, some normal ones a positive delivery note, the rest none; one row was made by a provider.
     */
    @Test
    void anomalyModelTrainedWithNoteFeaturesPinsThePromptAndIsReproducible() throws Exception {
        String sha;
        try (java.io.InputStream in = getClass().getResourceAsStream("/prompts/order-note-features/v1.md")) {
            sha = Checksums.sha256(in);
        }
        List<OrderRow> rows = orders.subList(0, 300);
        tables.scoreOrders("nf", rows, Instant.parse("2024-09-01T00:00:00Z"), 1, false);
        com.orderintel.llm.OfflineNoteClassifier rules = new com.orderintel.llm.OfflineNoteClassifier();
        int offlineNotes = 0;
        try (java.sql.Connection c = db.connect(); java.sql.PreparedStatement ps = c.prepareStatement(
                "INSERT INTO order_note_enrichments (prediction_id, order_id, source, note_sha256, note_chars, sentiment,"
                        + " category, feature_source, model, prompt_name, prompt_version, prompt_sha256, instance, enriched_at)"
                        + " VALUES (?, ?, 'rest', ?, 20, ?, ?, ?, ?, 'order-note-features', 'v1', ?, 'replica-a', now())")) {
            boolean providerRow = false;
            for (int i = 0; i < rows.size(); i++) {
                OrderRow r = rows.get(i);
                String note = r.label() == 1 ? "I did not place this order, this is fraud" : i % 3 == 0 ? "great fast delivery, thanks" : null;
                boolean provider = note == null && !providerRow;
                if (note == null && !provider) {
                    continue;
                }
                com.orderintel.llm.NoteFeatures f = provider ? new com.orderintel.llm.NoteFeatures("negative", "payment") : rules.classify(note);
                providerRow |= provider;
                offlineNotes += provider ? 0 : 1;
                ps.setString(1, "nf-p" + i);
                ps.setString(2, "nf-" + r.orderId());
                ps.setString(3, sha);
                ps.setString(4, f.sentiment());
                ps.setString(5, f.category());
                ps.setString(6, provider ? "provider" : "fallback");
                ps.setString(7, provider ? "gpt-4o-mini" : "offline-rules-v1");
                ps.setString(8, sha);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        CliRun run = export("notefeat", "2024-09-01", "2024-10-01", "--parts", "orders,notes");
        assertThat(run.exitCode()).as(run.err()).isZero();
        Path snap = snapshotDir(run);

        ModelManifest[] trained = new ModelManifest[2];
        for (int k = 0; k < 2; k++) {
            CliRun train = CliRun.of("train", "anomaly", "--data", snap.toUri().toString(), "--note-features", "sentiment,category",
                    "--model-out", dir.resolve("m-notes-" + k).toString(), "--model-version", "notes1", "--n-estimators", "50",
                    "--no-report");
            assertThat(train.exitCode()).as(train.err()).isZero();
            assertThat(train.err()).contains("note rows made by other models were left out", "{gpt-4o-mini=1}");
            trained[k] = ModelPackage.read(dir.resolve("m-notes-" + k));
        }
        ModelManifest m = trained[0];
        assertThat(m.extensions().get("prompts")).isEqualTo(List.of(Map.of("name", "order-note-features", "version", "v1", "sha256", sha)));
        @SuppressWarnings("unchecked")
        Map<String, Object> nf = (Map<String, Object>) m.extensions().get("note_features");
        assertThat(nf).containsEntry("features", List.of("sentiment", "category")).containsEntry("computed_by", "offline-rules-v1")
                .containsEntry("missing", "neutral").containsEntry("orders_with_note", offlineNotes)
                .containsEntry("ignored_rows", Map.of("gpt-4o-mini", 1));
        assertThat(m.features()).extracting(ModelManifest.FeatureSpec::name).containsExactly("avg_processing_ms", "item_count",
                "payment_score", "note_sentiment", "note_category_delivery", "note_category_payment", "note_category_return",
                "note_category_product", "note_category_fraud", "note_category_other");
        // same data, same seed: the same artifact, byte for byte
        assertThat(Files.readAllBytes(dir.resolve("m-notes-1").resolve(m.artifact().file())))
                .isEqualTo(Files.readAllBytes(dir.resolve("m-notes-0").resolve(m.artifact().file())));
        assertThat(trained[1].artifact().sha256()).isEqualTo(m.artifact().sha256());

        // the model reads the note: a fraud note makes the same metrics more anomalous than no note
        com.orderintel.anomaly.IsolationForestModel model = new com.orderintel.anomaly.IsolationForestCodec().decode(m,
                Files.readAllBytes(dir.resolve("m-notes-0").resolve(m.artifact().file())));
        OrderRow normal = rows.stream().filter(r -> r.label() == 0).findFirst().orElseThrow();
        double plain = model.score(OrderMetrics.of(normal)).score();
        double fraud = model.score(new com.orderintel.anomaly.OrderMetrics("x", normal.avgProcessingMs(), normal.itemCount(),
                normal.paymentScore(), com.orderintel.llm.NoteFeatureEncoding.offline("I did not place this order, this is fraud"))).score();
        assertThat(fraud).isLessThan(plain);

        // published, it re-trains from its manifest alone: orders and notes data re-read and checked
        String registry = dir.resolve("registry-notes").toUri().toString().replaceAll("/$", "");
        CliRun pub = CliRun.of("publish", "--model-dir", dir.resolve("m-notes-0").toString(), "--registry", registry,
                "--promote", "production");
        assertThat(pub.exitCode()).as(pub.err()).isZero();
        CliRun retrain = CliRun.of("retrain", "--from-manifest", registry + "/order-anomaly@production",
                "--model-out", dir.resolve("re-notes").toString());
        assertThat(retrain.exitCode()).as(retrain.out() + retrain.err()).isZero();
        assertThat(ModelPackage.read(dir.resolve("re-notes")).artifact().sha256()).isEqualTo(m.artifact().sha256());

        CliRun badWord = CliRun.of("train", "anomaly", "--data", snap.toUri().toString(), "--note-features", "sentiment,mood",
                "--model-out", dir.resolve("m-bad").toString());
        assertThat(badWord.exitCode()).isEqualTo(2);
        assertThat(badWord.err()).contains("--note-features: unknown note feature 'mood'; expected sentiment, category");
        CliRun notesAlone = CliRun.of("train", "anomaly", "--data", snap.toUri().toString(), "--notes", snap.toUri().toString(),
                "--model-out", dir.resolve("m-bad").toString());
        assertThat(notesAlone.exitCode()).isEqualTo(2);
        assertThat(notesAlone.err()).contains("--notes needs --note-features");
        CliRun noNotesPart = CliRun.of("train", "anomaly", "--data", snapshotDir(export("nonotes", "2024-09-01", "2024-10-01",
                "--parts", "orders")).toUri().toString(), "--note-features", "sentiment", "--model-out", dir.resolve("m-bad").toString());
        assertThat(noNotesPart.exitCode()).isNotZero();
        assertThat(noNotesPart.err()).contains("has no notes data").doesNotContain("Exception");
    }

    @Test
    void retrainRefusesDataThatChangedSinceTraining() throws Exception {
        CliRun run = export("tamper", "2023-01-01", "2023-07-01", "--parts", "orders");
        assertThat(run.exitCode()).as(run.err()).isZero();
        Path snap = snapshotDir(run);
        Path copy = dir.resolve("tampered");
        Files.createDirectories(copy);
        for (String f : List.of("manifest.yaml", "orders.csv", "orders.parquet")) {
            Files.copy(snap.resolve(f), copy.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.copy(snap.resolve("orders.parquet"), copy.resolve("orders.parquet"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(copy.resolve("orders.parquet"), "x", java.nio.file.StandardOpenOption.APPEND);
        CliRun train = CliRun.of("train", "anomaly", "--data", copy.toUri().toString(), "--model-out", dir.resolve("t").toString());
        assertThat(train.exitCode()).isEqualTo(2);
        assertThat(train.err()).contains("does not match the snapshot manifest").doesNotContain("Exception");

        CliRun missing = CliRun.of("train", "demand", "--data", copy.toUri().toString(), "--model-out", dir.resolve("t2").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("has no demand data");

        CliRun nothing = CliRun.of("train", "anomaly", "--data", dir.resolve("nowhere").toUri() + "/", "--model-out", dir.resolve("t3").toString());
        assertThat(nothing.exitCode()).isEqualTo(2);
        assertThat(nothing.err()).contains("nowhere/manifest.yaml does not exist");
    }

    @Test
    void valuesOutsideTheSchemaFail() throws Exception {
        tables.scoreOrders("s", orders.subList(0, 300), Instant.parse("2024-02-01T00:00:00Z"), 1, false);
        tables.scoreAgain("s-neg", "s-neg", -5, 3, 0.9, Instant.parse("2024-02-10T00:00:00Z"), "{}");
        tables.scoreAgain("s-pay", "s-pay", 1500, 3, 1.7, Instant.parse("2024-02-10T00:01:00Z"), "{}");
        tables.label("s-neg", false);
        tables.label("s-pay", false);
        CliRun run = export("schema", "2024-02-01", "2024-03-01", "--parts", "orders");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("1 row(s) with avg_processing_ms negative or not finite (e.g. s-neg)",
                "1 row(s) with payment_score outside [0, 1] (e.g. s-pay)");
    }

    @Test
    void labelBalanceIsChecked() throws Exception {
        List<OrderRow> normal = orders.stream().filter(r -> r.label() == 0).limit(200).toList();
        tables.scoreOrders("n", normal, Instant.parse("2024-03-01T00:00:00Z"), 1, false);
        CliRun none = export("balance", "2024-03-01", "2024-04-01", "--parts", "orders");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("no positive (anomalous) labels among 200 labelled orders");

        List<OrderRow> skewed = new ArrayList<>(orders.stream().filter(r -> r.label() == 1).toList());
        skewed.addAll(normal.subList(0, 5));
        tables.scoreOrders("k", skewed, Instant.parse("2024-04-01T00:00:00Z"), 1, false);
        CliRun biased = export("balance", "2024-04-01", "2024-05-01", "--parts", "orders");
        assertThat(biased.exitCode()).isEqualTo(2);
        assertThat(biased.err()).contains("are anomalous (more than --max-positive-rate 50 %)");
    }

    @Test
    void driftAgainstThePreviousSnapshotFailsBeyondTheThreshold() throws Exception {
        CliRun first = export("drift", "2023-01-01", "2023-07-01", "--parts", "orders", "--snapshot-id", "001");
        assertThat(first.exitCode()).as(first.err()).isZero();
        List<OrderRow> slower = orders.stream().map(r -> new OrderRow(r.orderId(), r.avgProcessingMs() * 3, r.itemCount(),
                r.paymentScore(), r.label())).toList();
        tables.scoreOrders("z", slower, Instant.parse("2024-05-01T00:00:00Z"), 1, false);

        CliRun drifted = export("drift", "2024-05-01", "2024-06-01", "--parts", "orders", "--snapshot-id", "002");
        assertThat(drifted.exitCode()).isEqualTo(2);
        assertThat(drifted.err()).contains("feature 'avg_processing_ms' drifted against snapshot 001", "--max-psi 0.250")
                .doesNotContain("payment_score'");
        assertThat(dir.resolve("store/datasets/drift/002")).doesNotExist();

        CliRun accepted = export("drift", "2024-05-01", "2024-06-01", "--parts", "orders", "--snapshot-id", "003", "--max-psi", "100");
        assertThat(accepted.exitCode()).as(accepted.err()).isZero();
        SnapshotManifest m = SnapshotManifests.read(snapshotDir(accepted).resolve("manifest.yaml"), "test");
        assertThat(m.previousSnapshot()).isEqualTo("001");
        assertThat(m.part("orders").drift().get("avg_processing_ms")).isGreaterThan(0.25);
        assertThat(m.part("orders").drift().get("payment_score")).isLessThan(0.1);

        CliRun again = export("drift", "2024-05-01", "2024-06-01", "--parts", "orders", "--snapshot-id", "003", "--max-psi", "100");
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("already exists; snapshots are never overwritten");
    }

    @Test
    void tooFewRowsWritesNothingAndExitsThree() {
        CliRun run = export("empty", "2025-01-01", "2025-02-01", "--min-rows", "50");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).contains("not enough data", "orders: 0 labelled rows, fewer than --min-rows 50",
                "demand: 0 product-days with actuals");
        assertThat(dir.resolve("store/datasets/empty")).doesNotExist();
    }

    @Test
    void badArgumentsAreNamed() {
        CliRun backwards = export("x", "2024-02-01", "2024-01-01");
        assertThat(backwards.exitCode()).isEqualTo(2);
        assertThat(backwards.err()).contains("--since 2024-02-01T00:00:00Z must be before --until");
        CliRun badDate = export("x", "yesterday", "2024-01-01");
        assertThat(badDate.exitCode()).isEqualTo(2);
        assertThat(badDate.err()).contains("--since 'yesterday' is not an ISO date");
        CliRun badOut = CliRun.of("dataset", "export", "--jdbc-url", db.url(), "--since", "2024-01-01", "--until", "2024-02-01",
                "--out", "ftp://host/x");
        assertThat(badOut.exitCode()).isEqualTo(2);
        assertThat(badOut.err()).contains("unsupported dataset location 'ftp://host/x'");
    }
}
