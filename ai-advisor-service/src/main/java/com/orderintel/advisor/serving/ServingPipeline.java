package com.orderintel.advisor.serving;

import com.orderintel.advisor.feedback.PredictionLog;
import com.orderintel.advisor.metrics.DriftMonitor;
import com.orderintel.advisor.model.LoadedModel;
import com.orderintel.advisor.model.ModelSlot;
import com.orderintel.advisor.model.ModelSnapshot;
import com.orderintel.advisor.model.ServedModels;
import com.orderintel.advisor.web.InvalidInputException;
import com.orderintel.advisor.web.ModelUnavailableException;
import com.orderintel.anomaly.AnomalyDetector;
import com.orderintel.anomaly.AnomalyResult;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.registry.ServableModel;
import org.springframework.stereotype.Component;

import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * The one way a record is scored in this service, whatever the entry point (REST, Open Inference Protocol, order
 * events, batch): take the model snapshot once, let the entry point validate and shape its inputs against that
 * model, score, count ({@code advisor_predictions_total{source}}), feed drift and the anomaly rate, and log each
 * prediction under an id for feedback. Entry points are thin adapters that only translate their wire format.
 */
@Component
public class ServingPipeline {

    private final ServedModels models;
    private final PredictionMetrics metrics;
    private final DriftMonitor drift;
    private final PredictionLog predictions;
    private final PredictionCapture capture;
    private final ShadowScoring shadow;
    private final CallerTrust trust;

    public ServingPipeline(ServedModels models, PredictionMetrics metrics, DriftMonitor drift, PredictionLog predictions,
                           PredictionCapture capture, ShadowScoring shadow, CallerTrust trust) {
        this.models = models;
        this.metrics = metrics;
        this.drift = drift;
        this.predictions = predictions;
        this.capture = capture;
        this.shadow = shadow;
        this.trust = trust;
    }

    /**
     * Whether the anomaly model served now or its shadow reads note features: only then do entry points compute a
     * note's features (the offline rules cost ~10 µs for a short note, ~1.7 ms for 8,000 characters), so the
     * 3-metric model's path does no note work at all. Read per request, so a swapped model takes effect at once.
     */
    public boolean anomalyReadsNotes() {
        ModelSnapshot s = models.snapshot();
        return readsNotes(s.get(ModelSlot.ANOMALY).orElse(null)) || readsNotes(s.shadow(ModelSlot.ANOMALY).orElse(null));
    }

    private static boolean readsNotes(LoadedModel<AnomalyDetector> m) {
        return m != null && m.model().noteFeatures() != null;
    }

    /** The model that answers and the other one (shadow or, for a canary record, the primary), null when none. */
    private record Admitted<M extends ServableModel>(LoadedModel<M> model, LoadedModel<M> other, boolean canary) { }

    /** One order's features as the entry point prepared them, and which of them it imputed. */
    public record PreparedOrder(OrderMetrics order, List<String> imputed) { }

    /**
     * Scores records with the task's model served now. {@code prepare} validates the entry point's records against
     * that model and returns the inputs (it may impute from the model's manifest); an {@link InvalidInputException}
     * from it is counted and rethrown. A single record with a routing key (order id, product id) meets the model the
     * canary share assigns to that key, the same one every time; {@code routingKey} null: no canary routing.
     */
    public <M extends ServableModel, I, O> Scored<I, O> score(ServingTask<M, I, O, ?> task, Source source, String routingKey,
                                                              int records, Function<LoadedModel<M>, List<I>> prepare) {
        Admitted<M> a = admit(task.slot(), source, records, routingKey);
        return score(task, source, a, prepared(a.model(), source, records, prepare), null);
    }

    /** Scores one order whose entry point may impute features from the scoring model (order events), routed as above. */
    public Scored<OrderMetrics, AnomalyResult> scoreOrder(Source source, String routingKey,
                                                          Function<LoadedModel<AnomalyDetector>, PreparedOrder> prepare) {
        Admitted<AnomalyDetector> a = admit(ModelSlot.ANOMALY, source, 1, routingKey);
        PreparedOrder p = prepared(a.model(), source, 1, prepare);
        return score(ServingTask.ANOMALY, source, a, List.of(p.order()), List.of(p.imputed()));
    }

