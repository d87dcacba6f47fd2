package com.orderintel.advisor.llm;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;

/**
 * One HTTP call to an OpenAI-compatible {@code /chat/completions} or {@code /embeddings} endpoint (OpenAI, a
 * self-hosted compatible server, or Azure OpenAI's deployment URLs). No retries here: {@link EnrichmentService}
 * wraps calls in retry + circuit breaker. Failures become {@link ProviderException}s; the API key is only ever
 * put in the request header, never in a message.
 */
public class OpenAiCompatibleClient {

    private final LlmProperties props;
    private final RestClient http;
    private final ProviderResponses responses;

    public OpenAiCompatibleClient(LlmProperties props, RestClient.Builder builder, ProviderResponses responses) {
        this.props = props;
        this.responses = responses;
        HttpClient jdk = HttpClient.newBuilder().connectTimeout(props.http().connectTimeout())
                .version(HttpClient.Version.HTTP_1_1).build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(jdk);
        factory.setReadTimeout(props.http().readTimeout());
        this.http = builder.clone().requestFactory(factory).build();
    }

    public float[] embed(String text) {
        Map<String, Object> body = props.provider() == LlmProperties.Provider.AZURE
                ? Map.of("input", text)
                : Map.of("model", props.openai().embeddingModel(), "input", text);
        return responses.embedding(post("embeddings", body), 0);
    }

    public RuleBasedSummarizer.Summary summarize(String prompt) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        if (props.provider() != LlmProperties.Provider.AZURE) {
            body.put("model", props.openai().chatModel());
        }
        body.put("messages", List.of(Map.of("role", "user", "content", prompt)));
        body.put("temperature", 0);
        body.put("response_format", Map.of("type", "json_object"));
        return responses.chatSummary(post("chat/completions", body));
    }

    private String post(String operation, Map<String, Object> body) {
        try {
            return request(operation).contentType(MediaType.APPLICATION_JSON).accept(MediaType.APPLICATION_JSON)
                    .body(body).retrieve().body(String.class);
        } catch (RestClientResponseException e) {
            HttpStatusCode status = e.getStatusCode();
            boolean retryable = status.is5xxServerError() || status.value() == 429;
            throw new ProviderException(FallbackReason.ERROR, operation + ": provider answered HTTP " + status.value(),
                    null, retryable);
        } catch (ResourceAccessException e) {
            boolean timeout = causedBy(e, HttpTimeoutException.class) || causedBy(e, SocketTimeoutException.class);
            throw new ProviderException(timeout ? FallbackReason.TIMEOUT : FallbackReason.ERROR,
                    operation + ": " + (timeout ? "provider timed out" : "provider unreachable: " + e.getMostSpecificCause().getClass().getSimpleName()));
        } catch (RestClientException e) {
            throw new ProviderException(FallbackReason.ERROR, operation + ": " + e.getClass().getSimpleName());
        }
    }

    private RestClient.RequestBodySpec request(String operation) {
        if (props.provider() == LlmProperties.Provider.AZURE) {
            LlmProperties.Azure az = props.azure();
            String deployment = operation.equals("embeddings") ? az.embeddingDeployment() : az.chatDeployment();
            return http.post().uri(trimSlash(az.endpoint()) + "/openai/deployments/{d}/" + operation
                            + "?api-version={v}", deployment, az.apiVersion())
                    .header("api-key", az.apiKey());
        }
        return http.post().uri(trimSlash(props.openai().baseUrl()) + "/" + operation)
                .header("Authorization", "Bearer " + props.openai().apiKey());
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
