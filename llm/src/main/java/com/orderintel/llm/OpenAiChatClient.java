package com.orderintel.llm;

import com.orderintel.prompt.PromptTemplate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A plain-JDK client for {@code POST <base-url>/chat/completions} (no Spring, so the training runner can use it;
 * the service has its own on Spring's RestClient with retry and circuit breaker around it). One call, no retries:
 * an evaluation wants to see every failure. The API key only ever goes into the Authorization header.
 */
public final class OpenAiChatClient {

    /** Why a call did not give an answer: transport, timeout, a non-2xx status. */
    public static final class CallException extends RuntimeException {
        public CallException(String message) {
            super(message);
        }
    }

    private final URI endpoint;
    private final String apiKey;
    private final String model;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param baseUrl e.g. {@code https://api.openai.com/v1} or {@code http://127.0.0.1:11434/v1}
     * @param apiKey  may be null for servers that need none
     */
    public OpenAiChatClient(String baseUrl, String apiKey, String model, Duration timeout) {
        if (baseUrl == null || !(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))) {
            throw new IllegalArgumentException("base URL must be an http(s) URL, e.g. https://api.openai.com/v1, but was "
                    + baseUrl);
        }
        this.endpoint = URI.create((baseUrl.endsWith("/") ? baseUrl : baseUrl + "/") + "chat/completions");
        this.apiKey = apiKey;
        this.model = model;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    public String model() {
        return model;
    }

    /** Sends the prompt as one user message; returns the raw response body of a 2xx answer. */
    public String complete(String prompt) {
        return complete(List.of(new PromptTemplate.Message("user", prompt)));
    }

    /** Sends these messages (a rendered template's); returns the raw response body of a 2xx answer. */
    public String complete(List<PromptTemplate.Message> messages) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ChatCompletions.request(model, messages).toString(),
                        StandardCharsets.UTF_8));
        if (apiKey != null && !apiKey.isBlank()) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() / 100 != 2) {
                throw new CallException("provider answered HTTP " + response.statusCode());
            }
            return response.body();
        } catch (HttpTimeoutException e) {
            throw new CallException("provider timed out after " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            throw new CallException("provider unreachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallException("interrupted");
        }
    }
}
