package com.orderintel.advisor.security;

import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;

/** The service's roles: admin includes feedback and read; feedback and read are independent. */
public final class Roles {

    public static final String ADMIN = "ADMIN";
    public static final String READ = "READ";
    public static final String FEEDBACK = "FEEDBACK";

    private Roles() {
    }

    static RoleHierarchy hierarchy() {
        return RoleHierarchyImpl.withDefaultRolePrefix()
                .role(ADMIN).implies(READ, FEEDBACK)
                .build();
    }
}
