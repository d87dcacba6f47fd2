package com.orderintel.advisor.llm;

import com.orderintel.advisor.web.ApiProblemException;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.http.HttpStatus;

import java.time.Duration;
import java.util.Map;

/**
 * {@code advisor.llm.rate-limit.*}: enrichment requests this replica accepts per period (resilience4j RateLimiter,
 * per instance), since each may be a paid provider call. Beyond it: 429 problem with {@code retry_after_seconds}.
 * {@code limit-for-period} has its default in application.yml, which binds it to {@code ADVISOR_LLM_RATE_LIMIT}.
 */
@ConfigurationProperties("advisor.llm.rate-limit")
public record EnrichRateLimit(int limitForPeriod, @DefaultValue("1s") Duration refreshPeriod) {

    public EnrichRateLimit {
        if (limitForPeriod < 1 || refreshPeriod.isZero() || refreshPeriod.isNegative()) {
            throw new IllegalArgumentException("advisor.llm.rate-limit needs limit-for-period >= 1 and a positive refresh-period");
        }
    }

    RateLimiter limiter() {
        return RateLimiter.of("llm-enrich", RateLimiterConfig.custom().limitForPeriod(limitForPeriod)
                .limitRefreshPeriod(refreshPeriod).timeoutDuration(Duration.ZERO).build());
    }

    /** 429: the caller should come back after the period. */
    static final class RateLimitedException extends ApiProblemException {
        private final long retryAfterSeconds;

        RateLimitedException(EnrichRateLimit limit) {
            super(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests",
                    "enrichment is limited to " + limit.limitForPeriod() + " requests per " + limit.refreshPeriod().toMillis()
                            + " ms on this instance; retry later");
            this.retryAfterSeconds = Math.max(1, (limit.refreshPeriod().toMillis() + 999) / 1000);
        }

        @Override
        public Map<String, Object> properties() {
            return Map.of("retry_after_seconds", retryAfterSeconds);
        }
    }
}
