package com.orderintel.advisor.web;

import com.fasterxml.jackson.core.StreamReadConstraints;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Bounded input for every endpoint: a body larger than {@code advisor.api.max-body-size} is refused with 413 (by its
 * Content-Length before anything is read; a chunked body when the limit is crossed while reading), and Jackson refuses
 * JSON nested deeper, or with strings or numbers longer, than configured (400) - also for events, which use the same
 * ObjectMapper. Tomcat has no general body-size limit for non-form requests, hence the small filter.
 */
@Configuration(proxyBeanMethods = false)
public class RequestLimits {

    @Bean
    Jackson2ObjectMapperBuilderCustomizer jsonReadConstraints(ApiProperties api) {
        StreamReadConstraints limits = StreamReadConstraints.builder()
                .maxNestingDepth(api.maxJsonDepth())
                .maxStringLength(api.maxStringLength())
                .maxNumberLength(api.maxNumberLength())
                .maxDocumentLength(api.maxBodySize().toBytes())
                .build();
        return builder -> builder.postConfigurer(mapper -> mapper.getFactory().setStreamReadConstraints(limits));
    }

    @Bean
    FilterRegistrationBean<BodySizeFilter> bodySizeFilter(ApiProperties api) {
        FilterRegistrationBean<BodySizeFilter> registration = new FilterRegistrationBean<>(new BodySizeFilter(api.maxBodySize().toBytes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10); // before security and MVC: nothing reads a huge body
        return registration;
    }

    /** Thrown while reading a chunked body past the limit; the exception handlers turn it into a 413 problem. */
    public static final class BodyTooLargeException extends IOException {
        public BodyTooLargeException(long limit) {
            super("request body is larger than the limit of " + limit + " bytes");
        }
    }

    static final class BodySizeFilter extends OncePerRequestFilter {
        private final long limit;

        BodySizeFilter(long limit) {
            this.limit = limit;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            long declared = request.getContentLengthLong();
            if (declared > limit) {
                response.setStatus(HttpStatus.PAYLOAD_TOO_LARGE.value());
                response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                response.setHeader("Connection", "close"); // do not swallow the rest of a huge body
                // hand-written JSON: the filter runs before MVC, and these strings need no escaping
                response.getOutputStream().write(("{\"type\":\"" + Problems.TYPE_BASE + "body-too-large\",\"title\":\"Payload too large\","
                        + "\"status\":413,\"detail\":\"request body is " + declared + " bytes, over the limit of " + limit
                        + " bytes\",\"instance\":\"" + request.getRequestURI().replaceAll("[^A-Za-z0-9/._~-]", "") + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            chain.doFilter(declared >= 0 ? request : new Limited(request, limit), response);
        }
    }

    /** A request whose body stream fails once more than {@code limit} bytes were read. */
    private static final class Limited extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                stream = new ServletInputStream() {
                    private long read;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0) {
                            count(1);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buf, int off, int len) throws IOException {
                        int n = in.read(buf, off, len);
                        if (n > 0) {
                            count(n);
                        }
                        return n;
                    }

                    private void count(int n) throws BodyTooLargeException {
                        read += n;
                        if (read > limit) {
                            throw new BodyTooLargeException(limit);
                        }
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }
}
