package com.orderintel.advisor.forecast;

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
@RequestMapping(path = "/api/v1/forecast", produces = "application/json")
@Tag(name = "forecast", description = "Demand forecast per product and day")
class ForecastController extends TaskController<ForecastRequest, ForecastResponse> {

    static final String EXPLAIN = "true: each forecast also carries 'explanation': a base and every model feature's "
            + "contribution, which add up to predicted_demand (exact for OLS, tree-path contributions for the tree "
            + "models; docs/models.md#explanations)";

    ForecastController(ForecastService service) {
        super(service);
    }

    @PostMapping(consumes = "application/json")
    @Operation(summary = "Forecast demand for one product and day",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = "application/json", examples = @ExampleObject(name = "one product-day", value = """
                            {"date": "2024-08-15", "product_id": "SKU-001", "avg_basket_value": 54.9, "promo_flag": 1}
                            """))))
    ForecastResponse forecast(@RequestBody ForecastRequest request,
                              @Parameter(description = EXPLAIN) @RequestParam(defaultValue = "false") boolean explain) {
        return one(request, explain);
    }

    @PostMapping(path = "/batch", consumes = "application/json")
    @Operation(summary = "Forecast demand for up to advisor.api.max-batch-size records, in request order",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = "application/json", examples = @ExampleObject(name = "two days", value = """
                            {"items": [
                              {"date": "2024-08-15", "product_id": "SKU-001", "avg_basket_value": 54.9, "promo_flag": 1},
                              {"date": "2024-08-16", "product_id": "SKU-001", "avg_basket_value": 49.5, "promo_flag": 0}
                            ]}
                            """))))
    ForecastBatchResponse batch(@RequestBody ForecastBatchRequest request,
                                @Parameter(description = EXPLAIN) @RequestParam(defaultValue = "false") boolean explain) {
        return new ForecastBatchResponse(batch(request.items(), explain));
    }
}
