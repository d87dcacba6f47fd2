package com.orderintel.advisor.llm;

import com.orderintel.llm.TokenPrices;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code advisor.llm.pricing.table}: US dollars per million prompt / completion tokens by model name
 * ({@code model=prompt/completion,...}; Azure models by {@code azure-<deployment>}), for the estimated cost metric.
 * Prices change: keep the table in the deployment's configuration; the defaults are examples from OpenAI's price list.
 */
@ConfigurationProperties("advisor.llm.pricing")
public record LlmPricing(
        @DefaultValue("gpt-4o-mini=0.15/0.60,gpt-4o=2.50/10.00,text-embedding-3-small=0.02/0,text-embedding-3-large=0.13/0")
        String table) {

    public TokenPrices prices() {
        try {
            return TokenPrices.parse(table);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("advisor.llm.pricing.table: " + e.getMessage(), e);
        }
    }
}
