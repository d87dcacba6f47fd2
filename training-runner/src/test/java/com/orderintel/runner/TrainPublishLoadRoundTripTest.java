package com.orderintel.runner;

import com.orderintel.anomaly.AnomalyDetector;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.dataset.Datasets;
import com.orderintel.dataset.DemandRow;
import com.orderintel.dataset.OrderRow;
import com.orderintel.forecast.DemandForecaster;
import com.orderintel.forecast.DemandQuery;
import com.orderintel.registry.ManifestCodec;
import com.orderintel.registry.ModelLoader;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.RegistryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** train -> publish to the filesystem registry -> load by MODEL_URI -> the same predictions; tampering refused. */
class TrainPublishLoadRoundTripTest {

    @TempDir
    Path dir;

    @Test
    void demandAndAnomalyModelsSurviveTheRoundTripAndTamperingIsRefused() throws Exception {
        Path demand = dir.resolve("demand.csv");
        Path orders = dir.resolve("orders.csv");
        assertThat(CliRun.of("generate", "demand", "--rows", "3000", "--products", "3", "--seed", "5", "--out", demand.toString()).exitCode()).isZero();
        assertThat(CliRun.of("generate", "orders", "--rows", "5000", "--seed", "5", "--out", orders.toString()).exitCode()).isZero();
        String registry = dir.resolve("registry").toUri().toString();

        CliRun td = CliRun.of("train", "demand", "--data", demand.toString(), "--model-out", dir.resolve("dm").toString(), "--model-version", "abc123");
        assertThat(td.exitCode()).as(td.err()).isZero();
        assertThat(td.out()).contains("mae", "r2");
        CliRun ta = CliRun.of("train", "anomaly", "--data", orders.toString(), "--model-out", dir.resolve("am").toString(), "--model-version", "abc123");
        assertThat(ta.exitCode()).as(ta.err()).isZero();
        assertThat(dir.resolve("am/metrics.json")).content().contains("\"precision\"");

        assertThat(CliRun.of("publish", "--model-dir", dir.resolve("dm").toString(), "--registry", registry, "--promote", "production").exitCode()).isZero();
        assertThat(CliRun.of("publish", "--model-dir", dir.resolve("am").toString(), "--registry", registry).exitCode()).isZero();
        CliRun promote = CliRun.of("promote", "order-anomaly", "--model-version", "abc123", "--registry", registry);
        assertThat(promote.out()).contains("order-anomaly@production: (unset) -> abc123");
        CliRun list = CliRun.of("list", "--registry", registry);
        assertThat(list.out()).contains("demand-forecast", "order-anomaly", "abc123", "production");

        String base = registry.endsWith("/") ? registry.substring(0, registry.length() - 1) : registry;
        DemandForecaster loadedDemand = (DemandForecaster) ModelLoader.load(base + "/demand-forecast@production");
        DemandForecaster offlineDemand = (DemandForecaster) EvaluateCommand.fromDir(dir.resolve("dm"));
        List<DemandRow> demandRows = Datasets.demand(demand).rows();
        for (DemandRow r : demandRows.subList(0, 200)) {
            DemandQuery q = new DemandQuery(r.date(), r.productId(), r.avgBasketValue(), r.promoFlag());
            assertThat(loadedDemand.predict(q)).isEqualTo(offlineDemand.predict(q));
        }
        assertThat(loadedDemand.manifest().version()).isEqualTo("abc123");

        AnomalyDetector loadedAnomaly = (AnomalyDetector) ModelLoader.load(base + "/abc123/order-anomaly");
        AnomalyDetector offlineAnomaly = (AnomalyDetector) EvaluateCommand.fromDir(dir.resolve("am"));
        for (OrderRow r : Datasets.orders(orders).rows().subList(0, 500)) {
            OrderMetrics m = OrderMetrics.of(r);
            assertThat(loadedAnomaly.score(m)).isEqualTo(offlineAnomaly.score(m));
        }

        // Tamper with the published artifact: the loader must refuse it with a clear error.
        Path artifact = dir.resolve("registry/abc123/order-anomaly/model.iforest");
        byte[] bytes = Files.readAllBytes(artifact);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(artifact, bytes);
        assertThatThrownBy(() -> ModelLoader.load(base + "/order-anomaly@production"))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("corrupted or tampered")
                .hasMessageContaining("order-anomaly");
        CliRun eval = CliRun.of("evaluate", "--model-uri", base + "/abc123/order-anomaly", "--data", orders.toString());
        assertThat(eval.exitCode()).isEqualTo(2);
        assertThat(eval.err()).contains("refusing to load");

        // Evaluate on the untouched directory works and reports the same metrics as training.
        CliRun ok = CliRun.of("evaluate", "--model-dir", dir.resolve("dm").toString(), "--data", demand.toString());
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("mae", "r2");
        ModelManifest m = ManifestCodec.read(Files.readAllBytes(dir.resolve("dm/manifest.yaml")), "dm");
        assertThat(m.feature("product_id").categories()).containsExactly("SKU-001", "SKU-002", "SKU-003");
        // The linear baseline cannot follow the generator's multiplicative yearly season; it still explains a good share.
        assertThat(m.metrics().get("r2")).isGreaterThan(0.3);
    }

