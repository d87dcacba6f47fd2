package com.orderintel.advisor.llm;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

import java.util.regex.Pattern;

/**
 * Masks secrets in /actuator/env and /actuator/configprops even when those endpoints are configured to show
 * values ({@code show-values: always/when-authorized}): any key that looks like a credential (provider API keys,
 * the Vault token, AppRole secret-id, AWS access keys, passwords, our bearer tokens) is shown as {@code ******}, and
 * the user info of any URL value (JDBC, AMQP, Redis) too.
 */
public class LlmSecretSanitizer implements SanitizingFunction {

    static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(api[-_.]?key|apikey|access[-_.]?key|private[-_.]?key|token|secret|secret[-_.]?id|password|credentials?|role[-_.]?id)$");
    /** user:password@ (or a token@) in any URL: JDBC, AMQP, Redis. */
    static final Pattern URL_USER_INFO = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://)[^/@\\s]+@");

    @Override
    public SanitizableData apply(SanitizableData data) {
        if (data.getKey() != null && SECRET_KEY.matcher(data.getKey()).matches()) {
            return data.withSanitizedValue();
        }
        if (data.getValue() instanceof CharSequence value && URL_USER_INFO.matcher(value).find()) {
            return data.withValue(URL_USER_INFO.matcher(value).replaceAll("$1" + SanitizableData.SANITIZED_VALUE + "@"));
        }
        return data;
    }
}
