package com.orderintel.runner;

import com.orderintel.registry.AliasPolicy;
import com.orderintel.registry.ModelStore;
import com.orderintel.registry.ModelStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** promote on an alias the store's policy guards: refused with where to request it; the report travels with publish. */
class GuardedPromoteCliTest {

    @TempDir
    Path dir;

    @Test
    void aGuardedPromoteIsRefusedWithHowToRequestIt() throws Exception {
        String registry = dir.resolve("reg").toUri().toString();
        Path v1 = ModelDirs.write(dir.resolve("v1"), "order-anomaly", "v1", new byte[] {1});
        Files.writeString(v1.resolve("report.html"), "<html><body>report of v1</body></html>");
        assertThat(CliRun.of("publish", "--model-dir", v1.toString(), "--registry", registry, "--promote", "staging").exitCode()).isZero();
        try (ModelStore store = ModelStores.open(registry)) {
            assertThat(store.attachment("order-anomaly", "v1", "report.html")).isPresent();
            store.policy(new AliasPolicy(List.of("production"), "http://127.0.0.1:8085"));
        }

        CliRun refused = CliRun.of("promote", "order-anomaly", "--version", "v1", "--reason", "ship it", "--registry", registry);
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).startsWith("error: alias 'production' of model 'order-anomaly' is guarded")
                .contains("approved by a second person", "http://127.0.0.1:8085/console/models/order-anomaly");
        CliRun publishPromote = CliRun.of("publish", "--model-dir", v1.toString(), "--registry", registry, "--promote", "production");
        assertThat(publishPromote.exitCode()).isEqualTo(2);
        assertThat(publishPromote.err()).contains("is guarded");

        CliRun staging = CliRun.of("promote", "order-anomaly", "--alias", "staging", "--version", "v1", "--reason", "again",
                "--registry", registry);
        assertThat(staging.exitCode()).isZero();
        assertThat(CliRun.of("history", "order-anomaly", "--registry", registry).out()).contains("(again)").doesNotContain("production");
    }
}
