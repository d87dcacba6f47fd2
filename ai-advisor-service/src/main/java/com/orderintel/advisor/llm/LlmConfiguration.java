package com.orderintel.advisor.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.prompt.PromptParser;
import com.orderintel.prompt.PromptRef;
import com.orderintel.prompt.PromptRegistry;
import com.orderintel.prompt.PromptTemplate;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.web.client.RestClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({LlmProperties.class, EnrichRateLimit.class, LlmPricing.class})
public class LlmConfiguration {

    private static final Logger log = LoggerFactory.getLogger(LlmConfiguration.class);

    @Bean
    static LlmSecretSanitizer llmSecretSanitizer() {
        return new LlmSecretSanitizer();
    }

    /** All {@code classpath:prompts/<name>/<version>.md|.txt} templates. */
    @Bean
    PromptRegistry promptRegistry() throws IOException {
        List<PromptTemplate> templates = new ArrayList<>();
        for (Resource r : new PathMatchingResourcePatternResolver().getResources("classpath*:prompts/*/*.*")) {
            String file = r.getFilename();
            if (file == null || !(file.endsWith(".md") || file.endsWith(".txt"))) {
                continue;
            }
            String[] parts = r.getURL().toString().split("/");
            String name = parts[parts.length - 2];
            try (var in = r.getInputStream()) {
                templates.add(PromptParser.parse(name, file.substring(0, file.lastIndexOf('.')), in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read prompt " + r, e);
            }
        }
        return new PromptRegistry(templates);
    }

    @Bean
    LlmMetrics llmMetrics(MeterRegistry registry, LlmPricing pricing) {
        return new LlmMetrics(registry, pricing.prices());
    }

    /** The provider's circuit breaker lives here so resilience4j-micrometer exports its state and calls. */
    @Bean
    CircuitBreakerRegistry llmCircuitBreakers(MeterRegistry meters) {
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
        return registry;
    }

    @Bean
    RetryRegistry llmRetries(MeterRegistry meters) {
        RetryRegistry registry = RetryRegistry.ofDefaults();
        TaggedRetryMetrics.ofRetryRegistry(registry).bindTo(meters);
        return registry;
    }

    @Bean
    EmbeddingCache embeddingCache(LlmProperties props, ObjectProvider<RedisConnectionFactory> redis,
                                  LlmMetrics metrics) {
        if (!props.cache().enabled()) {
            return EmbeddingCache.DISABLED;
        }
        return new RedisEmbeddingCache(redis.getObject(), props.cache(), metrics);
    }

    /**
     * The enrichment prompt; if {@code advisor.llm.prompt-sha256} pins a checksum (as a model manifest's
     * {@code extensions.prompts} does), a template whose content changed is refused at startup.
     */
    @Bean
    EnrichmentService enrichmentService(LlmProperties props, RestClient.Builder builder, ObjectMapper json,
                                        EmbeddingCache cache, PromptRegistry prompts, LlmMetrics metrics,
                                        CircuitBreakerRegistry breakers, RetryRegistry retries, LlmBudget budget,
                                        @Value("${advisor.llm.features-prompt:order-note-features@v2}") String featuresPromptId) {
        String pinnedSha = props.promptSha256();
        PromptTemplate prompt = pinnedSha == null || pinnedSha.isBlank() ? prompts.get(props.promptName(), props.promptVersion())
                : prompts.resolve(new PromptRef(props.promptName(), props.promptVersion(), pinnedSha));
        log.info("LLM enrichment: provider={} configured={} cache={} prompt={} sha256={}", props.provider(),
                props.providerConfigured(), props.cache().enabled(), prompt.id(), prompt.sha256());
        PromptTemplate featuresPrompt = featuresPrompt(prompts, featuresPromptId);
        log.info("LLM note features: prompt={} sha256={}", featuresPrompt.id(), featuresPrompt.sha256());
        return new EnrichmentService(props, new OpenAiCompatibleClient(props, builder, new ProviderResponses(json), metrics,
                budget), cache, prompt, featuresPrompt, metrics, breakers, retries);
    }

    /** The one budget every provider call draws on ({@code advisor.llm.budget.*}, costs from the price table). */
    @Bean
    LlmBudget llmBudget(LlmProperties props, LlmPricing pricing, MeterRegistry meters) {
        LlmBudget budget = new LlmBudget(props.budget(), pricing.prices(), meters, Clock.systemUTC());
        if (props.providerConfigured()) {
            var prices = pricing.prices();
            for (String model : new String[] {OpenAiCompatibleClient.modelName(props, "chat"),
                    OpenAiCompatibleClient.modelName(props, "embeddings")}) {
                if (!prices.priced(model)) {
                    log.warn("LLM budget: model '{}' has no price in advisor.llm.pricing.table, so its calls count 0 "
                            + "towards advisor.llm.budget.daily-cost-cap-usd (only the per-minute limits bound them)", model);
                }
            }
        }
        log.info("LLM budget: {} requests/min, {} tokens/min, {} USD per UTC day, max_tokens {}",
                props.budget().requestsPerMinute(), props.budget().tokensPerMinute(), props.budget().dailyCostCapUsd(),
                props.budget().maxCompletionTokens());
        return budget;
    }

    /** {@code advisor.llm.features-prompt=NAME@VERSION[#sha256]}: the prompt that defines the note features. */
    static PromptTemplate featuresPrompt(PromptRegistry prompts, String id) {
        String[] idAndSha = id.strip().split("#", 2);
        String[] nameVersion = idAndSha[0].split("@", 2);
        if (nameVersion.length != 2 || nameVersion[0].isBlank() || nameVersion[1].isBlank()) {
            throw new IllegalArgumentException("advisor.llm.features-prompt must be NAME@VERSION[#sha256], e.g. "
                    + "order-note-features@v2, but was '" + id + "'");
        }
        return idAndSha.length == 2
                ? prompts.resolve(new PromptRef(nameVersion[0], nameVersion[1], idAndSha[1]))
                : prompts.get(nameVersion[0], nameVersion[1]);
    }
}
