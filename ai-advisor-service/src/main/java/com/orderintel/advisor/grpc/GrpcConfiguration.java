package com.orderintel.advisor.grpc;

import com.orderintel.advisor.inference.OipService;
import com.orderintel.advisor.security.SecurityProperties;
import com.orderintel.advisor.web.RequestValidation;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import java.util.List;

/** The gRPC server and its services, unless {@code advisor.grpc.enabled=false}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GrpcProperties.class)
@ConditionalOnProperty(name = "advisor.grpc.enabled", havingValue = "true", matchIfMissing = true)
class GrpcConfiguration {

    @Bean
    GrpcHealth grpcHealth(OipService oip) {
        return new GrpcHealth(oip::ready);
    }

    @Bean
    GrpcServer grpcServer(GrpcProperties properties, OipService oip, GrpcHealth health, RequestValidation validation,
                          SecurityProperties security, ObjectProvider<JwtDecoder> jwt, RoleHierarchy roles) {
        ServerServiceDefinition inference = ServerInterceptors.intercept(
                new InferenceGrpcService(oip, validation.maxBatchSize()),
                new BearerAuthInterceptor(security, jwt.getIfAvailable(), roles));
        return new GrpcServer(properties, List.of(inference, health.service()));
    }
}
