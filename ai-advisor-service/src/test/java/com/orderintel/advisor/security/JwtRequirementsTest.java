package com.orderintel.advisor.security;

import com.orderintel.advisor.AdvisorApplication;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.security.oauth2.resource.OAuth2ResourceServerProperties;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JWT settings the service refuses to start without. */
class JwtRequirementsTest {

    @Test
    @Tag("attack")
    void aJwkSetWithoutAnExpectedIssuerRefusesToStart() {
        // before: the service started and took a token with iss=https://evil.example for admin (200)
        SpringApplicationBuilder app = new SpringApplicationBuilder(AdvisorApplication.class).properties(
                "server.port=0", "advisor.events.enabled=false", "spring.rabbitmq.listener.simple.auto-startup=false",
                "spring.cloud.vault.enabled=false", "advisor.models.load-attempts=1",
                "spring.security.oauth2.resourceserver.jwt.jwk-set-uri=http://127.0.0.1:9/jwks",
                "spring.security.oauth2.resourceserver.jwt.audiences=order-advisor");
        assertThatThrownBy(() -> {
            try (ConfigurableApplicationContext ignored = app.run()) {
                // started: the assertion below fails
            }
        }).rootCause().isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("jwk-set-uri is set but spring.security.oauth2.resourceserver.jwt.issuer-uri is not");
    }

    @Test
    @Tag("attack")
    void anIssuerWithoutAnAudienceIsRefused() {
        OAuth2ResourceServerProperties.Jwt jwt = new OAuth2ResourceServerProperties.Jwt();
        jwt.setIssuerUri("https://idp.example/realms/orders");
        assertThatThrownBy(() -> JwtRequirements.check(jwt)).hasMessageContaining("audiences is not");
        jwt.setAudiences(List.of(" "));
        assertThatThrownBy(() -> JwtRequirements.check(jwt)).hasMessageContaining("audiences is not");
        jwt.setJwkSetUri("https://idp.example/jwks");
        assertThatThrownBy(() -> JwtRequirements.check(jwt)).hasMessageContaining("audiences is not");
    }

    @Test
    void completeSettingsOrNoJwtAtAllStart() {
        assertThatCode(() -> JwtRequirements.check(new OAuth2ResourceServerProperties.Jwt())).doesNotThrowAnyException();
        OAuth2ResourceServerProperties.Jwt jwt = new OAuth2ResourceServerProperties.Jwt();
        jwt.setJwkSetUri("https://idp.example/jwks");
        jwt.setIssuerUri("https://idp.example/realms/orders");
        jwt.setAudiences(List.of("order-advisor"));
        assertThatCode(() -> JwtRequirements.check(jwt)).doesNotThrowAnyException();
        assertThat(jwt.getAudiences()).containsExactly("order-advisor");
    }
}
