package com.orderintel.advisor.deploy;

import com.orderintel.testkit.OpenAiLoopback;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.advisor.events.BrokerRunTest;
import com.orderintel.advisor.events.TestTopology;
import com.orderintel.advisor.support.Credentials;
import com.orderintel.advisor.support.PrometheusText;
import com.orderintel.testkit.ThrowawayDatabase;
import com.orderintel.advisor.support.TrainedModels;
import com.orderintel.dataset.OrderRow;
import com.shop.orderservice.dto.OrderCreatedEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.amqp.support.converter.Jackson2JsonMessageConverter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every query of the Grafana dashboard (helm/ai-advisor-service/files/dashboard.json) names only metrics the service
 * exports. The app runs with everything that registers meters switched on against the real things on loopback:
 * order events on RabbitMQ, capture/feedback/batch on a throw-away PostgreSQL database, the LLM provider at the
 * OpenAI-wire loopback server with the embedding cache in Redis. Traffic goes through every path, then
 * /actuator/prometheus is scraped and its names compared with the dashboard's.
 */
@BrokerRunTest
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.cloud.vault.enabled=false",
        "advisor.models.load-attempts=1",
        "advisor.events.max-attempts=2",
        "advisor.events.retry-backoff=50ms",
        "advisor.capture.flush-interval=50ms",
        "advisor.llm.resilience.retry-backoff=10ms",
        Credentials.ADMIN_TOKEN_PROPERTY})
class DashboardMetricsTest {

    static final Path DASHBOARD = Path.of("..", "helm", "ai-advisor-service", "files", "dashboard.json");

    /**
     * Metrics a dashboard query may name although this test cannot make the app export them, each with the reason
     * and the test that does produce it.
     */
    static final Map<String, String> NOT_PRODUCIBLE_HERE = Map.of(
            // exported only while an alias points at a version that failed validation; AliasWatcherTest produces it
            "advisor_model_alias_refused", "needs a refused alias move (AliasWatcherTest)");

    private static final TestTopology NAMES = TestTopology.unique("dashboard");
    private static final TrainedModels MODELS = TrainedModels.create();
    private static final ThrowawayDatabase DB = new ThrowawayDatabase("advisor_dashboard");
    private static final String CACHE_PREFIX = "test:dashboard:" + UUID.randomUUID() + ":";
    private static final CachingConnectionFactory CF = new CachingConnectionFactory("127.0.0.1", 5672);
    private static final RabbitAdmin ADMIN = new RabbitAdmin(CF);
    private static OpenAiLoopback provider;

