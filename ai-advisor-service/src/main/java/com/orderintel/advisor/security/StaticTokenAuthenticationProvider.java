package com.orderintel.advisor.security;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Static bearer tokens from a Secret (simple installs without an identity provider). Spring Security has no
 * provider for a fixed shared token, hence this small one. Only SHA-256 digests are kept; a presented token is
 * digested and compared with {@link MessageDigest#isEqual} (constant time, and digests hide the length).
 * A token that matches none returns null, so the JWT provider (when configured) gets its turn.
 */
final class StaticTokenAuthenticationProvider implements AuthenticationProvider {

    private record Entry(byte[] digest, String role) { }

    private final List<Entry> entries = new ArrayList<>();

    StaticTokenAuthenticationProvider(SecurityProperties properties) {
        add(properties.adminToken(), Roles.ADMIN);
        add(properties.readToken(), Roles.READ);
        add(properties.feedbackToken(), Roles.FEEDBACK);
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    private void add(String token, String role) {
        if (token != null && !token.isEmpty()) {
            entries.add(new Entry(sha256(token), role));
        }
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        byte[] presented = sha256(((BearerTokenAuthenticationToken) authentication).getToken());
        String role = null;
        for (Entry e : entries) { // no early exit: the time taken does not depend on which token matched
            if (MessageDigest.isEqual(e.digest(), presented)) {
                role = e.role();
            }
        }
        return role == null ? null : new StaticTokenAuthentication(role);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return BearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An authenticated static-token caller; the principal names the role, never the token. */
    static final class StaticTokenAuthentication extends AbstractAuthenticationToken {
        private final String principal;

        StaticTokenAuthentication(String role) {
            super(AuthorityUtils.createAuthorityList("ROLE_" + role));
            this.principal = "static-token:" + role.toLowerCase(java.util.Locale.ROOT);
            setAuthenticated(true);
        }

        @Override
        public Object getCredentials() {
            return "";
        }

        @Override
        public Object getPrincipal() {
            return principal;
        }
    }
}
