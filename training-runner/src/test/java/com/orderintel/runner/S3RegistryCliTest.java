package com.orderintel.runner;

import com.orderintel.training.TestData;
import com.orderintel.anomaly.AnomalyDetector;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.registry.ModelLoader;
import com.orderintel.testkit.S3ProxyFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * publish / promote / list / rollback with {@code --registry s3://...} against a real S3-compatible server
 * (S3Proxy on loopback), configured the way an operator would: S3_ENDPOINT_URL, S3_PATH_STYLE and credentials
 * through the AWS default provider chain (here its system-property source).
 */
class S3RegistryCliTest {

    private static S3ProxyFixture s3;
    private static final Map<String, String> PROPS = Map.of("aws.accessKeyId", S3ProxyFixture.ACCESS_KEY,
            "aws.secretAccessKey", S3ProxyFixture.SECRET_KEY, "S3_PATH_STYLE", "true", "AWS_REGION", "us-east-1");

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        s3 = new S3ProxyFixture();
        PROPS.forEach(System::setProperty);
        System.setProperty("S3_ENDPOINT_URL", s3.endpoint().toString());
    }

    @AfterAll
    static void stop() throws Exception {
        PROPS.keySet().forEach(System::clearProperty);
        System.clearProperty("S3_ENDPOINT_URL");
        s3.close();
    }

    @Test
    void publishPromoteListRollbackOnS3() {
        String registry = "s3://" + s3.newBucket() + "/platform";
        for (String v : new String[] {"1111111", "2222222"}) {
            CliRun train = CliRun.of("train", "anomaly", "--data", TestData.sampleOrders().toString(),
                    "--model-out", dir.resolve(v).toString(), "--model-version", v, "--random-state", v.substring(0, 1));
            assertThat(train.exitCode()).as(train.err()).isZero();
            CliRun pub = CliRun.of("publish", "--model-dir", dir.resolve(v).toString(), "--registry", registry, "--promote", "production");
            assertThat(pub.exitCode()).as(pub.err()).isZero();
            assertThat(pub.out()).contains("published " + registry + "/" + v + "/order-anomaly");
        }
        CliRun list = CliRun.of("list", "--registry", registry);
        assertThat(list.out()).contains("1111111", "2222222", "production", "precision=1.0000");

        AnomalyDetector prod = (AnomalyDetector) ModelLoader.load(registry + "/order-anomaly@production");
        assertThat(prod.manifest().version()).isEqualTo("2222222");
        assertThat(prod.score(new OrderMetrics("o", 3200, 9, 0.37)).anomalous()).isTrue();

        CliRun rollback = CliRun.of("rollback", "order-anomaly", "--registry", registry);
        assertThat(rollback.out()).contains("order-anomaly@production: 2222222 -> 1111111");
        assertThat(ModelLoader.load(registry + "/order-anomaly@production").manifest().version()).isEqualTo("1111111");

        CliRun missing = CliRun.of("promote", "order-anomaly", "--model-version", "9999999", "--registry", registry);
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("no model 'order-anomaly' version '9999999'");
    }
}
