package com.orderintel.advisor;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Title and description of the OpenAPI document served at /v3/api-docs. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI advisorOpenApi() {
        return new OpenAPI().info(new Info().title("ai-advisor-service").version("v1")
                .description("Demand forecast and order anomaly inference (REST /api/v1 and Open Inference Protocol "
                        + "/v2), model manifests, admin reload and accuracy feedback. Errors of /api/v1 are RFC 7807 "
                        + "problem documents."));
    }
}
