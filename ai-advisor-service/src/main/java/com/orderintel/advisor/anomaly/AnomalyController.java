package com.orderintel.advisor.anomaly;

import com.orderintel.advisor.serving.TaskController;
import com.orderintel.advisor.web.AdvisorApi;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@AdvisorApi
@RequestMapping(path = "/api/v1/anomaly", produces = "application/json")
@Tag(name = "anomaly", description = "Order anomaly scoring")
class AnomalyController extends TaskController<AnomalyRequest, AnomalyResponse> {

    static final String EXPLAIN = "true: each prediction also carries 'explanation': every feature's effect on the "
            + "isolation path length (negative = made the order easier to isolate), its share, its value's percentile "
            + "among the training orders and a summary in words (docs/models.md#explanations)";

    AnomalyController(AnomalyService service) {
        super(service);
    }

    @PostMapping(consumes = "application/json")
    @Operation(summary = "Score one order", requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
            content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "order",
                    value = """
                            {"order_id": "ORD-1001", "avg_processing_ms": 420.0, "item_count": 3, "payment_score": 0.92}
                            """))))
    AnomalyResponse score(@RequestBody AnomalyRequest request,
                          @Parameter(description = EXPLAIN) @RequestParam(defaultValue = "false") boolean explain) {
        return one(request, explain);
    }

    @PostMapping(path = "/batch", consumes = "application/json")
    @Operation(summary = "Score up to advisor.api.max-batch-size orders, in request order",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = "application/json", examples = @ExampleObject(name = "two orders", value = """
                            {"items": [
                              {"order_id": "ORD-1001", "avg_processing_ms": 420.0, "item_count": 3, "payment_score": 0.92},
                              {"order_id": "ORD-1002", "avg_processing_ms": 9800.0, "item_count": 41, "payment_score": 0.05}
                            ]}
                            """))))
    AnomalyBatchResponse batch(@RequestBody AnomalyBatchRequest request,
                               @Parameter(description = EXPLAIN) @RequestParam(defaultValue = "false") boolean explain) {
        return new AnomalyBatchResponse(batch(request.items(), explain));
    }
}
