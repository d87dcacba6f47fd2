package com.orderintel.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelUriTest {

    @Test
    void parsesExactS3Version() {
        ModelUri uri = ModelUri.parse("s3://models/prod/ab12cd/order-anomaly");
        assertThat(uri.location()).isEqualTo("s3://models/prod");
        assertThat(uri.version()).isEqualTo("ab12cd");
        assertThat(uri.name()).isEqualTo("order-anomaly");
        assertThat(uri.isAlias()).isFalse();
        assertThat(ModelUri.parse(uri.toString())).isEqualTo(uri);
    }

    @Test
    void parsesFileAlias() {
        ModelUri uri = ModelUri.parse("file:///var/registry/demand-forecast@production");
        assertThat(uri.location()).isEqualTo("file:///var/registry");
        assertThat(uri.alias()).isEqualTo("production");
        assertThat(uri.name()).isEqualTo("demand-forecast");
        assertThat(ModelUri.parse(uri.toString())).isEqualTo(uri);
        assertThat(uri.withVersion("abc").toString()).isEqualTo("file:///var/registry/abc/demand-forecast");
    }

    @Test
    void parsesBucketRootVersion() {
        ModelUri uri = ModelUri.parse("s3://models/abc/demand-forecast");
        assertThat(uri.location()).isEqualTo("s3://models");
        assertThat(uri.version()).isEqualTo("abc");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "http://host/a/b", "s3:///a/b", "file:///only-name", "file:///r/../x",
            "file:///r/v/na me", "s3://bucket/name@", "file://host/r/v/n"})
    void rejectsMalformedUrisWithClearMessage(String raw) {
        assertThatThrownBy(() -> ModelUri.parse(raw))
                .isInstanceOf(RegistryException.class)
                .hasMessageStartingWith("invalid MODEL_URI");
    }
}
