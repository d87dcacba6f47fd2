package com.orderintel.advisor.grpc;

import com.orderintel.advisor.security.Roles;
import com.orderintel.advisor.security.SecurityConfiguration;
import com.orderintel.advisor.security.SecurityProperties;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * The REST rules for the gRPC inference service, from the {@code authorization} metadata: with public scoring an
 * anonymous call passes; a presented bearer token must be valid (UNAUTHENTICATED otherwise) and makes the call's
 * scorings trusted, as on REST; without public scoring the caller needs role read (PERMISSION_DENIED otherwise).
 * The authenticated caller sits in the security context while the call runs, where serving.CallerTrust reads it.
 */
class BearerAuthInterceptor implements ServerInterceptor {

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "bearer ";

    private final boolean publicScoring;
    private final AuthenticationManager authentication;
    private final RoleHierarchy roles;

    BearerAuthInterceptor(SecurityProperties properties, JwtDecoder jwt, RoleHierarchy roles) {
        this.publicScoring = properties.publicScoring();
        this.authentication = SecurityConfiguration.authenticationManager(properties, jwt);
        this.roles = roles;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        String header = headers.get(AUTHORIZATION);
        Authentication caller = null;
        if (header != null) {
            if (header.length() <= BEARER.length() || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                return refuse(call, Status.UNAUTHENTICATED.withDescription("authorization must be 'Bearer <token>'"));
            }
            try {
                caller = authentication.authenticate(new BearerTokenAuthenticationToken(header.substring(BEARER.length()).trim()));
            } catch (AuthenticationException e) {
                return refuse(call, Status.UNAUTHENTICATED.withDescription("invalid bearer token"));
            }
        }
        if (!publicScoring) {
            if (caller == null) {
                return refuse(call, Status.UNAUTHENTICATED.withDescription("a bearer token with role read is required "
                        + "(authorization metadata)"));
            }
            boolean read = roles.getReachableGrantedAuthorities(caller.getAuthorities()).stream()
                    .anyMatch(a -> ("ROLE_" + Roles.READ).equals(a.getAuthority()));
            if (!read) {
                return refuse(call, Status.PERMISSION_DENIED.withDescription("role read is required"));
            }
        }
        Authentication who = caller;
        ServerCall.Listener<Q> listener = next.startCall(call, headers);
        if (who == null) {
            return listener;
        }
        return new SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onHalfClose() {
                SecurityContextHolder.getContext().setAuthentication(who);
                try {
                    super.onHalfClose();
                } finally {
                    SecurityContextHolder.clearContext();
                }
            }
        };
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() { };
    }
}
