package com.orderintel.advisor.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.orderintel.advisor.support.TrainedModels;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OAuth2 resource server with JWTs, against a loopback JWKS endpoint started by this test (a JDK HttpServer on
 * 127.0.0.1 serving the public half of an RSA key generated here; tokens signed with nimbus-jose-jwt, which comes
 * with the resource server). Roles from a nested claim ({@code realm_access.roles}, Keycloak's shape).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "advisor.events.enabled=false",
        "spring.rabbitmq.listener.simple.auto-startup=false",
        "spring.cloud.vault.enabled=false",
        "advisor.models.load-attempts=1",
        "advisor.security.roles-claim=realm_access.roles"})
class JwtLoopbackJwksSecurityTest {

    static final String ISSUER = "https://idp.test/realms/orderintel";
    static final RSAKey KEY = generate("loopback-key");
    static final RSAKey OTHER_KEY = generate("foreign-key");
    static final AtomicInteger JWKS_REQUESTS = new AtomicInteger();
    static final HttpServer JWKS = startJwks();
    static final TrainedModels MODELS = TrainedModels.create();

    @Autowired
    TestRestTemplate http;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri",
                () -> "http://127.0.0.1:" + JWKS.getAddress().getPort() + "/jwks");
        r.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> ISSUER);
        r.add("advisor.models.demand-uri", () -> MODELS.demandUri);
        r.add("advisor.models.anomaly-uri", () -> MODELS.anomalyUri);
    }

    @AfterAll
    static void stop() {
        JWKS.stop(0);
    }

    @Test
    void jwtRolesDecideAccessAndBadTokensAre401() throws Exception {
        String reload = "/api/v1/admin/models/reload";
        assertThat(post(reload, null)).isEqualTo(401);
        assertThat(post(reload, token(KEY, ISSUER, List.of("read"), 300))).isEqualTo(403);
        assertThat(post(reload, token(KEY, ISSUER, List.of("admin"), 300))).isEqualTo(200);
        assertThat(JWKS_REQUESTS.get()).as("the keys came from the loopback JWKS endpoint").isPositive();
        // expired, signed by a key the JWKS does not publish, issued by someone else: all 401
        assertThat(post(reload, token(KEY, ISSUER, List.of("admin"), -120))).isEqualTo(401);
        assertThat(post(reload, token(OTHER_KEY, ISSUER, List.of("admin"), 300))).isEqualTo(401);
        assertThat(post(reload, token(KEY, "https://evil.test", List.of("admin"), 300))).isEqualTo(401);
        // read role reads manifests; no role claim at all = authenticated but no role -> 403
        assertThat(get("/api/v1/models", token(KEY, ISSUER, List.of("read"), 300))).isEqualTo(200);
        assertThat(get("/api/v1/models", token(KEY, ISSUER, List.of(), 300))).isEqualTo(403);
        // feedback role: allowed to post feedback (400 = past security, the body is incomplete), not to reload
        assertThat(post("/api/v1/feedback", token(KEY, ISSUER, List.of("feedback"), 300), "{\"actual_demand\":3}")).isEqualTo(400);
        assertThat(post("/api/v1/feedback", token(KEY, ISSUER, List.of("read"), 300), "{\"actual_demand\":3}")).isEqualTo(403);
    }

    private int post(String path, String bearer) throws Exception {
        return post(path, bearer, "");
    }

    private int post(String path, String bearer, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(http.getRootUri() + path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json"), bearer);
    }

    private int get(String path, String bearer) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(http.getRootUri() + path)).GET(), bearer);
    }

    private static int send(HttpRequest.Builder b, String bearer) throws Exception {
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String token(RSAKey key, String issuer, List<String> roles, long expiresInSeconds) throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).subject("svc-test")
                .issueTime(Date.from(now.minusSeconds(600))).expirationTime(Date.from(now.plusSeconds(expiresInSeconds)))
                .claim("realm_access", Map.of("roles", roles)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static RSAKey generate(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpServer startJwks() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            byte[] body = new JWKSet(KEY.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            server.createContext("/jwks", exchange -> {
                JWKS_REQUESTS.incrementAndGet();
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
