package com.orderintel.advisor.security;

import com.orderintel.advisor.support.TrainedModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JWTs with only {@code issuer-uri} set: the keys are discovered from the loopback IdP's OpenID Connect discovery
 * document ({@link LoopbackIdp}); the same attacks are refused as with {@code jwk-set-uri} ({@link JwtSecurityTestBase}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "advisor.events.enabled=false",
        "spring.rabbitmq.listener.simple.auto-startup=false",
        "spring.cloud.vault.enabled=false",
        "advisor.models.load-attempts=1",
        "advisor.security.roles-claim=realm_access.roles",
        "spring.security.oauth2.resourceserver.jwt.audiences=" + LoopbackIdp.AUDIENCE})
class JwtIssuerDiscoverySecurityTest extends JwtSecurityTestBase {

    static final LoopbackIdp IDP = new LoopbackIdp();
    static final TrainedModels MODELS = TrainedModels.create();

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", IDP::issuer);
        r.add("advisor.models.demand-uri", () -> MODELS.demandUri);
        r.add("advisor.models.anomaly-uri", () -> MODELS.anomalyUri);
    }

    @AfterAll
    static void stop() {
        IDP.close();
    }

    @Override
    LoopbackIdp idp() {
        return IDP;
    }

    @Test
    void theKeysAreDiscoveredFromTheIssuer() throws Exception {
        assertThat(post(RELOAD, IDP.token(ADMIN))).isEqualTo(200);
        assertThat(IDP.discoveryRequests.get()).as("the discovery document was read").isPositive();
        assertThat(IDP.jwksRequests.get()).as("the keys came from its jwks_uri").isPositive();
    }
}
