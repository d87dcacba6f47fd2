package com.orderintel.advisor.llm;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code advisor.llm.*}. Provider keys normally come from Vault (profile {@code vault}, KV v2 entries named
 * exactly like these properties, e.g. {@code advisor.llm.openai.api-key}). Every {@code toString} redacts keys so
 * they cannot leak through logs; actuator output is masked by {@link LlmSecretSanitizer}.
 */
@ConfigurationProperties("advisor.llm")
public record LlmProperties(
        @DefaultValue("none") Provider provider,
        @DefaultValue OpenAi openai,
        @DefaultValue Azure azure,
        @DefaultValue Http http,
        @DefaultValue Resilience resilience,
        @DefaultValue Cache cache,
        @DefaultValue("256") int fallbackDimensions,
        @DefaultValue("order-note-enrichment") String promptName,
        @DefaultValue("v2") String promptVersion,
        String promptSha256,
        @DefaultValue Budget budget) {

    /** Which remote provider to call; {@code none} = always the local deterministic fallback. */
    public enum Provider { NONE, OPENAI, AZURE }

    /** Any OpenAI-compatible server (OpenAI itself, vLLM, Ollama, LocalAI ...). */
    public record OpenAi(@DefaultValue("https://api.openai.com/v1") String baseUrl, String apiKey,
                         @DefaultValue("gpt-4o-mini") String chatModel,
                         @DefaultValue("text-embedding-3-small") String embeddingModel) {
        @Override
        public String toString() {
            return "OpenAi[baseUrl=" + baseUrl + ", apiKey=" + redact(apiKey) + ", chatModel=" + chatModel
                    + ", embeddingModel=" + embeddingModel + "]";
        }
    }

    /** Azure OpenAI: deployments instead of model names, {@code api-key} header, {@code api-version} query. */
    public record Azure(String endpoint, String apiKey, String chatDeployment, String embeddingDeployment,
                        @DefaultValue("2024-10-21") String apiVersion) {
        @Override
        public String toString() {
            return "Azure[endpoint=" + endpoint + ", apiKey=" + redact(apiKey) + ", chatDeployment="
                    + chatDeployment + ", embeddingDeployment=" + embeddingDeployment + ", apiVersion=" + apiVersion
                    + "]";
        }
    }

    public record Http(@DefaultValue("2s") Duration connectTimeout, @DefaultValue("10s") Duration readTimeout) { }

    /** Retry (per call) inside a circuit breaker shared by chat and embeddings. */
    public record Resilience(@DefaultValue("3") int maxAttempts, @DefaultValue("200ms") Duration retryBackoff,
                             @DefaultValue("50") float failureRateThreshold,
                             @DefaultValue("10") int slidingWindowSize,
                             @DefaultValue("5") int minimumNumberOfCalls,
                             @DefaultValue("30s") Duration openDuration) { }

    /** Redis embedding cache; off unless enabled so the service never needs Redis. */
    public record Cache(@DefaultValue("false") boolean enabled, @DefaultValue("advisor:llm:emb:") String keyPrefix,
                        @DefaultValue("24h") Duration ttl, @DefaultValue("100000") long maxEntries) { }

    /**
     * The one budget every provider call of this replica draws on (chat and embeddings, every caller): requests and
     * tokens per minute (token buckets, refilled smoothly) and a cost cap per UTC day estimated from
     * {@code advisor.llm.pricing.table}; {@code max-completion-tokens} is sent as {@code max_tokens} on chat calls and
     * counted before each call with the prompt's estimate ({@code ceil(request body UTF-8 bytes / 3)}), then replaced
     * by the provider's reported usage. Beyond it the offline rules answer ({@code reason=budget}).
     */
    public record Budget(@DefaultValue("60") int requestsPerMinute, @DefaultValue("40000") long tokensPerMinute,
                         @DefaultValue("5.00") double dailyCostCapUsd, @DefaultValue("256") int maxCompletionTokens) {
        public Budget {
            if (requestsPerMinute < 1 || tokensPerMinute < 1 || !(dailyCostCapUsd > 0) || Double.isInfinite(dailyCostCapUsd)
                    || maxCompletionTokens < 1) {
                throw new IllegalArgumentException("advisor.llm.budget needs requests-per-minute, tokens-per-minute, "
                        + "max-completion-tokens >= 1 and a finite daily-cost-cap-usd > 0 (provider=none turns calls off)");
            }
        }
    }

    /** True when the selected provider has what it needs to be called. */
    public boolean providerConfigured() {
        return switch (provider) {
            case NONE -> false;
            case OPENAI -> hasText(openai.baseUrl()) && hasText(openai.apiKey());
            case AZURE -> hasText(azure.endpoint()) && hasText(azure.apiKey())
                    && hasText(azure.chatDeployment()) && hasText(azure.embeddingDeployment());
        };
    }

    /** The model name used in cache keys, so embeddings of different models never mix. */
    public String embeddingModelId() {
        return switch (provider) {
            case NONE -> "local-hash-" + fallbackDimensions;
            case OPENAI -> openai.embeddingModel();
            case AZURE -> "azure-" + azure.embeddingDeployment();
        };
    }

    static String redact(String secret) {
        return secret == null || secret.isEmpty() ? "<unset>" : "******";
    }

    private static boolean hasText(String s) {
        return s != null && !s.isBlank();
    }
}
