package com.orderintel.advisor.serving;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * Whether a scoring comes from a trusted source, decided on the thread that scores: order events and batch runs are
 * the shop's own traffic; a REST or Open Inference Protocol call is trusted only when its caller authenticated with a
 * role (a static token or a JWT). Anonymous scorings (public scoring) are captured as untrusted: they are monitored,
 * but they are not training rows, take no labels and are not shadow evidence, so nobody can re-score a real order
 * with crafted features and steer its label (docs/mlops-loop.md).
 */
@Component
public class CallerTrust {

    public boolean trusted(Source source) {
        return switch (source) {
            case EVENT, BATCH -> true;
            case REST, OIP, GRPC -> authenticatedWithRole(SecurityContextHolder.getContext().getAuthentication());
        };
    }

    static boolean authenticatedWithRole(Authentication a) {
        if (a == null || !a.isAuthenticated() || a instanceof AnonymousAuthenticationToken) {
            return false;
        }
        for (GrantedAuthority g : a.getAuthorities()) {
            if (g.getAuthority() != null && g.getAuthority().startsWith("ROLE_")) {
                return true;
            }
        }
        return false;
    }
}
