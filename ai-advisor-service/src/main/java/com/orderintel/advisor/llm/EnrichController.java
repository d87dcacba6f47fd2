package com.orderintel.advisor.llm;

import com.orderintel.advisor.web.AdvisorApi;
import com.orderintel.advisor.web.InvalidInputException;
import io.github.resilience4j.ratelimiter.RateLimiter;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/v1/enrich {"text": "..."}}: LLM features of an order note, always answered (fallback offline). */
@AdvisorApi
@RestController
@RequestMapping("/api/v1")
public class EnrichController {

    private final EnrichmentService service;
    private final EnrichRateLimit limit;
    private final RateLimiter limiter;

    public EnrichController(EnrichmentService service, EnrichRateLimit limit) {
        this.service = service;
        this.limit = limit;
        this.limiter = limit.limiter();
    }

    public record EnrichRequest(String text) { }

    @PostMapping("/enrich")
    public Enrichment enrich(@RequestBody EnrichRequest request) {
        if (request.text() == null || request.text().isBlank()) {
            throw new InvalidInputException("text", "must be a non-empty string");
        }
        if (!limiter.acquirePermission()) { // after validation: bad requests do not use up the budget
            throw new EnrichRateLimit.RateLimitedException(limit);
        }
        try {
            return service.enrich(request.text());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("text", e.getMessage());
        }
    }
}
