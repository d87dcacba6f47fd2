package com.orderintel.advisor.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.autoconfigure.security.oauth2.resource.OAuth2ResourceServerProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import java.util.ArrayList;
import java.util.List;

/**
 * Who may call what. Scoring stays open (unless {@code advisor.security.public-scoring=false}); reading model
 * manifests and run history needs role read; feedback needs role feedback (its labels become training data);
 * model reload needs admin. Callers present {@code Authorization: Bearer}: a JWT from the configured issuer
 * ({@code spring.security.oauth2.resourceserver.jwt.issuer-uri} / {@code jwk-set-uri}; issuer, audience and expiry
 * required: {@link JwtRequirements}) or a static token.
 * Health, info and prometheus stay open for probes and scraping; other actuator endpoints need admin.
 * Stateless: no session, no CSRF token (nothing relies on cookies).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecurityProperties.class)
public class SecurityConfiguration {

    static final String[] SCORING = {"/api/v1/anomaly/**", "/api/v1/forecast/**", "/api/v1/enrich", "/v2/**"};

    /** The hot scoring paths, outside the filter chain entirely while scoring is public. */
    static final String[] HOT_SCORING = {"/api/v1/anomaly", "/api/v1/anomaly/batch", "/api/v1/forecast", "/api/v1/forecast/batch",
            "/v2/models/*/infer", "/v2/models/*/versions/*/infer"};

    /**
     * With public scoring, anonymous scoring requests skip Spring Security altogether: on 2 cores its filter chain
     * (context holder, header writers, authorization of an anonymous caller) cost about a third of single-record
     * throughput (docs/benchmarks.md) for requests that need no identity. A scoring request that carries an
     * {@code Authorization} header goes through the chain, so a valid token makes its scorings trusted (training rows,
     * labels, shadow evidence: serving.CallerTrust) and an invalid one is refused (401). The paid LLM path and
     * everything else stay in the chain.
     */
    @Bean
    WebSecurityCustomizer publicScoringOutsideTheChain(SecurityProperties properties) {
        return web -> {
            if (properties.publicScoring()) {
                List<RequestMatcher> hot = new ArrayList<>();
                for (String pattern : HOT_SCORING) {
                    hot.add(PathPatternRequestMatcher.withDefaults().matcher(pattern));
                }
                RequestMatcher anonymous = request -> request.getHeader(HttpHeaders.AUTHORIZATION) == null;
                web.ignoring().requestMatchers(new AndRequestMatcher(new OrRequestMatcher(hot), anonymous));
            }
        };
    }

    @Bean
    static RoleHierarchy roleHierarchy() {
        return Roles.hierarchy();
    }

    /** Added by Spring Boot to its JWT decoder's validators (issuer and audiences come from its own settings). */
    @Bean
    static OAuth2TokenValidator<Jwt> jwtExpiryRequired() {
        return JwtRequirements.expiryRequired();
    }

    @Bean
    SecurityFilterChain advisorSecurity(HttpSecurity http, SecurityProperties properties, ObjectProvider<JwtDecoder> jwt,
                                        ObjectMapper json, OAuth2ResourceServerProperties resourceServer) throws Exception {
        JwtRequirements.check(resourceServer.getJwt()); // before the decoder is asked for: refuse to start half-configured
        AuthenticationManager authentication = authenticationManager(properties, jwt.getIfAvailable());
        ProblemResponses problems = new ProblemResponses(json);
        http.csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .oauth2ResourceServer(o -> o.authenticationManagerResolver(request -> authentication)
                        .authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .authorizeHttpRequests(a -> {
                    a.requestMatchers(EndpointRequest.to("health", "info", "prometheus")).permitAll();
                    a.requestMatchers(EndpointRequest.toAnyEndpoint()).hasRole(Roles.ADMIN);
                    a.requestMatchers("/api/v1/admin/**").hasRole(Roles.ADMIN);
                    if (properties.publicFeedback()) {
                        a.requestMatchers("/api/v1/feedback").permitAll();
                    } else {
                        a.requestMatchers("/api/v1/feedback").hasRole(Roles.FEEDBACK);
                    }
                    if (properties.publicScoring()) {
                        a.requestMatchers(SCORING).permitAll();
                    } else {
                        a.requestMatchers(SCORING).hasRole(Roles.READ);
                    }
                    a.requestMatchers(HttpMethod.GET, "/api/v1/models/**", "/api/v1/models", "/api/v1/runs/**", "/api/v1/runs")
                            .hasRole(Roles.READ);
                    a.requestMatchers("/v3/api-docs/**", "/v3/api-docs", "/swagger-ui.html", "/swagger-ui/**", "/error").permitAll();
                    a.anyRequest().authenticated(); // anything not listed above: an authenticated caller at least
                });
        return http.build();
    }

    /** Static tokens first (a cheap digest compare), then the JWT decoder when an issuer or JWK set is configured. */
    /** Also the gRPC service's authentication (grpc.BearerAuthInterceptor): the same tokens and IdP as REST. */
    public static AuthenticationManager authenticationManager(SecurityProperties properties, JwtDecoder decoder) {
        List<AuthenticationProvider> providers = new ArrayList<>();
        StaticTokenAuthenticationProvider tokens = new StaticTokenAuthenticationProvider(properties);
        if (!tokens.isEmpty()) {
            providers.add(tokens);
        }
        if (decoder != null) {
            JwtAuthenticationProvider jwt = new JwtAuthenticationProvider(decoder);
            JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
            converter.setJwtGrantedAuthoritiesConverter(new JwtRoles(properties.rolesClaim()));
            jwt.setJwtAuthenticationConverter(converter);
            providers.add(jwt);
        }
        if (providers.isEmpty()) { // nothing configured: every presented token is refused (401), open routes stay open
            providers.add(new StaticTokenAuthenticationProvider(properties));
        }
        return new ProviderManager(providers);
    }
}
