package com.orderintel.registryserver.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;

import java.nio.charset.StandardCharsets;

/**
 * Two chains. The API ({@code /api/**}): HTTP basic, no session (a console cookie is never read there, so a forged
 * cross-site request cannot ride on it), reads need role read, every change role promoter, and change bodies must be
 * JSON (see the moves controller). The console and everything else: form login with a session, Spring Security's CSRF
 * token on every form, the same roles; health stays open for probes.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    RoleHierarchy roleHierarchy() {
        return Roles.hierarchy();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    InMemoryUserDetailsManager users(ConsoleUsers users) {
        return new InMemoryUserDetailsManager(users.parse());
    }

    @Bean
    @Order(1)
    SecurityFilterChain api(HttpSecurity http) throws Exception {
        return http.securityMatcher("/api/**")
                .authorizeHttpRequests(a -> a
                        .requestMatchers(HttpMethod.GET, "/api/**").hasRole(Roles.READ)
                        .anyRequest().hasRole(Roles.PROMOTER))
                .httpBasic(b -> b.realmName("registry").authenticationEntryPoint((req, res, e) -> {
                    res.setStatus(HttpStatus.UNAUTHORIZED.value());
                    res.setHeader("WWW-Authenticate", "Basic realm=\"registry\"");
                    res.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                    res.getOutputStream().write(("{\"status\":401,\"title\":\"unauthorized\",\"detail\":\"sign in with HTTP basic"
                            + " (a user of REGISTRY_USERS)\"}").getBytes(StandardCharsets.UTF_8));
                }))
                .exceptionHandling(x -> x.accessDeniedHandler((req, res, e) -> {
                    res.setStatus(HttpStatus.FORBIDDEN.value());
                    res.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                    res.getOutputStream().write(("{\"status\":403,\"title\":\"forbidden\",\"detail\":\"this needs role "
                            + (HttpMethod.GET.matches(req.getMethod()) ? "read" : "promoter") + "\"}").getBytes(StandardCharsets.UTF_8));
                }))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(c -> c.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .csrf(c -> c.disable())
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain console(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health/**", "/actuator/health", "/login", "/console.css", "/favicon.ico", "/error").permitAll()
                        .requestMatchers(HttpMethod.POST, "/console/**").hasRole(Roles.PROMOTER)
                        .anyRequest().hasRole(Roles.READ))
                .formLogin(f -> f.loginPage("/login").defaultSuccessUrl("/console", false).permitAll())
                .logout(l -> l.logoutSuccessUrl("/login?logout"))
                .headers(h -> h.frameOptions(f -> f.sameOrigin())) // the training report shows in a sandboxed frame
                .build();
    }
}
