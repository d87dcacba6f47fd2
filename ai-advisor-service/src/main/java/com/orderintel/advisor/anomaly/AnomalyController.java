package com.orderintel.advisor.anomaly;

import com.orderintel.advisor.serving.Source;
import com.orderintel.advisor.web.AdvisorApi;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@AdvisorApi
@RequestMapping(path = "/api/v1/anomaly", produces = "application/json")
@Tag(name = "anomaly", description = "Order anomaly scoring")
class AnomalyController {

    private final AnomalyService service;

    AnomalyController(AnomalyService service) {
        this.service = service;
    }

    @PostMapping(consumes = "application/json")
    @Operation(summary = "Score one order")
    AnomalyResponse score(@RequestBody AnomalyRequest request) {
        return service.score(Source.REST, request);
    }

    @PostMapping(path = "/batch", consumes = "application/json")
    @Operation(summary = "Score up to advisor.api.max-batch-size orders, in request order")
    AnomalyBatchResponse batch(@RequestBody AnomalyBatchRequest request) {
        return new AnomalyBatchResponse(service.scoreBatch(Source.REST, request.items()));
    }
}