    @Test
    void xgboostDemandModelTrainsPublishesAndLoadsByModelUri() throws Exception {
        Path demand = dir.resolve("demand.csv");
        assertThat(CliRun.of("generate", "demand", "--rows", "2000", "--products", "2", "--seed", "3", "--out", demand.toString()).exitCode()).isZero();
        Path out = dir.resolve("xgb");
        Path metricsOut = dir.resolve("ci-metrics.json");
        CliRun train = CliRun.of("train", "demand", "--algorithm", "xgboost", "--n-estimators", "40", "--data", demand.toString(),
                "--model-out", out.toString(), "--version", "xgb1", "--metrics-out", metricsOut.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(train.out()).contains("version xgb1", "mae", "r2");
        assertThat(out.resolve("model.gbt")).exists();
        assertThat(metricsOut).content().contains("\"algorithm\" : \"xgboost\"", "\"r2\"");
        ModelManifest m = ManifestCodec.read(Files.readAllBytes(out.resolve("manifest.yaml")), "xgb");
        assertThat(m.artifact().format()).isEqualTo("gbt-flat/v2");
        assertThat(m.algorithm().hyperParameters()).containsEntry("n_estimators", 40);
        assertThat(m.feature("product_season_ratio").histogram().fractions()).isNotEmpty();
        assertThat(m.metrics().get("r2")).isGreaterThan(0.8);

        String registry = dir.resolve("registry").toUri().toString();
        assertThat(CliRun.of("publish", "--model-dir", out.toString(), "--registry", registry).exitCode()).isZero();
        String base = registry.endsWith("/") ? registry.substring(0, registry.length() - 1) : registry;
        DemandForecaster loaded = (DemandForecaster) ModelLoader.load(base + "/xgb1/demand-forecast");
        DemandForecaster offline = (DemandForecaster) EvaluateCommand.fromDir(out);
        for (DemandRow r : Datasets.demand(demand).rows()) {
            DemandQuery q = new DemandQuery(r.date(), r.productId(), r.avgBasketValue(), r.promoFlag());
            assertThat(loaded.predict(q)).isEqualTo(offline.predict(q));
        }
        CliRun eval = CliRun.of("evaluate", "--model-dir", out.toString(), "--data", demand.toString());
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        assertThat(eval.out()).contains("demand-forecast xgb1", "mae", "r2");
    }

    @Test
    void generatorIsDeterministicPerSeed() throws Exception {
        for (String kind : List.of("demand", "orders")) {
            Path a = dir.resolve(kind + "-a.csv");
            Path b = dir.resolve(kind + "-b.csv");
            Path c = dir.resolve(kind + "-c.csv");
            CliRun.of("generate", kind, "--rows", "1000", "--seed", "9", "--out", a.toString());
            CliRun.of("generate", kind, "--rows", "1000", "--seed", "9", "--out", b.toString());
            CliRun.of("generate", kind, "--rows", "1000", "--seed", "10", "--out", c.toString());
            assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
            assertThat(Files.readAllBytes(a)).isNotEqualTo(Files.readAllBytes(c));
            assertThat(Files.readAllLines(a)).hasSize(1001);
        }
    }
}
