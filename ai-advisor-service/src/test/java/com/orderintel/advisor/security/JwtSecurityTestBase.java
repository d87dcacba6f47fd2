package com.orderintel.advisor.security;

import com.orderintel.advisor.support.TrainedModels;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every JWT mode must refuse, whichever way the keys are found (issuer discovery or jwk-set-uri): each token
 * below carries role admin and is sent to the admin reload; only the valid one gets past security. A subclass
 * starts its own {@link LoopbackIdp} (its request counters are the subclass's evidence) and adds the key settings.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "advisor.events.enabled=false",
        "spring.rabbitmq.listener.simple.auto-startup=false",
        "spring.cloud.vault.enabled=false",
        "advisor.models.load-attempts=1",
        "advisor.security.roles-claim=realm_access.roles",
        "spring.security.oauth2.resourceserver.jwt.audiences=" + LoopbackIdp.AUDIENCE})
abstract class JwtSecurityTestBase {

    static final String RELOAD = "/api/v1/admin/models/reload";
    static final List<String> ADMIN = List.of("admin");
    static final TrainedModels MODELS = TrainedModels.create();

    /** The served models and the issuer every mode compares {@code iss} with. */
    static void modelsAndIssuer(DynamicPropertyRegistry r, LoopbackIdp idp) {
        r.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", idp::issuer);
        MODELS.serveBoth(r);
    }

    @Autowired
    TestRestTemplate http;

    /** The subclass's own IdP (its request counters are that subclass's evidence); it closes it after its tests. */
    private final LoopbackIdp idp;

    JwtSecurityTestBase(LoopbackIdp idp) {
        this.idp = idp;
    }

    LoopbackIdp idp() {
        return idp;
    }

    @Test
    @Tag("attack")
    void tokensOfAnotherIssuerOrAudienceOrWithoutExpiryAreRefused() throws Exception {
        LoopbackIdp idp = idp();
        assertThat(post(RELOAD, idp.token(ADMIN))).as("the valid admin token").isEqualTo(200);
        assertThat(post(RELOAD, idp.token(ADMIN, c -> c.issuer("https://evil.example")))).as("wrong iss").isEqualTo(401);
        assertThat(post(RELOAD, idp.token(ADMIN, c -> c.claim("iss", null)))).as("no iss").isEqualTo(401);
        assertThat(post(RELOAD, idp.token(ADMIN, c -> c.audience("some-other-client")))).as("wrong aud").isEqualTo(401);
        assertThat(post(RELOAD, idp.token(ADMIN, c -> c.audience((String) null)))).as("no aud").isEqualTo(401);
        assertThat(post(RELOAD, idp.token(ADMIN, c -> c.expirationTime(null)))).as("no exp").isEqualTo(401);
    }

    @Test
    @Tag("attack")
    void forgedExpiredAndNotYetValidTokensAreRefused() throws Exception {
        LoopbackIdp idp = idp();
        long now = System.currentTimeMillis();
        assertThat(post(RELOAD, idp.unsigned(ADMIN))).as("alg none").isEqualTo(401);
        assertThat(post(RELOAD, idp.hmacWithPublicKey(ADMIN))).as("HS256 keyed with the RSA public key").isEqualTo(401);
        assertThat(post(RELOAD, idp.foreignKeySameKid(ADMIN))).as("foreign key, same kid").isEqualTo(401);
        assertThat(post(RELOAD, LoopbackIdp.sign(LoopbackIdp.generate("other-kid"), idp.claims(ADMIN).build())))
                .as("foreign key, unknown kid").isEqualTo(401);
        assertThat(post(RELOAD, idp.token(ADMIN, c -> c.expirationTime(new Date(now - 120_000))))).as("expired").isEqualTo(401);
        assertThat(post(RELOAD, idp.token(ADMIN, c -> c.notBeforeTime(new Date(now + 600_000))))).as("not yet valid").isEqualTo(401);
        assertThat(post(RELOAD, idp.token(ADMIN))).as("the valid admin token still works").isEqualTo(200);
    }

    int post(String path, String bearer) throws Exception {
        return post(path, bearer, "");
    }

    int post(String path, String bearer, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(http.getRootUri() + path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json"), bearer);
    }

    int get(String path, String bearer) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(http.getRootUri() + path)).GET(), bearer);
    }

    static int send(HttpRequest.Builder b, String bearer) throws Exception {
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        }
    }
}
