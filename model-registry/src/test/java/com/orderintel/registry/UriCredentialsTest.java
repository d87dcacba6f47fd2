package com.orderintel.registry;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** User info (credentials) in a URI is refused, and masked wherever the URI is echoed. */
class UriCredentialsTest {

    static final String KEY = "AKIAIOSFODNN7EXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    @Test
    void redactMasksUserInfoAndNothingElse() {
        assertThat(ModelUri.redact("s3://" + KEY + ":S3cr3tV4lue@bucket/p/v1/m")).isEqualTo("s3://***@bucket/p/v1/m");
        assertThat(ModelUri.redact("s3://" + KEY + ":" + SECRET + "@bucket/p/m@production")).isEqualTo("s3://***@bucket/p/m@production");
        assertThat(ModelUri.redact("cannot load uri=s3://u:p@b/v/m: 'https://user@idp/x' and http://h:8080/ok"))
                .isEqualTo("cannot load uri=s3://***@b/v/m: 'https://***@idp/x' and http://h:8080/ok");
        for (String clean : new String[] {"s3://bucket/prefix/m@production", "file:///reg/v1/m", "file:///reg/m@staging",
                "http://h:8080/path", "http://h:8080/a@b", "no uri here @all", "", "s3://"}) {
            assertThat(ModelUri.redact(clean)).isEqualTo(clean);
        }
        assertThat(ModelUri.redact("s3://" + KEY + ":" + SECRET + " trailing")).isEqualTo("s3://*** trailing")
                .as("no '@' at all: the word is masked, a secret's tail cannot be told from a path");
        assertThat(ModelUri.redact("s3://" + KEY + ":12345/x@bucket/v1/m")).isEqualTo("s3://***@bucket/v1/m");
        assertThat(ModelUri.redact(null)).isNull();
    }

    @Test
    @Tag("attack")
    void credentialsInAModelUriAreRefusedAndNeverEchoed() {
        for (String raw : new String[] {"s3://" + KEY + ":S3cr3tV4lue@bucket/prefix/v1/order-anomaly",
                "s3://" + KEY + ":" + SECRET + "@bucket/prefix/v1/order-anomaly",
                "s3://" + KEY + "@bucket/prefix/order-anomaly@production",
                "file://" + KEY + ":S3cr3tV4lue@/reg/v1/order-anomaly",
                "s3://" + KEY + ":S3cr3tV4lue with space@bucket/v1/m"}) {
            assertThatThrownBy(() -> ModelUri.parse(raw)).as(raw).isInstanceOf(RegistryException.class)
                    .satisfies(e -> assertThat(((RegistryException) e).reason()).isEqualTo(RegistryException.Reason.INVALID_URI))
                    .hasMessageNotContaining(KEY).hasMessageNotContaining("S3cr3t").hasMessageNotContaining("K7MDENG");
        }
        assertThatThrownBy(() -> new S3ModelStore(null, "s3://" + KEY + ":S3cr3tV4lue@bucket/prefix", RegistryLimits.DEFAULT))
                .hasMessageContaining("carries credentials").hasMessageNotContaining(KEY).hasMessageNotContaining("S3cr3t");
        assertThatThrownBy(() -> ModelStores.open("gs://" + KEY + ":S3cr3tV4lue@bucket/prefix"))
                .hasMessageNotContaining(KEY).hasMessageNotContaining("S3cr3t");
        assertThatThrownBy(() -> new ModelUri("s3://" + KEY + ":S3cr3tV4lue@bucket", "m", "v1", null))
                .hasMessageNotContaining(KEY).hasMessageNotContaining("S3cr3t");
    }
}
