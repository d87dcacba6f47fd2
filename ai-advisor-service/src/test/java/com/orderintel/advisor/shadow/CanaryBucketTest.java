package com.orderintel.advisor.shadow;

import com.orderintel.advisor.serving.PredictionCapture;
import com.orderintel.advisor.model.ModelSlot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The canary bucket is a keyed hash (HMAC-SHA256 under the deployment's secret): stable per order, different per
 * secret, and no longer the public FNV-1a a client could compute to pick order ids that meet the model it wants.
 */
@Tag("attack")
class CanaryBucketTest {

    private static final String SECRET = "a-deployment-secret-0123456789";

    /** The bucket before: FNV-1a (64 bit) with a final mix, computable by anyone. */
    private static double publicFnv(String key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (h >>> 11) * 0x1.0p-53;
    }

    @Test
    void theSameOrderAlwaysMeetsTheSameModelAndSecretsDisagree() {
        ShadowScorer a = new ShadowScorer(new ShadowProperties(10, 10, 0.2, SECRET), PredictionCapture.OFF, new SimpleMeterRegistry());
        ShadowScorer replica = new ShadowScorer(new ShadowProperties(10, 10, 0.2, SECRET), PredictionCapture.OFF, new SimpleMeterRegistry());
        ShadowScorer other = new ShadowScorer(new ShadowProperties(10, 10, 0.2, "another-deployment-secret-42"),
                PredictionCapture.OFF, new SimpleMeterRegistry());
        int differ = 0;
        int canary = 0;
        for (int i = 0; i < 10_000; i++) {
            String id = "ORD-" + i;
            boolean c = a.canary(ModelSlot.ANOMALY, id);
            assertThat(a.canary(ModelSlot.ANOMALY, id)).isEqualTo(c);
            assertThat(replica.canary(ModelSlot.ANOMALY, id)).as("replicas with the same secret agree").isEqualTo(c);
            differ += c != other.canary(ModelSlot.ANOMALY, id) ? 1 : 0;
            canary += c ? 1 : 0;
        }
        assertThat(canary / 10_000.0).isCloseTo(0.2, within(0.015));
        // independent buckets disagree on 2 x 0.2 x 0.8 = 32 % of orders
        assertThat(differ / 10_000.0).as("another secret gives other buckets").isCloseTo(0.32, within(0.03));
    }

    @Test
    void idsChosenWithThePublicHashNoLongerPickTheModel() {
        // the attack: choose ids whose public FNV-1a bucket is below the share (before: all met the candidate)
        int chosen = 0;
        int metCandidate = 0;
        for (int i = 0; chosen < 2_000; i++) {
            String id = "ORD-" + i;
            if (publicFnv(id) < 0.2) {
                chosen++;
                metCandidate += ShadowScorer.bucket(SECRET, id) < 0.2 ? 1 : 0;
            }
        }
        assertThat(metCandidate / 2_000.0).as("chosen ids meet the candidate at the configured share, not always")
                .isCloseTo(0.2, within(0.03));
        assertThat(ShadowScorer.bucket(SECRET, "ORD-1")).isNotEqualTo(publicFnv("ORD-1"));
    }

    @Test
    void aCanaryShareNeedsASecret() {
        assertThatThrownBy(() -> new ShadowProperties(10, 10, 0.05, "")).hasMessageContaining("advisor.shadow.canary-secret");
        assertThatThrownBy(() -> new ShadowProperties(10, 10, 0.05, "short")).hasMessageContaining("at least 16 characters");
        assertThat(new ShadowProperties(10, 10, 0.05, SECRET).toString()).doesNotContain(SECRET);
    }
}
