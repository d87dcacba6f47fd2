package com.orderintel.registryserver.security;

import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;

import java.util.Set;

/**
 * The service's roles (admin, read, feedback) plus {@code promoter}: read sees everything; promoter also moves
 * aliases, requests, approves and rejects promotions; admin includes both. Feedback grants nothing here (it is the
 * service's role for labels) but is accepted, so one user list can serve both.
 */
public final class Roles {

    public static final String ADMIN = "ADMIN";
    public static final String READ = "READ";
    public static final String FEEDBACK = "FEEDBACK";
    public static final String PROMOTER = "PROMOTER";

    static final Set<String> ALL = Set.of(ADMIN, READ, FEEDBACK, PROMOTER);

    private Roles() {
    }

    static RoleHierarchy hierarchy() {
        return RoleHierarchyImpl.withDefaultRolePrefix()
                .role(ADMIN).implies(PROMOTER, READ, FEEDBACK)
                .role(PROMOTER).implies(READ)
                .build();
    }
}
