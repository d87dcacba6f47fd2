package com.orderintel.training.forecast;

import com.orderintel.dataset.Datasets;
import com.orderintel.dataset.DemandRow;
import com.orderintel.training.TestData;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A demand model's manifest names the range of the demand it was trained on ({@code extensions.target_profile}): the
 * service bounds reported actuals by it (advisor.feedback.max-demand-factor x max).
 */
class TargetProfileTest {

    @Test
    void theManifestRecordsTheTrainingRangeOfTheTarget() {
        DemandTraining.Result<?> r = new DemandTraining().train(Datasets.demand(TestData.sampleDemand()), 0.2, 42,
                TestData.provenance());
        @SuppressWarnings("unchecked")
        Map<String, Object> profile = (Map<String, Object>) r.model().manifest().extensions().get(DemandTraining.TARGET_PROFILE);
        assertThat(profile).containsOnlyKeys("min", "max");
        double trainMax = (Double) profile.get("max");
        double fileMax = Datasets.demand(TestData.sampleDemand()).rows().stream().mapToDouble(DemandRow::demand).max().orElseThrow();
        assertThat(trainMax).isPositive().isLessThanOrEqualTo(fileMax);
        assertThat((Double) profile.get("min")).isLessThanOrEqualTo(trainMax);
    }
}
