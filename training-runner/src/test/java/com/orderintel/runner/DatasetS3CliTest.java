package com.orderintel.runner;

import com.orderintel.testkit.ThrowawayDatabase;
import com.orderintel.registry.ModelLoader;
import com.orderintel.registry.ModelManifest;
import com.orderintel.testkit.S3ProxyFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loop on S3 (S3Proxy on loopback, configured as an operator would: S3_ENDPOINT_URL, S3_PATH_STYLE, credentials
 * from the default chain): export a snapshot to s3://, train from it, publish to an s3:// registry, re-train from the
 * published manifest; a second export of the series finds the first through the S3 listing and checks drift.
 */
class DatasetS3CliTest {

    private static final Map<String, String> PROPS = Map.of("aws.accessKeyId", S3ProxyFixture.ACCESS_KEY,
            "aws.secretAccessKey", S3ProxyFixture.SECRET_KEY, "S3_PATH_STYLE", "true", "AWS_REGION", "us-east-1");
    private static S3ProxyFixture s3;
    private static ThrowawayDatabase db;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        s3 = new S3ProxyFixture();
        PROPS.forEach(System::setProperty);
        System.setProperty("S3_ENDPOINT_URL", s3.endpoint().toString());
        db = new ThrowawayDatabase("batch_test");
        CaptureTables tables = new CaptureTables(db);
        tables.scoreOrders("a", CaptureTables.generatedOrders(dir, 500, 11), Instant.parse("2023-03-01T00:00:00Z"), 1, false);
        tables.forecastDemand("d", CaptureTables.generatedDemand(dir, 240, 2, 11));
    }

    @AfterAll
    static void stop() throws Exception {
        PROPS.keySet().forEach(System::clearProperty);
        System.clearProperty("S3_ENDPOINT_URL");
        db.close();
        s3.close();
    }

    private static CliRun export(String root, String... extra) {
        List<String> args = new ArrayList<>(List.of("dataset", "export", "--jdbc-url", db.url(), "--since", "2023-01-01",
                "--until", "2023-12-31", "--out", root));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void exportTrainPublishRetrainOnS3() {
        String root = "s3://" + s3.newBucket() + "/data";
        CliRun first = export(root, "--snapshot-id", "20230101T000000000Z");
        assertThat(first.exitCode()).as(first.err()).isZero();
        String snapshot = root + "/datasets/shop/20230101T000000000Z/";
        assertThat(first.out()).contains("snapshot " + snapshot, "orders 500 rows", "demand 240 rows");

        CliRun train = CliRun.of("train", "anomaly", "--data", snapshot, "--model-out", dir.resolve("a").toString(),
                "--model-version", "s3snap", "--n-estimators", "60");
        assertThat(train.exitCode()).as(train.err()).isZero();
        CliRun trainCsv = CliRun.of("train", "demand", "--data", snapshot + "demand.csv", "--model-out", dir.resolve("d").toString(),
                "--model-version", "s3snap", "--algorithm", "xgboost", "--n-estimators", "30");
        assertThat(trainCsv.exitCode()).as(trainCsv.err()).isZero();

        String registry = "s3://" + s3.newBucket() + "/models";
        for (String m : List.of("a", "d")) {
            CliRun pub = CliRun.of("publish", "--model-dir", dir.resolve(m).toString(), "--registry", registry, "--promote", "production");
            assertThat(pub.exitCode()).as(pub.err()).isZero();
        }
        ModelManifest published = ModelLoader.load(registry + "/order-anomaly@production").manifest();
        assertThat(published.dataset().uri()).isEqualTo(snapshot + "orders.parquet");
        assertThat(ModelLoader.load(registry + "/demand-forecast@production").manifest().dataset().uri()).isEqualTo(snapshot + "demand.csv");

        for (String name : List.of("order-anomaly", "demand-forecast")) {
            CliRun retrain = CliRun.of("retrain", "--from-manifest", registry + "/" + name + "@production");
            assertThat(retrain.exitCode()).as(retrain.out() + retrain.err()).isZero();
            assertThat(retrain.out()).contains("retrained " + name + " s3snap", "reproduced: every metric within");
        }

        CliRun second = export(root, "--snapshot-id", "20230102T000000000Z");
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out()).contains("orders: drift against 20230101T000000000Z");
        CliRun bucketOnly = CliRun.of("train", "anomaly", "--data", "s3:///x/", "--model-out", dir.resolve("x").toString());
        assertThat(bucketOnly.exitCode()).isEqualTo(2);
        assertThat(bucketOnly.err()).contains("names no bucket");
    }
}