    /** Scores records with a model pinned by the caller (a batch run keeps one version for all its chunks). */
    public <M extends ServableModel, I, O> Scored<I, O> score(ServingTask<M, I, O, ?> task, Source source, LoadedModel<M> model,
                                                              List<I> inputs) {
        return score(task, source, new Admitted<>(model, shadowOf(task.slot(), model), false), inputs, null);
    }

    private <M extends ServableModel, I, O> Scored<I, O> score(ServingTask<M, I, O, ?> task, Source source, Admitted<M> admitted,
                                                               List<I> inputs, List<List<String>> imputed) {
        LoadedModel<M> model = admitted.model();
        List<O> results = task.scoreAll(model.model(), inputs);
        boolean trusted = trust.trusted(source);
        metrics.count(model.name(), model.version(), source, Outcome.OK, inputs.size());
        List<String> ids;
        if (inputs.size() == 1) {
            ids = List.of(task.log(predictions, model, inputs.getFirst(), results.getFirst(), trusted));
        } else {
            ids = task.logAll(predictions, model, inputs, results, trusted);
        }
        task.observe(metrics, drift, model, source, inputs, results);
        task.capture(capture, source, trusted, model, inputs, results, ids,
                imputed != null ? imputed : Collections.nCopies(inputs.size(), List.of()));
        if (admitted.other() != null) {
            shadow.offer(task, source, model, admitted.other(), admitted.canary(), inputs, results, ids);
        }
        return new Scored<>(model, inputs, results, ids);
    }

    /**
     * Per-record explanations of scored records, by the very model version that scored them (on request only: each
     * walks every tree once more). For a forecast: base + contributions = the forecast.
     */
    @SuppressWarnings("unchecked")
    public <M extends ServableModel, I, O, E> List<E> explain(ServingTask<M, I, O, E> task, Scored<I, O> scored) {
        return task.explainAll((M) scored.model().model(), scored.inputs());
    }

    /**
     * The slot's model now and its shadow, or a counted 503 when none is loaded. A single record whose routing key
     * falls in the canary share is answered by the candidate, and the primary becomes its shadow.
     */
    private <M extends ServableModel> Admitted<M> admit(ModelSlot<M> slot, Source source, int records, String routingKey) {
        ModelSnapshot snapshot = models.snapshot();
        LoadedModel<M> model = snapshot.get(slot).orElse(null);
        if (model == null) {
            metrics.count(slot.conventionalName(), PredictionMetrics.NO_VERSION, source, Outcome.UNAVAILABLE, Math.max(records, 1));
            throw new ModelUnavailableException(slot.conventionalName());
        }
        LoadedModel<M> candidate = snapshot.shadow(slot).orElse(null);
        if (candidate == null) {
            return new Admitted<>(model, null, false);
        }
        return records == 1 && routingKey != null && shadow.canary(slot, routingKey)
                ? new Admitted<>(candidate, model, true) : new Admitted<>(model, candidate, false);
    }

    /** The shadow to compare a pinned model with: the slot's candidate, unless it is that very version. */
    private <M extends ServableModel> LoadedModel<M> shadowOf(ModelSlot<M> slot, LoadedModel<M> pinned) {
        return models.snapshot().shadow(slot).filter(s -> !s.version().equals(pinned.version())).orElse(null);
    }

    private <M extends ServableModel, P> P prepared(LoadedModel<M> model, Source source, int records,
                                                    Function<LoadedModel<M>, P> prepare) {
        try {
            return prepare.apply(model);
        } catch (InvalidInputException e) {
            Outcome outcome = e instanceof UnknownProductInputException ? Outcome.UNKNOWN_PRODUCT : Outcome.INVALID_INPUT;
            metrics.count(model.name(), model.version(), source, outcome, Math.max(records, 1));
            throw e;
        }
    }
}
