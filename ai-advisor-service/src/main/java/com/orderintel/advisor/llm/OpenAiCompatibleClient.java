package com.orderintel.advisor.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderintel.llm.ChatCompletions;
import com.orderintel.llm.NoteFeatures;
import com.orderintel.llm.Usage;
import com.orderintel.prompt.PromptTemplate;
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
 * wraps calls in retry + circuit breaker. Every HTTP attempt first draws on the {@link LlmBudget} (refused: a
 * {@link ProviderException} of reason {@code BUDGET}, no request sent) and settles it with the answer's {@code usage}.
 * Failures become {@link ProviderException}s; the API key is only ever put in the request header, never in a message.
 */
public class OpenAiCompatibleClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LlmProperties props;
    private final RestClient http;
    private final ProviderResponses responses;
    private final LlmMetrics metrics;
    private final LlmBudget budget;

    /** A client with the configured budget limits but no prices (its daily cost counts 0) and no token metrics. */
    public OpenAiCompatibleClient(LlmProperties props, RestClient.Builder builder, ProviderResponses responses) {
        this(props, builder, responses, null, LlmBudget.unpriced(props.budget()));
    }

    /**
     * @param metrics where the tokens of every answered call are counted (null: not counted)
     * @param budget  what every call draws on before it is sent
     */
    public OpenAiCompatibleClient(LlmProperties props, RestClient.Builder builder, ProviderResponses responses,
                                  LlmMetrics metrics, LlmBudget budget) {
        this.props = props;
        this.responses = responses;
        this.metrics = metrics;
        this.budget = budget;
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

    /** Summary and category from the messages of the rendered {@code order-note-enrichment} prompt. */
    public RuleBasedSummarizer.Summary summarize(List<PromptTemplate.Message> prompt) {
        return responses.chatSummary(post("chat/completions", chatBody(prompt)));
    }

    /** Sentiment and category of a note from the messages of the rendered {@code order-note-features} prompt. */
    public NoteFeatures classify(List<PromptTemplate.Message> prompt) {
        return responses.noteFeatures(post("chat/completions", chatBody(prompt)));
    }

    /** The model name metrics and prices know this provider's chat or embeddings model by. */
    public String modelName(String operation) {
        return modelName(props, operation);
    }

    static String modelName(LlmProperties props, String operation) {
        boolean embeddings = operation.equals("embeddings");
        return switch (props.provider()) {
            case AZURE -> "azure-" + (embeddings ? props.azure().embeddingDeployment() : props.azure().chatDeployment());
            case OPENAI -> embeddings ? props.openai().embeddingModel() : props.openai().chatModel();
            case NONE -> "none";
        };
    }

    /** The messages, JSON mode, and {@code max_tokens}: the completion cap the budget counts before the call. */
    private ObjectNode chatBody(List<PromptTemplate.Message> prompt) {
        return ChatCompletions.request(props.provider() == LlmProperties.Provider.AZURE ? null : props.openai().chatModel(),
                prompt).put("max_tokens", budget.maxCompletionTokens());
    }

    private String post(String operation, Object body) {
        String json = body instanceof ObjectNode node ? node.toString() : JSON.valueToTree(body).toString();
        boolean embeddings = operation.equals("embeddings");
        LlmBudget.Permit permit = budget.acquire(embeddings ? "embeddings" : "chat", modelName(operation),
                LlmBudget.estimatePromptTokens(json), embeddings ? 0 : budget.maxCompletionTokens());
        Usage usage = null;
        try {
            String answer = request(operation).contentType(MediaType.APPLICATION_JSON).accept(MediaType.APPLICATION_JSON)
                    .body(json).retrieve().body(String.class);
            usage = ChatCompletions.usage(answer);
            if (metrics != null) {
                metrics.tokens(props.provider().name().toLowerCase(java.util.Locale.ROOT), modelName(operation), usage);
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
        } finally {
            budget.settle(permit, usage);
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
