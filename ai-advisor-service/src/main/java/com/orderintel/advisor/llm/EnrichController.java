package com.orderintel.advisor.llm;

import com.orderintel.advisor.web.AdvisorApi;
import com.orderintel.advisor.web.InvalidInputException;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/v1/enrich {"text": "..."}}: LLM features of an order note, always answered (fallback offline). */
@AdvisorApi
@RestController
@Tag(name = "enrich", description = "LLM features of free-text order notes, with a deterministic offline fallback")
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
    @Operation(summary = "LLM features of an order note (embedding, summary, category); a deterministic local "
            + "fallback answers when no provider is configured or it fails",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = "application/json", examples = @ExampleObject(name = "order note", value = """
                            {"text": "Customer called twice: parcel still not delivered, wants a refund urgently."}
                            """))))
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
