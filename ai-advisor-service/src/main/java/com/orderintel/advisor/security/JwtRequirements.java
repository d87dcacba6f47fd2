package com.orderintel.advisor.security;

import org.springframework.boot.autoconfigure.security.oauth2.resource.OAuth2ResourceServerProperties;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.util.StringUtils;

import java.time.Instant;
import java.util.Objects;

/**
 * What a JWT must carry here, on top of the signature. Spring Boot's decoder already applies Spring Security's
 * {@code JwtValidators.createDefaultWithIssuer(issuer-uri)} (expiry and not-before with 60 s of skew, {@code iss}
 * equal to {@code issuer-uri}) and a {@code JwtClaimValidator} on {@code aud} when {@code audiences} is set, in both
 * modes (keys discovered from the issuer, or from {@code jwk-set-uri}). Left to itself it would accept a token of any
 * issuer when only {@code jwk-set-uri} is set, a token for any audience when none is configured, and a token with no
 * {@code exp} at all (the timestamp validator checks {@code exp} only when present). So: with JWTs on, the issuer and
 * the audiences are required settings (checked at start), and {@link #expiryRequired()} is added to the decoder
 * (Boot adds every {@code OAuth2TokenValidator<Jwt>} bean to it).
 */
final class JwtRequirements {

    static final String PREFIX = "spring.security.oauth2.resourceserver.jwt.";

    private JwtRequirements() {
    }

    /** A token without {@code exp} would never expire: refused (the claim is converted to an Instant when present). */
    static OAuth2TokenValidator<Jwt> expiryRequired() {
        return new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull);
    }

    /**
     * Refuses to start with JWTs on (an issuer or a JWK set configured) but no expected issuer or no audience: such a
     * service would accept tokens minted by another issuer sharing the key set, or for another client of the issuer.
     */
    static void check(OAuth2ResourceServerProperties.Jwt jwt) {
        boolean jwkSet = StringUtils.hasText(jwt.getJwkSetUri());
        boolean issuer = StringUtils.hasText(jwt.getIssuerUri());
        if (!jwkSet && !issuer) {
            return; // JWTs off: only static tokens authenticate
        }
        if (!issuer) {
            throw new IllegalStateException(PREFIX + "jwk-set-uri is set but " + PREFIX + "issuer-uri is not: set it "
                    + "(SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI, Helm security.jwt.issuerUri) to the issuer "
                    + "your tokens carry in 'iss'; beside jwk-set-uri it is only compared with 'iss', nothing is fetched "
                    + "from it. Without it a token of any issuer signed by a key in that set would be accepted");
        }
        if (jwt.getAudiences() == null || jwt.getAudiences().stream().noneMatch(StringUtils::hasText)) {
            throw new IllegalStateException(PREFIX + "issuer-uri is set but " + PREFIX + "audiences is not: set it "
                    + "(SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_AUDIENCES, Helm security.jwt.audiences) to this service's "
                    + "client id / audience as your identity provider puts it in 'aud'. Without it a token the issuer "
                    + "minted for any other client would be accepted");
        }
    }
}
