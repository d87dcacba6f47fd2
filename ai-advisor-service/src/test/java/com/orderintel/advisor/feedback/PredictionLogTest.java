package com.orderintel.advisor.feedback;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PredictionLogTest {

    @Test
    void keepsTheLastCapacityPredictionsAndFindsThemById() {
        PredictionLog log = new PredictionLog(new FeedbackProperties(100, java.time.Duration.ofSeconds(10)));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            ids.add(log.demand("demand-forecast", "v1", "SKU-1|2024-08-15", i));
        }
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(log.find(ids.get(149))).isNull(); // evicted by the ring
        PredictionLog.Prediction p = log.find(ids.get(150));
        assertThat(p.value()).isEqualTo(150.0);
        assertThat(p.kind()).isEqualTo(PredictionLog.Kind.DEMAND);
        assertThat(log.find(ids.get(249)).value()).isEqualTo(249.0);
    }

    @Test
    void refusesForeignAndMalformedIdsAndCountsFeedbackOnce() {
        PredictionLog log = new PredictionLog(new FeedbackProperties(10, java.time.Duration.ofSeconds(10)));
        String id = log.anomaly("order-anomaly", "v1", "o-1", true, -0.2);
        assertThat(log.find("ffffffff-0")).isNull();
        assertThat(log.find(id.substring(0, id.lastIndexOf('-')) + "-0000000000000000"))
                .as("the right sequence with a guessed secret").isNull();
        assertThat(log.find(id + "x")).isNull();
        assertThat(log.find(null)).isNull();
        assertThat(log.find(new PredictionLog(new FeedbackProperties(10, java.time.Duration.ofSeconds(10))).anomaly("order-anomaly", "v1", "o-1", true, -0.2))).isNull();

        PredictionLog.Prediction p = log.find(id);
        assertThat(p.anomalous()).isTrue();
        assertThat(p.key()).isEqualTo("o-1");
        assertThat(log.claimFeedback(p)).isTrue();
        assertThat(log.claimFeedback(log.find(id))).isFalse();
        assertThat(log.claimFeedback(p)).isFalse();
    }
}
