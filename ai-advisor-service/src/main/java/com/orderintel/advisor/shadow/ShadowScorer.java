package com.orderintel.advisor.shadow;

import com.orderintel.advisor.serving.ShadowScoring;
import com.orderintel.advisor.serving.PredictionCapture;
import com.orderintel.advisor.serving.ServingTask;
import com.orderintel.advisor.serving.Source;
import com.orderintel.advisor.model.LoadedModel;
import com.orderintel.advisor.model.ModelSlot;
import com.orderintel.advisor.model.ModelsSwappedEvent;
import com.orderintel.advisor.scheduling.DrainingWorker;
import com.orderintel.registry.ServableModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Scores what one model answered with the other one (the shadow candidate, or the primary for a canary record) on
 * a background thread: the request thread only offers the work to a bounded queue and, when it is full, counts the
 * records as dropped ({@code advisor_shadow_dropped_total{model}}); it never waits and a failing shadow never fails
 * a request. The other model's outputs are captured under the same prediction ids, and the last
 * {@code advisor.shadow.window} pairs give {@code advisor_shadow_agreement{model}} (share of equal anomaly flags),
 * {@code advisor_shadow_score_correlation{model}} (Pearson, anomaly scores) and
 * {@code advisor_shadow_forecast_mae{model}} (mean |primary - candidate| of forecasts). Labels are served model names.
 */
@Component
@EnableConfigurationProperties(ShadowProperties.class)
public class ShadowScorer extends DrainingWorker implements ShadowScoring {

    private static final Logger log = LoggerFactory.getLogger(ShadowScorer.class);

    /** What one model answered, for the other to score: the same for every task. */
    private record Job<M extends ServableModel, I, O>(ServingTask<M, I, O, ?> task, LoadedModel<M> answered, LoadedModel<M> other,
                                                      boolean canary, List<I> inputs, List<O> results, List<String> ids) {
        /** The served (primary) model of the pair and the candidate, whichever answered. */
        LoadedModel<M> primary() {
            return canary ? other : answered;
        }

        LoadedModel<M> candidate() {
            return canary ? answered : other;
        }
    }

    private static final String HMAC = "HmacSHA256";

    private final ShadowProperties properties;
    private final Mac canaryMac;
    private final PredictionCapture capture;
    private final MeterRegistry registry;
    private final ArrayBlockingQueue<Job<?, ?, ?>> queue;
    private final ConcurrentHashMap<String, Meters> meters = new ConcurrentHashMap<>();
    private final MultiGauge info;

    public ShadowScorer(ShadowProperties properties, PredictionCapture capture, MeterRegistry registry) {
        super("shadow-scorer", Duration.ZERO);
        this.properties = properties;
        this.canaryMac = canaryMac(properties.canarySecret());
        this.capture = capture;
        this.registry = registry;
        this.queue = new ArrayBlockingQueue<>(properties.queueCapacity());
        Gauge.builder("advisor.shadow.queued", queue, ArrayBlockingQueue::size)
                .description("shadow scorings waiting for the shadow worker").register(registry);
        Gauge.builder("advisor.shadow.canary.share", properties, ShadowProperties::canaryShare)
                .description("configured share of single-record traffic answered by the candidate").register(registry);
        this.info = MultiGauge.builder("advisor.shadow.info")
                .description("1 per slot with a candidate: the served (primary) and candidate versions compared")
                .register(registry);
    }

    @Override
    public boolean canary(ModelSlot<?> slot, String routingKey) {
        return properties.canaryShare() > 0 && bucket(canaryMac, routingKey) < properties.canaryShare();
    }

    /**
     * A stable position in [0, 1) for a key: HMAC-SHA256 of its UTF-8 bytes under the deployment's canary secret, the
     * first 53 bits as a fraction. The same on every replica and after every restart (same secret), and unknown to
     * anyone without the secret, so a client cannot choose which model answers it by choosing order ids (a public hash
     * such as FNV-1a let it).
     */
    static double bucket(Mac keyed, String routingKey) {
        Mac mac;
        try {
            mac = (Mac) keyed.clone(); // a keyed copy: about 1 µs, where getInstance + init cost about 12 µs here
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's HmacSHA256 is cloneable", e);
        }
        byte[] h = mac.doFinal(routingKey.getBytes(StandardCharsets.UTF_8));
        long first = 0;
        for (int i = 0; i < 8; i++) {
            first = first << 8 | (h[i] & 0xff);
        }
        return (first >>> 11) * 0x1.0p-53;
    }

