package com.orderintel.advisor.llm;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.actuate.endpoint.SanitizableData;

import static org.assertj.core.api.Assertions.assertThat;

/** What /actuator/env and /actuator/configprops show when someone turns show-values on. */
class LlmSecretSanitizerTest {

    private final LlmSecretSanitizer sanitizer = new LlmSecretSanitizer();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            AWS_SECRET_ACCESS_KEY                       | wJalrXUtnFEMI/K7MDENG            | ******
            AWS_ACCESS_KEY_ID                           | AKIAIOSFODNN7EXAMPLE             | AKIAIOSFODNN7EXAMPLE
            SPRING_CLOUD_VAULT_APP_ROLE_SECRET_ID       | 3f1c-secret                      | ******
            ADVISOR_SECURITY_ADMIN_TOKEN                | abcdefabcdefabcdef               | ******
            advisor.security.admin-token                | abcdefabcdefabcdef               | ******
            spring.datasource.url                       | jdbc:postgresql://app:pw@db:5432/x | jdbc:postgresql://******@db:5432/x
            spring.rabbitmq.addresses                   | amqp://guest:guest@mq:5672/vh    | amqp://******@mq:5672/vh
            spring.data.redis.url                       | redis://:hunter2@cache:6379      | redis://******@cache:6379
            spring.data.redis.host                      | cache                            | cache
            """)
    void masksSecretsAndUrlUserInfo(String key, String value, String shown) {
        SanitizableData out = sanitizer.apply(new SanitizableData(null, key, value));
        assertThat(String.valueOf(out.getValue())).isEqualTo(shown);
    }
}
