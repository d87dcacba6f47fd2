package com.orderintel.advisor.support;

import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.client.ClientHttpRequestInterceptor;

/** Static bearer tokens the test contexts configure, and a way to make a test client present one. */
public final class Credentials {

    public static final String ADMIN_TOKEN = "test-admin-token-7f3a9c1e5b";
    public static final String READ_TOKEN = "test-read-token-2d8e4b6a0c";
    public static final String FEEDBACK_TOKEN = "test-feedback-token-9a1c3e5f";
    /** For {@code @SpringBootTest(properties = ...)}. */
    public static final String ADMIN_TOKEN_PROPERTY = "advisor.security.admin-token=" + ADMIN_TOKEN;
    public static final String READ_TOKEN_PROPERTY = "advisor.security.read-token=" + READ_TOKEN;
    public static final String FEEDBACK_TOKEN_PROPERTY = "advisor.security.feedback-token=" + FEEDBACK_TOKEN;

    private Credentials() {
    }

    /** Every request of {@code http} carries the admin token from now on (idempotent). */
    public static TestRestTemplate asAdmin(TestRestTemplate http) {
        var interceptors = http.getRestTemplate().getInterceptors();
        if (interceptors.stream().noneMatch(i -> i instanceof AdminBearer)) {
            interceptors.add(new AdminBearer());
        }
        return http;
    }

    private static final class AdminBearer implements ClientHttpRequestInterceptor {
        @Override
        public org.springframework.http.client.ClientHttpResponse intercept(org.springframework.http.HttpRequest request,
                byte[] body, org.springframework.http.client.ClientHttpRequestExecution execution) throws java.io.IOException {
            if (!request.getHeaders().containsKey("Authorization")) {
                request.getHeaders().setBearerAuth(ADMIN_TOKEN);
            }
            return execution.execute(request, body);
        }
    }
}