    /** The bucket of {@code routingKey} under {@code secret} (for tests and tools that must agree with the service). */
    public static double bucket(String secret, String routingKey) {
        return bucket(canaryMac(secret), routingKey);
    }

    /** HmacSHA256 keyed with the secret (never used itself, only cloned: a Mac is not thread-safe); null without one. */
    private static Mac canaryMac(String secret) {
        if (secret == null || secret.isEmpty()) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    @Override
    public <M extends ServableModel, I, O> void offer(ServingTask<M, I, O, ?> task, Source source, LoadedModel<M> answered,
                                                      LoadedModel<M> other, boolean canary, List<I> inputs, List<O> results,
                                                      List<String> predictionIds) {
        Job<M, I, O> job = new Job<>(task, answered, other, canary, inputs, results, predictionIds);
        Meters m = meters(job.candidate().name());
        if (!queue.offer(job)) {
            m.dropped.increment(inputs.size());
        }
    }

    private Meters meters(String model) {
        return meters.computeIfAbsent(model, name -> new Meters(name, properties.window(), registry));
    }

    @Override
    protected void drain() {
        while (isRunning() || !queue.isEmpty()) {
            try {
                Job<?, ?, ?> job = queue.poll(200, TimeUnit.MILLISECONDS);
                if (job != null) {
                    process(job);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("shadow scoring failed (the primary's answers are unaffected): {}", e.toString());
            }
        }
    }

    /** Scores the records with the other model, captures its outputs and adds the pairs to the candidate's window. */
    private <M extends ServableModel, I, O> void process(Job<M, I, O> job) {
        List<O> theirs = job.task().score(job.other().model(), job.inputs());
        job.task().captureShadow(capture, job.other(), job.ids(), theirs);
        Meters m = meters(job.candidate().name());
        m.window.add(job.task(), job.primary().version(), job.candidate().version(),
                job.canary() ? theirs : job.results(), job.canary() ? job.results() : theirs);
        m.scored.increment(theirs.size());
    }

    /** Which versions are compared, for the dashboard's agreement panel. */
    @EventListener
    public void onSwap(ModelsSwappedEvent event) {
        info.register(ModelSlot.values().stream()
                .flatMap(slot -> event.current().get(slot).stream().flatMap(p -> event.current().shadow(slot).stream()
                        .map(c -> MultiGauge.Row.of(Tags.of("model", c.name(), "primary_version", p.version(),
                                "candidate_version", c.version()), 1))))
                .toList(), true);
        event.current().shadows().forEach(s -> meters(s.name()));
    }

    /** Work waiting (tests). */
    int queued() {
        return queue.size();
    }

    /** Stops just before the capture writers, so what it scores at shutdown is still captured. */
    @Override
    public int getPhase() {
        return super.getPhase() + 1;
    }

    /** Per candidate model name: counters and the agreement window behind the gauges. */
    private static final class Meters {
        final Counter scored;
        final Counter dropped;
        final AgreementWindow window;

        Meters(String model, int size, MeterRegistry registry) {
            this.window = new AgreementWindow(size);
            this.scored = Counter.builder("advisor.shadow.scored").tag("model", model)
                    .description("records scored by the other model (shadow, or the primary for canary records)").register(registry);
            this.dropped = Counter.builder("advisor.shadow.dropped").tag("model", model)
                    .description("records not shadow-scored because the shadow queue was full").register(registry);
            Gauge.builder("advisor.shadow.agreement", window, AgreementWindow::agreement).tag("model", model)
                    .description("share of anomaly flags on which primary and candidate agree (window)").register(registry);
            Gauge.builder("advisor.shadow.score.correlation", window, AgreementWindow::correlation).tag("model", model)
                    .description("Pearson correlation of primary and candidate anomaly scores (window)").register(registry);
            Gauge.builder("advisor.shadow.forecast.mae", window, AgreementWindow::forecastMae).tag("model", model)
                    .description("mean absolute difference between primary and candidate forecasts (window)").register(registry);
            Gauge.builder("advisor.shadow.window", window, AgreementWindow::pairs).tag("model", model)
                    .description("primary/candidate pairs behind the agreement gauges").register(registry);
        }
    }
}
