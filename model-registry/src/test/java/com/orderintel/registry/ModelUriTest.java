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
    @Test
    void rejectsPathTricksControlCharactersAndAbsurdLengthsNamingTheProblem() {
        assertThatThrownBy(() -> ModelUri.parse("file:///r/../order-anomaly"))
                .hasMessageContaining("version '..' is not allowed: it is a relative path");
        assertThatThrownBy(() -> ModelUri.parse("file:///r/%2e%2e/order-anomaly")) // percent-encoded '..'
                .hasMessageContaining("version '..' is not allowed");
        assertThatThrownBy(() -> ModelUri.parse("s3://b/p/v1/m%2F..%2Fx"))
                .hasMessageStartingWith("invalid MODEL_URI").hasMessageContaining("is not allowed");
        assertThatThrownBy(() -> ModelUri.parse("file:///r/v1/m\u0000x"))
                .hasMessageContaining("control character").hasMessageContaining("\\u0000");
        assertThatThrownBy(() -> ModelUri.parse("file:///r/v1/" + "m".repeat(129)))
                .hasMessageContaining("it is 129 characters long (at most 128)");
        assertThatThrownBy(() -> ModelUri.parse("file:///r/order-anomaly@" + "a".repeat(300)))
                .hasMessageContaining("alias 'aaaa").hasMessageContaining("(300 characters) is not allowed");
        String huge = "s3://bucket/" + "p/".repeat(50_000) + "v1/m";
        assertThatThrownBy(() -> ModelUri.parse(huge))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("characters long (at most 2048)")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(500));
    }

    @Test
    void everyModelUriNamesAValidModelHoweverItIsBuilt() {
        assertThatThrownBy(() -> new ModelUri("file:///r", "../x", "v1", null))
                .isInstanceOf(RegistryException.class).hasMessageContaining("model name '../x' is not allowed");
        assertThatThrownBy(() -> new ModelUri("file:///r", "m", "v/1", null)).hasMessageContaining("version 'v/1'");
        assertThatThrownBy(() -> new ModelUri("file:///r", "m", null, "a\nb")).hasMessageContaining("alias 'a\\u000Ab'");
        assertThatThrownBy(() -> new ModelUri("file:///r", "m", "v1", "prod")).hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> new ModelUri("file:///r", "m", null, null)).hasMessageContaining("exactly one of");
        assertThat(new ModelUri("file:///r", "m", null, "prod").toString()).isEqualTo("file:///r/m@prod");
    }
}
