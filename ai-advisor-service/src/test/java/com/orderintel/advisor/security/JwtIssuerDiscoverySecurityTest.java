package com.orderintel.advisor.security;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JWTs with only {@code issuer-uri} set: the keys are discovered from the loopback IdP's OpenID Connect discovery
 * document ({@link LoopbackIdp}); the same attacks are refused as with {@code jwk-set-uri} ({@link JwtSecurityTestBase}).
 */
class JwtIssuerDiscoverySecurityTest extends JwtSecurityTestBase {

    @AutoClose
    static final LoopbackIdp IDP = new LoopbackIdp();

    JwtIssuerDiscoverySecurityTest() {
        super(IDP);
    }

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        modelsAndIssuer(r, IDP);
    }

    @Test
    void theKeysAreDiscoveredFromTheIssuer() throws Exception {
        assertThat(post(RELOAD, IDP.token(ADMIN))).isEqualTo(200);
        assertThat(IDP.discoveryRequests.get()).as("the discovery document was read").isPositive();
        assertThat(IDP.jwksRequests.get()).as("the keys came from its jwks_uri").isPositive();
    }
}
