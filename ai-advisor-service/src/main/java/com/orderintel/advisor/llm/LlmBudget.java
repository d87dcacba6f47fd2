package com.orderintel.advisor.llm;

import com.orderintel.llm.TokenPrices;
import com.orderintel.llm.Usage;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The one LLM budget of this replica that every provider call draws on before it is made ({@link
 * OpenAiCompatibleClient} is the only place that calls a provider): requests per minute and tokens per minute as
 * Bucket4j token buckets (greedy refill: the minute's allowance comes back smoothly), and a cost cap per UTC day from
 * the price table. A call that would go over any of them is refused with a {@link ProviderException} of reason
 * {@link FallbackReason#BUDGET} (not retried, not counted by the circuit breaker), so the offline rules answer.
 *
 * <p>Tokens are counted twice: before the call an estimate ({@link #estimatePromptTokens} of the request body plus the
 * completion cap sent as {@code max_tokens}) is taken from the bucket and its estimated cost reserved; after the call
 * the provider's reported {@code usage} replaces it (the difference is given back or taken on top, which may leave the
 * bucket in debt until it refills). A failed call, or an answer without {@code usage}, keeps the estimate: the provider
 * may have billed it. The day's cost ledger is hand-written (a sum that starts again at UTC midnight, not a rate).
 *
 * <p>Meters: {@code advisor_llm_budget_remaining{limit=requests_per_minute|tokens_per_minute|daily_cost_usd}} (the same values tag refusals),
 * {@code advisor_llm_budget_spent_today{kind=requests|tokens|cost_usd}} and
 * {@code advisor_llm_budget_refused_total{operation,limit}}.
 */
public final class LlmBudget {

    private static final Logger log = LoggerFactory.getLogger(LlmBudget.class);

    /** Which limit refused a call; the {@code limit} tag. */
    public enum Limit {
        REQUESTS_PER_MINUTE, TOKENS_PER_MINUTE, DAILY_COST_USD;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What one admitted call holds until {@link #settle}: its estimate of tokens and cost, and the day it counts on. */
    public record Permit(String model, long estimatedTokens, double estimatedCostUsd, LocalDate day) { }

    private final LlmProperties.Budget settings;
    private final TokenPrices prices;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Bucket requests;
    private final Bucket tokens;
    // today's ledger (UTC day), guarded by this
    private LocalDate day;
    private double spentUsd;
    private double reservedUsd;
    private long requestsToday;
    private long tokensToday;
    private boolean refusing;

    public LlmBudget(LlmProperties.Budget settings, TokenPrices prices, MeterRegistry meters, Clock clock) {
        this.settings = settings;
        this.prices = prices;
        this.meters = meters;
        this.clock = clock;
        TimeMeter time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                Instant now = clock.instant();
                return now.getEpochSecond() * 1_000_000_000L + now.getNano();
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
        this.requests = Bucket.builder().withCustomTimePrecision(time).addLimit(l -> l.capacity(settings.requestsPerMinute())
                .refillGreedy(settings.requestsPerMinute(), Duration.ofMinutes(1))).build();
        this.tokens = Bucket.builder().withCustomTimePrecision(time).addLimit(l -> l.capacity(settings.tokensPerMinute())
                .refillGreedy(settings.tokensPerMinute(), Duration.ofMinutes(1))).build();
        this.day = today();
        remaining(Limit.REQUESTS_PER_MINUTE, b -> Math.max(0, b.requests.getAvailableTokens()));
        remaining(Limit.TOKENS_PER_MINUTE, b -> Math.max(0, b.tokens.getAvailableTokens()));
        Gauge.builder("advisor.llm.budget.remaining", this, LlmBudget::remainingCostUsd)
                .description("What is left of the LLM budget (per minute, or today's cost in USD)")
                .tag("limit", "daily_cost_usd").register(meters);
        spent("requests", b -> b.snapshot()[0]);
        spent("tokens", b -> b.snapshot()[1]);
        spent("cost_usd", b -> b.snapshot()[2]);
        for (String operation : new String[] {"chat", "embeddings"}) { // exported at 0 before the first refusal
            for (Limit limit : Limit.values()) {
                refused(operation, limit);
            }
        }
    }

    /** A budget with these settings, no prices (cost 0) and meters nobody reads: for clients built without one. */
    public static LlmBudget unpriced(LlmProperties.Budget settings) {
        return new LlmBudget(settings, new TokenPrices(Map.of()), new SimpleMeterRegistry(), Clock.systemUTC());
    }

    /**
     * Tokens a request body will be billed for at most, estimated before the call: one per three UTF-8 bytes, rounded
     * up (English runs about four characters a token, CJK about one 3-byte character a token, so this over-counts
     * rather than under-counts; the JSON around the text covers the provider's per-message overhead).
     */
    public static long estimatePromptTokens(String requestBody) {
        return (requestBody.getBytes(StandardCharsets.UTF_8).length + 2L) / 3;
    }

    public int maxCompletionTokens() {
        return settings.maxCompletionTokens();
    }

    /**
     * Takes one request, the estimated tokens and the estimated cost from the budget, or refuses the call.
     *
     * @throws ProviderException reason {@link FallbackReason#BUDGET}, naming the limit, when any limit would be passed
     */
    public Permit acquire(String operation, String model, long promptTokens, long completionTokens) {
        long estimate = promptTokens + completionTokens;
        double cost = prices.cost(model, new Usage(promptTokens, completionTokens));
        synchronized (this) {
            roll();
            if (spentUsd + reservedUsd + cost > settings.dailyCostCapUsd()) {
                throw refuse(operation, Limit.DAILY_COST_USD, String.format(Locale.ROOT,
                        "today's LLM cost cap of %.4f USD is reached (spent %.6f USD, this call about %.6f USD)",
                        settings.dailyCostCapUsd(), spentUsd + reservedUsd, cost));
            }
            if (!requests.tryConsume(1)) {
                throw refuse(operation, Limit.REQUESTS_PER_MINUTE, "the LLM budget of "
                        + settings.requestsPerMinute() + " requests per minute is used up");
            }
            if (!tokens.tryConsume(estimate)) {
                requests.addTokens(1);
                throw refuse(operation, Limit.TOKENS_PER_MINUTE, "the LLM budget of " + settings.tokensPerMinute()
                        + " tokens per minute is used up (this call needs about " + estimate + ")");
            }
            reservedUsd += cost;
            requestsToday++;
            if (refusing) {
                refusing = false;
                log.info("LLM budget available again: provider calls resume");
            }
        }
        return new Permit(model, estimate, cost, day);
    }

    /** Replaces the permit's estimate by what the provider reported ({@code null} or no usage: the estimate stays). */
    public void settle(Permit permit, Usage reported) {
        boolean known = reported != null && (reported.promptTokens() > 0 || reported.completionTokens() > 0);
        long actual = known ? reported.promptTokens() + reported.completionTokens() : permit.estimatedTokens();
        double cost = known ? prices.cost(permit.model(), reported) : permit.estimatedCostUsd();
        long diff = actual - permit.estimatedTokens();
        if (diff > 0) { // debt of at most an hour's tokens, whatever a provider reports
            tokens.consumeIgnoringRateLimits(Math.min(diff, settings.tokensPerMinute() * 60));
        } else if (diff < 0) {
            tokens.addTokens(-diff);
        }
        synchronized (this) {
            roll();
            if (permit.day().equals(day)) {
                reservedUsd = Math.max(0, reservedUsd - permit.estimatedCostUsd());
            }
            spentUsd += cost;
            tokensToday += actual;
        }
    }

    /** Today's (UTC) admitted requests, tokens (reported, or estimated where none was) and estimated cost in USD. */
    public synchronized double[] snapshot() {
        roll();
        return new double[] {requestsToday, tokensToday, spentUsd};
    }

    private synchronized double remainingCostUsd() {
        roll();
        return Math.max(0, settings.dailyCostCapUsd() - spentUsd - reservedUsd);
    }

    private Counter refused(String operation, Limit limit) {
        return Counter.builder("advisor.llm.budget.refused").description("Provider calls refused by the LLM budget")
                .tag("operation", operation).tag("limit", limit.tag()).register(meters);
    }

    private ProviderException refuse(String operation, Limit limit, String message) {
        refused(operation, limit).increment();
        if (!refusing) {
            refusing = true;
            log.warn("{}: provider calls are refused and the offline rules answer until the budget refills", message);
        }
        return new ProviderException(FallbackReason.BUDGET, operation + ": " + message, null, false);
    }

    private void roll() {
        LocalDate today = today();
        if (!today.equals(day)) {
            day = today;
            spentUsd = 0;
            reservedUsd = 0;
            requestsToday = 0;
            tokensToday = 0;
        }
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private void remaining(Limit limit, ToDoubleFunction<LlmBudget> value) {
        Gauge.builder("advisor.llm.budget.remaining", this, value)
                .description("What is left of the LLM budget (per minute, or today's cost in USD)")
                .tag("limit", limit.tag()).register(meters);
    }

    private void spent(String kind, ToDoubleFunction<LlmBudget> value) {
        Gauge.builder("advisor.llm.budget.spent.today", this, value)
                .description("What the LLM budget let through today (UTC): requests, tokens, estimated USD")
                .tag("kind", kind).register(meters);
    }
}
