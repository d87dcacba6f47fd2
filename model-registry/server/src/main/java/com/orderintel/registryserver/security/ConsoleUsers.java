package com.orderintel.registryserver.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code registry.security.users} (REGISTRY_USERS): who may sign in, as {@code name:password:role[,role]} entries
 * separated by {@code ;}. A password starting with {@code {id}} is stored encoded (e.g. {@code {bcrypt}$2a$...}, from
 * {@code htpasswd -bnBC 10 "" pw}); any other is compared as given. Never logged ({@link #toString()} shows names only).
 */
@ConfigurationProperties("registry.security")
public record ConsoleUsers(String users) {

    /** Entries read at most: a user list is short; a huge value is a mistake. */
    static final int MAX_USERS = 100;

    public List<UserDetails> parse() {
        if (users == null || users.isBlank()) {
            throw new IllegalArgumentException("registry.security.users (REGISTRY_USERS) is empty: name at least one user as "
                    + "name:password:role[,role] (roles: read, promoter, admin), entries separated by ';'");
        }
        List<UserDetails> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        String[] entries = users.split(";");
        if (entries.length > MAX_USERS) {
            throw new IllegalArgumentException("registry.security.users names " + entries.length + " users, at most " + MAX_USERS);
        }
        for (String entry : entries) {
            if (entry.isBlank()) {
                continue;
            }
            int first = entry.indexOf(':');
            int last = entry.lastIndexOf(':');
            if (first <= 0 || last == first || last == entry.length() - 1) {
                throw new IllegalArgumentException("registry.security.users: an entry is not name:password:role[,role] (user '"
                        + (first > 0 ? entry.substring(0, first).strip() : "?") + "')");
            }
            String name = entry.substring(0, first).strip();
            String password = entry.substring(first + 1, last);
            if (!name.matches("[A-Za-z0-9._@-]{1,64}") || !names.add(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("registry.security.users: user name '" + name
                        + "' must be 1-64 letters, digits or . _ @ - and appear once");
            }
            if (password.isEmpty()) {
                throw new IllegalArgumentException("registry.security.users: user '" + name + "' has an empty password");
            }
            List<String> roles = new ArrayList<>();
            for (String r : entry.substring(last + 1).split(",")) {
                String role = r.strip().toUpperCase(Locale.ROOT);
                if (!Roles.ALL.contains(role)) {
                    throw new IllegalArgumentException("registry.security.users: user '" + name + "' has unknown role '" + r.strip()
                            + "' (known: read, promoter, admin, feedback)");
                }
                roles.add(role);
            }
            out.add(User.withUsername(name).password(password.startsWith("{") ? password : "{noop}" + password)
                    .roles(roles.toArray(String[]::new)).build());
        }
        return out;
    }

    @Override
    public String toString() {
        return "ConsoleUsers[" + (users == null ? "(unset)" : users.split(";").length + " users") + "]";
    }
}
