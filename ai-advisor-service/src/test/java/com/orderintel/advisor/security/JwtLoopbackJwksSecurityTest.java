package com.orderintel.advisor.security;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OAuth2 resource server with JWTs, keys from {@code jwk-set-uri} on a loopback IdP ({@link LoopbackIdp}), the issuer
 * and audience from their settings (compared only, nothing discovered). Roles from a nested claim
 * ({@code realm_access.roles}, Keycloak's shape). The attacks every mode refuses are in {@link JwtSecurityTestBase}.
 */
class JwtLoopbackJwksSecurityTest extends JwtSecurityTestBase {

    @AutoClose
    static final LoopbackIdp IDP = new LoopbackIdp();

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", IDP::jwkSetUri);
        modelsAndIssuer(r, IDP);
    }

    JwtLoopbackJwksSecurityTest() {
        super(IDP);
    }

    @Test
    void jwtRolesDecideAccessAndBadTokensAre401() throws Exception {
        assertThat(post(RELOAD, null)).isEqualTo(401);
        assertThat(post(RELOAD, IDP.token(List.of("read")))).isEqualTo(403);
        assertThat(post(RELOAD, IDP.token(ADMIN))).isEqualTo(200);
        assertThat(IDP.jwksRequests.get()).as("the keys came from the loopback JWKS endpoint").isPositive();
        assertThat(IDP.discoveryRequests.get()).as("beside jwk-set-uri the issuer is compared, not discovered").isZero();
        // read role reads manifests; no role claim at all = authenticated but no role -> 403
        assertThat(get("/api/v1/models", IDP.token(List.of("read")))).isEqualTo(200);
        assertThat(get("/api/v1/models", IDP.token(List.of()))).isEqualTo(403);
        // feedback role: allowed to post feedback (400 = past security, the body is incomplete), not to reload
        assertThat(post("/api/v1/feedback", IDP.token(List.of("feedback")), "{\"actual_demand\":3}")).isEqualTo(400);
        assertThat(post("/api/v1/feedback", IDP.token(List.of("read")), "{\"actual_demand\":3}")).isEqualTo(403);
    }
}
