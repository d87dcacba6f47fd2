package com.orderintel.advisor.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code models.maxServingBytes} reaches the service and the CronJob's runner as MODEL_MAX_SERVING_BYTES (real Helm). */
class ServingBudgetChartTest {

    private static final Path CHART = Path.of("..").toAbsolutePath().normalize().resolve("helm/ai-advisor-service");

    private static String render(UnaryOperator<TemplateCommand> values) {
        return values.apply(new Helm(CHART).template().withName("advisor").withNamespace("shop")).call();
    }

    @Test
    void theServingBudgetIsSetPerDeployOrLeftToTheServiceDefault() {
        assertThat(render(c -> c)).as("unset: the service's default applies").doesNotContain("MODEL_MAX_SERVING_BYTES");
        assertThat(render(c -> c.set("models.maxServingBytes", "134217728")))
                .contains("MODEL_MAX_SERVING_BYTES: \"134217728\"");
        assertThatThrownBy(() -> render(c -> c.set("models.maxServingBytes", "64MB")))
                .hasMessageContaining("maxServingBytes");
        assertThatThrownBy(() -> render(c -> c.set("models.maxServingBytes", "1000")))
                .as("below 1 MiB").hasMessageContaining("maxServingBytes");
    }
}