    static {
        CF.setUsername("guest");
        CF.setPassword("guest");
        NAMES.declare(ADMIN);
    }

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) throws IOException {
        NAMES.properties().forEach((k, v) -> r.add(k, () -> v));
        MODELS.serveBoth(r);
        // a shadow candidate, so the shadow agreement and canary panels' metrics are exported too
        r.add("advisor.models.anomaly-shadow-uri", () -> MODELS.publishAnomalyVersion("v2").uri());
        r.add("spring.datasource.url", DB::url);
        r.add("spring.datasource.username", () -> "postgres");
        provider = new OpenAiLoopback();
        r.add("advisor.llm.provider", () -> "openai");
        r.add("advisor.llm.openai.base-url", provider::baseUrl);
        r.add("advisor.llm.openai.api-key", () -> "sk-dashboard-test");
        r.add("advisor.llm.cache.enabled", () -> "true");
        r.add("advisor.llm.cache.key-prefix", () -> CACHE_PREFIX);
        r.add("spring.data.redis.host", () -> "127.0.0.1");
        r.add("spring.data.redis.port", () -> "6379");
    }

    @Autowired
    TestRestTemplate http;

    @Autowired
    RabbitListenerEndpointRegistry listeners;

    @Autowired
    RedisConnectionFactory redis;

    private final ObjectMapper json = new ObjectMapper();

    @AfterAll
    void cleanUp() {
        NAMES.tearDown(listeners, ADMIN, CF);
        provider.close();
        try (RedisConnection c = redis.getConnection()) {
            Set<byte[]> keys = c.keyCommands().keys((CACHE_PREFIX + "*").getBytes(StandardCharsets.UTF_8));
            if (keys != null && !keys.isEmpty()) {
                c.keyCommands().del(keys.toArray(byte[][]::new));
            }
        }
        DB.close();
    }

    @Test
    void everyDashboardQueryNamesAnExportedMetric() throws Exception {
        Set<String> exported = exportedAfterTrafficOnEveryPath();
        JsonNode dashboard = json.readTree(Files.readString(DASHBOARD));

        List<String> problems = new ArrayList<>();
        Set<String> used = new TreeSet<>();
        int queries = 0;
        for (JsonNode panel : dashboard.get("panels")) {
            if ("row".equals(panel.path("type").asText())) {
                continue;
            }
            String title = panel.path("title").asText();
            if (panel.path("targets").isEmpty()) {
                problems.add("panel '" + title + "' has no query");
            }
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                queries++;
                if (!expr.contains("instance=~\"$instance\"") || !expr.contains("namespace=~\"$namespace\"")) {
                    problems.add("panel '" + title + "' ignores the instance/namespace variables: " + expr);
                }
                checkMetrics("panel '" + title + "'", expr, exported, used, problems);
            }
        }
        List<String> variables = new ArrayList<>();
        for (JsonNode variable : dashboard.at("/templating/list")) {
            variables.add(variable.get("name").asText());
            if ("query".equals(variable.path("type").asText())) {
                checkMetrics("variable '" + variable.get("name").asText() + "'", variable.get("query").asText(),
                        exported, used, problems);
            }
        }
        assertThat(problems).isEmpty();
        assertThat(variables).contains("datasource", "namespace", "instance");
        assertThat(queries).isGreaterThan(40);
        // the dashboard covers what the issue asks for (and the allow-list is not dead weight)
        assertThat(used).contains("jvm_memory_used_bytes", "jvm_gc_pause_seconds_sum", "jvm_threads_live_threads",
                "http_server_requests_seconds_bucket", "http_server_requests_seconds_count",
                "advisor_events_consumed_total", "advisor_alerts_published_total", "advisor_events_dead_lettered_total",
                "advisor_events_queue_depth", "advisor_events_processing_seconds_bucket", "advisor_predictions_total",
                "advisor_feature_psi", "advisor_feedback_precision", "advisor_feedback_recall", "advisor_feedback_mae",
                "advisor_feedback_window", "advisor_model_training_metric", "advisor_capture_written_total",
                "advisor_capture_dropped_total", "advisor_capture_buffered", "advisor_llm_provider_calls_total",
                "advisor_llm_fallbacks_total", "advisor_llm_cache_requests_total", "advisor_llm_tokens_total",
                "advisor_llm_cost_usd_total", "resilience4j_circuitbreaker_state", "resilience4j_circuitbreaker_calls_seconds_count",
                "advisor_llm_note_enrichments_total", "advisor_capture_notes_buffered")
                .containsAll(NOT_PRODUCIBLE_HERE.keySet());
        assertThat(NOT_PRODUCIBLE_HERE.keySet()).as("allow-listed but exported after all").doesNotContainAnyElementsOf(exported);
    }

    @Test
    void promQlMetricNamesAreFoundAndNothingElse() {
        assertThat(PromQl.metricNames("histogram_quantile(0.99, sum by (le, uri) (rate(http_server_requests_seconds_bucket"
                + "{namespace=~\"$namespace\", uri!~\"/actuator.*\"}[5m])))")).containsExactly("http_server_requests_seconds_bucket");
        assertThat(PromQl.metricNames("sum(rate(a_total{result=\"hit\"}[5m])) / clamp_min(sum by (x) (rate(b_total[5m])), 1e-9)"))
                .containsExactly("a_total", "b_total");
        assertThat(PromQl.metricNames("time() - max(last_success_seconds{instance=~\"$instance\"})"))
                .containsExactly("last_success_seconds");
        assertThat(PromQl.metricNames("label_values(process_uptime_seconds{application=\"a\"}, namespace)"))
                .containsExactly("process_uptime_seconds");
        assertThat(PromQl.metricNames("sum(rate(x_total[5m])) and on (instance) up == bool 1")).containsExactly("up", "x_total");
    }

    private static void checkMetrics(String where, String query, Set<String> exported, Set<String> used, List<String> problems) {
        Set<String> metrics = PromQl.metricNames(query);
        if (metrics.isEmpty()) {
            problems.add(where + " names no metric: " + query);
        }
        for (String m : metrics) {
            used.add(m);
            if (!exported.contains(m) && !NOT_PRODUCIBLE_HERE.containsKey(m)) {
                problems.add(where + " names " + m + ", which the service does not export");
            }
        }
    }

    /** Drives REST, OIP, events (one scored, one poison), feedback, enrichment (ok, cached, failing); scrapes. */
    private Set<String> exportedAfterTrafficOnEveryPath() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() ->
                http.getForEntity("/actuator/health/readiness", String.class).getStatusCode().is2xxSuccessful());
        OrderRow row = MODELS.orderRows.get(5);
        ResponseEntity<String> scored = post("/api/v1/anomaly", json.createObjectNode().put("order_id", "dash-1")
                .put("avg_processing_ms", row.avgProcessingMs()).put("item_count", row.itemCount())
                .put("payment_score", row.paymentScore()).put("note", "The courier was late again, not happy.").toString());
        assertThat(scored.getStatusCode().value()).as(scored.getBody()).isEqualTo(200);
        assertThat(post("/api/v1/anomaly", "{\"avg_processing_ms\":-1,\"item_count\":1,\"payment_score\":0.5}")
                .getStatusCode().value()).isEqualTo(400);
        ResponseEntity<String> forecast = post("/api/v1/forecast", "{\"date\":\"2024-08-15\",\"product_id\":\""
                + MODELS.demandRows.getFirst().productId() + "\",\"avg_basket_value\":85,\"promo_flag\":0}");
        assertThat(forecast.getStatusCode().value()).as(forecast.getBody()).isEqualTo(200);
        assertThat(post("/v2/models/order-anomaly/infer", "{\"inputs\":[{\"name\":\"input-0\",\"shape\":[1,3],"
                + "\"datatype\":\"FP32\",\"data\":[420,3,0.9]}]}").getStatusCode().value()).isEqualTo(200);
        assertThat(post("/api/v1/feedback", json.createObjectNode().put("prediction_id",
                json.readTree(scored.getBody()).get("prediction_id").asText()).put("actual_label", row.label()).toString())
                .getStatusCode().value()).isEqualTo(200);
        JsonNode f = json.readTree(forecast.getBody());
        assertThat(post("/api/v1/feedback", json.createObjectNode().put("prediction_id", f.get("prediction_id").asText())
                .put("actual_demand", f.get("predicted_demand").asDouble() + 3).toString()).getStatusCode().value()).isEqualTo(200);

        RabbitTemplate orderService = new RabbitTemplate(CF);
        orderService.setMessageConverter(new Jackson2JsonMessageConverter());
        orderService.convertAndSend(NAMES.exchange(), "order.created", new OrderCreatedEvent("dash-o-1", "SKU-1", 40, "CREATED"));
        new RabbitTemplate(CF).send(NAMES.exchange(), "order.created", MessageBuilder.withBody("{not json".getBytes())
                .setContentType(MessageProperties.CONTENT_TYPE_JSON).build());

        String note = "Leave the parcel at the side door " + UUID.randomUUID();
        assertThat(enrich(note).get("source").asText()).isEqualTo("provider");
        assertThat(enrich(note).get("source").asText()).isEqualTo("cache");
        provider.chatMode(OpenAiLoopback.Mode.ERROR_500);
        assertThat(enrich("Second note " + UUID.randomUUID()).get("summary_source").asText()).isEqualTo("fallback");

        System.gc(); // a collection, so jvm_gc_pause_* has a sample as on any running service
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Set<String> names = scrape();
            return names.contains("advisor_events_dead_lettered_total") && names.contains("advisor_alerts_published_total")
                    && names.contains("advisor_llm_note_enrichments_total")
                    && PrometheusText.parse(http.getForObject("/actuator/prometheus", String.class))
                    .sum("advisor_events_consumed_total") >= 1;
        });
        return scrape();
    }

    private Set<String> scrape() {
        return PrometheusText.parse(http.getForObject("/actuator/prometheus", String.class)).names();
    }

    private JsonNode enrich(String text) throws IOException {
        ResponseEntity<String> res = post("/api/v1/enrich", json.createObjectNode().put("text", text).toString());
        assertThat(res.getStatusCode().value()).as(res.getBody()).isEqualTo(200);
        return json.readTree(res.getBody());
    }

    private ResponseEntity<String> post(String path, String body) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.setBearerAuth(Credentials.ADMIN_TOKEN); // feedback needs a role; admin includes it
        return http.postForEntity(path, new HttpEntity<>(body, headers), String.class);
    }

    /**
     * The metric names in a PromQL expression or a Grafana {@code label_values(...)} query. Hand-written (no PromQL
     * parser for Java is kept up): strings, label matchers, ranges and grouping clauses are removed, then every
     * identifier that is not a function call or keyword is a metric name.
     */
    static final class PromQl {

        private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*?)(,\\s*\\w+)?\\)\\s*$");
        private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
        private static final Pattern IDENT = Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
        private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
                "on", "ignoring", "group_left", "group_right", "inf", "nan");

        static Set<String> metricNames(String query) {
            Matcher lv = LABEL_VALUES.matcher(query);
            String expr = lv.matches() ? lv.group(1) : query;
            expr = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                    .replaceAll("\\{[^}]*}", " ")
                    .replaceAll("\\[[^]]*]", " ");
            expr = GROUPING.matcher(expr).replaceAll(" ");
            Set<String> names = new TreeSet<>();
            Matcher m = IDENT.matcher(expr);
            while (m.find()) {
                if (m.group(2) == null && !KEYWORDS.contains(m.group(1).toLowerCase())) {
                    names.add(m.group(1));
                }
            }
            return names;
        }

        private PromQl() {
        }
    }
}
