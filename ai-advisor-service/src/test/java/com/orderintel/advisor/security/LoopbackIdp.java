package com.orderintel.advisor.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A loopback identity provider for tests: a JDK HttpServer on 127.0.0.1 serving the public half of an RSA key
 * generated here as a JWK set ({@code /jwks}) and an OpenID Connect discovery document
 * ({@code /realms/orderintel/.well-known/openid-configuration}, issuer {@link #issuer()}), the documented wire
 * protocol Spring Security reads (no real IdP runs on this machine). Tokens are signed with nimbus-jose-jwt, which
 * comes with the resource server; the attack tokens (alg none, HS256 keyed with the RSA key, a foreign key with the
 * same kid) are built here too.
 */
final class LoopbackIdp implements AutoCloseable {

    static final String AUDIENCE = "order-advisor";
    static final String KID = "loopback-key";

    final RSAKey key = generate(KID);
    final AtomicInteger jwksRequests = new AtomicInteger();
    final AtomicInteger discoveryRequests = new AtomicInteger();
    private final HttpServer server;

    LoopbackIdp() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        server.createContext("/jwks", exchange -> {
            jwksRequests.incrementAndGet();
            send(exchange, jwks);
        });
        server.createContext("/realms/orderintel/.well-known/openid-configuration", exchange -> {
            discoveryRequests.incrementAndGet();
            String doc = "{\"issuer\":\"" + issuer() + "\",\"jwks_uri\":\"" + jwkSetUri() + "\","
                    + "\"subject_types_supported\":[\"public\"],\"id_token_signing_alg_values_supported\":[\"RS256\"],"
                    + "\"response_types_supported\":[\"code\"]}";
            send(exchange, doc.getBytes(StandardCharsets.UTF_8));
        });
        server.start();
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/orderintel";
    }

    String jwkSetUri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks";
    }

    /** A valid token: this issuer, our audience, five minutes to live, the roles under {@code realm_access.roles}. */
    JWTClaimsSet.Builder claims(List<String> roles) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuer()).audience(AUDIENCE).subject("svc-test")
                .issueTime(Date.from(now.minusSeconds(600))).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("realm_access", Map.of("roles", roles));
    }

    String token(List<String> roles) {
        return sign(key, claims(roles).build());
    }

    /** A token signed by our key with claims changed from the valid ones. */
    String token(List<String> roles, UnaryOperator<JWTClaimsSet.Builder> change) {
        return sign(key, change.apply(claims(roles)).build());
    }

    static String sign(RSAKey signer, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signer.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(signer));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code alg: none}: no signature at all. */
    String unsigned(List<String> roles) {
        return new PlainJWT(claims(roles).build()).serialize();
    }

    /** HS256 with the RSA public key's encoding as the HMAC secret (the classic algorithm confusion). */
    String hmacWithPublicKey(List<String> roles) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(KID).build(), claims(roles).build());
            jwt.sign(new MACSigner(key.toPublicKey().getEncoded()));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signed by a key the JWK set does not publish, under the published key's kid. */
    String foreignKeySameKid(List<String> roles) {
        return sign(generate(KID), claims(roles).build());
    }

    static RSAKey generate(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(HttpExchange exchange, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
