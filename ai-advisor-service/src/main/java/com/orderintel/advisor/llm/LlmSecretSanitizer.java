package com.orderintel.advisor.llm;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

import java.util.regex.Pattern;

/**
 * Masks secrets in /actuator/env and /actuator/configprops even when those endpoints are configured to show
 * values ({@code show-values: always/when-authorized}): any key that looks like a credential (provider API keys,
 * the Vault token, AppRole secret-id, passwords) is shown as {@code ******}.
 */
public class LlmSecretSanitizer implements SanitizingFunction {

    static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(api[-_.]?key|apikey|token|secret|password|credentials?|role[-_.]?id)$");

    @Override
    public SanitizableData apply(SanitizableData data) {
        return data.getKey() != null && SECRET_KEY.matcher(data.getKey()).matches() ? data.withSanitizedValue() : data;
    }
}
