package com.orderintel.advisor.feedback;

import com.orderintel.advisor.web.InvalidInputException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bound on a reported demand: factor x the training maximum of the target, never above the hard cap. */
@Tag("attack")
class DemandCeilingTest {

    private static final FeedbackProperties DEFAULTS = new FeedbackProperties(10, Duration.ofSeconds(10));

    @Test
    void aDemandAboveTenTimesTheTrainingMaximumIsRefused() {
        assertThatCode(() -> DemandCeiling.check(1200, 120.0, DEFAULTS)).doesNotThrowAnyException();
        assertThatThrownBy(() -> DemandCeiling.check(1200.5, 120.0, DEFAULTS)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("actual_demand: must be at most 1200.00")
                .hasMessageContaining("max-demand-factor 10.0000 x the served model's training maximum 120.000");
    }

    @Test
    void withoutATargetProfileTheHardCapHoldsAndAbsurdValuesNeverPass() {
        assertThatCode(() -> DemandCeiling.check(999_999, null, DEFAULTS)).doesNotThrowAnyException();
        assertThatThrownBy(() -> DemandCeiling.check(1e300, null, DEFAULTS)).hasMessageContaining("advisor.feedback.max-demand");
        assertThatThrownBy(() -> DemandCeiling.check(1e300, 1e299, DEFAULTS)).hasMessageContaining("advisor.feedback.max-demand");
        assertThatThrownBy(() -> DemandCeiling.check(Double.NaN, 120.0, DEFAULTS)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void boundsOutsideTheirRangeAreRefusedAtStartup() {
        assertThatThrownBy(() -> new FeedbackProperties(10, Duration.ofSeconds(1), 0.5, 1e6))
                .hasMessageContaining("max-demand-factor");
        assertThatThrownBy(() -> new FeedbackProperties(10, Duration.ofSeconds(1), 10, Double.POSITIVE_INFINITY))
                .hasMessageContaining("max-demand");
    }
}
