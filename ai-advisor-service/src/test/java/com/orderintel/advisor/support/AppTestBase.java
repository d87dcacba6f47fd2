package com.orderintel.advisor.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The client side of a test of the running app (metrics exported): the REST client speaking as admin, a JSON mapper
 * and the calls most tests make. Each subclass brings its own {@code @SpringBootTest} settings and models.
 */
@AutoConfigureObservability
public abstract class AppTestBase {

    protected final ObjectMapper json = new ObjectMapper();

    @Autowired
    protected TestRestTemplate http;

    /** The shared client speaks as admin (the security tests use their own anonymous / role clients). */
    @BeforeEach
    void speakAsAdmin() {
        Credentials.asAdmin(http);
    }

    protected ResponseEntity<String> post(String path, String json) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        return http.postForEntity(path, new HttpEntity<>(json, headers), String.class);
    }

    protected int status(String path) {
        return http.getForEntity(path, String.class).getStatusCode().value();
    }
}
