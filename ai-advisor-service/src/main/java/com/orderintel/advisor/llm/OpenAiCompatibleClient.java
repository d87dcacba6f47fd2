package com.orderintel.advisor.llm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderintel.llm.ChatCompletions;
import com.orderintel.llm.NoteFeatures;
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
    private final LlmMetrics metrics;

    public OpenAiCompatibleClient(LlmProperties props, RestClient.Builder builder, ProviderResponses responses) {
        this(props, builder, responses, null);
    }

    /** @param metrics where the tokens of every answered call are counted (null: not counted) */
    public OpenAiCompatibleClient(LlmProperties props, RestClient.Builder builder, ProviderResponses responses,
                                  LlmMetrics metrics) {
        this.props = props;
        this.responses = responses;
        this.metrics = metrics;
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
        return responses.chatSummary(post("chat/completions", chatBody(prompt)));
    }

    /** Sentiment and category of a note from the rendered {@code order-note-features} prompt. */
    public NoteFeatures classify(String prompt) {
        return responses.noteFeatures(post("chat/completions", chatBody(prompt)));
    }

    /** The model name metrics and prices know this provider's chat or embeddings model by. */
    public String modelName(String operation) {
        boolean embeddings = operation.equals("embeddings");
        return switch (props.provider()) {
            case AZURE -> "azure-" + (embeddings ? props.azure().embeddingDeployment() : props.azure().chatDeployment());
            case OPENAI -> embeddings ? props.openai().embeddingModel() : props.openai().chatModel();
            case NONE -> "none";
        };
    }

    private ObjectNode chatBody(String prompt) {
        return ChatCompletions.request(props.provider() == LlmProperties.Provider.AZURE ? null : props.openai().chatModel(),
                prompt);
    }

    private String post(String operation, Object body) {
        try {
            String answer = request(operation).contentType(MediaType.APPLICATION_JSON).accept(MediaType.APPLICATION_JSON)
                    .body(body).retrieve().body(String.class);
            if (metrics != null) {
                metrics.tokens(props.provider().name().toLowerCase(java.util.Locale.ROOT), modelName(operation),
                        ChatCompletions.usage(answer));
            }
            return answer;
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
