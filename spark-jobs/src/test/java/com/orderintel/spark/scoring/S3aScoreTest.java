package com.orderintel.spark.scoring;

import com.orderintel.dataset.DataGenerator;
import com.orderintel.spark.LocalSpark;
import com.orderintel.testkit.S3ProxyFixture;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

import java.nio.file.Path;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Orders read from and predictions written to S3 through Hadoop's s3a connector (on the AWS SDK's own modules, no
 * bundle jar), against a real S3 server (S3Proxy) on loopback.
 */
class S3aScoreTest {

    static S3ProxyFixture s3;
    static SparkSession spark;
    @TempDir
    static Path work;

    @BeforeAll
    static void setUp() {
        s3 = new S3ProxyFixture();
        spark = LocalSpark.session();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        hadoop.set("fs.s3a.endpoint", s3.endpoint().toString());
        hadoop.set("fs.s3a.endpoint.region", "us-east-1");
        hadoop.set("fs.s3a.path.style.access", "true");
        hadoop.set("fs.s3a.connection.ssl.enabled", "false");
        hadoop.set("fs.s3a.access.key", S3ProxyFixture.ACCESS_KEY);
        hadoop.set("fs.s3a.secret.key", S3ProxyFixture.SECRET_KEY);
        hadoop.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    }

    @AfterAll
    static void tearDown() throws Exception {
        s3.close();
    }

    @Test
    void ordersOnS3AreScoredIntoS3() {
        String uri = LocalSpark.publish(work.resolve("registry"), "anomaly-v1");
        Path orders = work.resolve("orders.csv");
        DataGenerator.orders(orders, 2_000, 0.05, 3L);
        String bucket = s3.newBucket();
        try (var client = s3.client()) {
            client.putObject(b -> b.bucket(bucket).key("in/orders.csv"), RequestBody.fromFile(orders));
        }
        String out = "s3a://" + bucket + "/predictions";
        ScoreJob.Summary s = new ScoreJob(spark).run(new ScoreJob.Options(uri, "s3a://" + bucket + "/in/orders.csv", null, out,
                ScoreJob.Format.PARQUET, "s3a", 1_000));

        assertThat(s.scored()).isEqualTo(2_000);
        assertThat(spark.read().parquet(out).filter(col(PredictionSchema.OUTCOME).equalTo(PredictionSchema.SCORED))
                .select("order_id").distinct().count()).isEqualTo(2_000);
        try (var client = s3.client()) {
            assertThat(client.listObjectsV2(b -> b.bucket(bucket).prefix("predictions/_SUCCESS")).contents()).hasSize(1);
        }
    }
}
