package com.orderintel.advisor.security;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Roles from a JWT claim ({@code advisor.security.roles-claim}, dotted path into nested objects as Keycloak's
 * {@code realm_access.roles}): "admin" -> ROLE_ADMIN. Spring's JwtGrantedAuthoritiesConverter reads only a
 * top-level claim, hence this converter.
 */
final class JwtRoles implements Converter<Jwt, Collection<GrantedAuthority>> {

    private final String[] path;

    JwtRoles(String claim) {
        this.path = claim.split("\\.");
    }

    @Override
    public Collection<GrantedAuthority> convert(Jwt jwt) {
        Object node = jwt.getClaims();
        for (String part : path) {
            node = node instanceof Map<?, ?> m ? m.get(part) : null;
        }
        List<String> names = new ArrayList<>();
        if (node instanceof Collection<?> c) {
            c.forEach(v -> names.add(String.valueOf(v)));
        } else if (node instanceof String s) {
            names.addAll(List.of(s.trim().split("\\s+")));
        }
        List<GrantedAuthority> out = new ArrayList<>();
        for (String name : names) {
            if (!name.isBlank() && name.length() <= 64) {
                out.add(new SimpleGrantedAuthority("ROLE_" + name.toUpperCase(Locale.ROOT)));
            }
        }
        return out;
    }
}
