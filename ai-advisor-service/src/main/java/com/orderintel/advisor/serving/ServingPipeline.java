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
import com.orderintel.anomaly.AnomalyExplanation;
import com.orderintel.anomaly.AnomalyResult;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.forecast.DemandForecaster;
import com.orderintel.forecast.DemandQuery;
import com.orderintel.forecast.ForecastExplanation;
import com.orderintel.registry.ServableModel;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Arrays;
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

    /** Batches at least this large are scored on every core (scoring dominates: each row walks every tree). */
    static final int PARALLEL_THRESHOLD = 256;

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
     * Scores orders with the anomaly model served now. {@code prepare} validates the entry point's records against
     * that model and returns the inputs (it may impute from the model's manifest); an {@link InvalidInputException}
     * from it is counted and rethrown.
     */
    public Scored<OrderMetrics, AnomalyResult> scoreOrders(Source source, int records,
                                                           Function<LoadedModel<AnomalyDetector>, List<OrderMetrics>> prepare) {
        return scoreOrders(source, null, records, prepare);
    }

    /**
     * As {@link #scoreOrders(Source, int, Function)}; a single record with a routing key (its order id) meets the
     * model the canary share assigns to that key, the same one every time.
     */
    public Scored<OrderMetrics, AnomalyResult> scoreOrders(Source source, String routingKey, int records,
                                                           Function<LoadedModel<AnomalyDetector>, List<OrderMetrics>> prepare) {
        Admitted<AnomalyDetector> a = admit(ModelSlot.ANOMALY, source, records, routingKey);
        return score(source, a, prepared(a.model(), source, records, prepare), null);
    }

    /** Scores one order whose entry point may impute features from the scoring model (order events). */
    public Scored<OrderMetrics, AnomalyResult> scoreOrder(Source source,
                                                          Function<LoadedModel<AnomalyDetector>, PreparedOrder> prepare) {
        return scoreOrder(source, null, prepare);
    }

    /** As {@link #scoreOrder(Source, Function)}, routed by the order id like {@link #scoreOrders(Source, String, int, Function)}. */
    public Scored<OrderMetrics, AnomalyResult> scoreOrder(Source source, String routingKey,
                                                          Function<LoadedModel<AnomalyDetector>, PreparedOrder> prepare) {
        Admitted<AnomalyDetector> a = admit(ModelSlot.ANOMALY, source, 1, routingKey);
        PreparedOrder p = prepared(a.model(), source, 1, prepare);
        return score(source, a, List.of(p.order()), List.of(p.imputed()));
    }

    /** Scores orders with a model pinned by the caller (a batch run keeps one version for all its chunks). */
    public Scored<OrderMetrics, AnomalyResult> scoreOrders(Source source, LoadedModel<AnomalyDetector> model,
                                                           List<OrderMetrics> orders) {
        return score(source, new Admitted<>(model, shadowOf(ModelSlot.ANOMALY, model), false), orders, null);
    }

    private Scored<OrderMetrics, AnomalyResult> score(Source source, Admitted<AnomalyDetector> admitted,
                                                      List<OrderMetrics> orders, List<List<String>> imputed) {
        LoadedModel<AnomalyDetector> model = admitted.model();
        List<AnomalyResult> results = orders.size() == 1 ? List.of(model.model().score(orders.getFirst()))
                : scoreInParallel(model.model(), orders);
        String name = model.name();
        boolean trusted = trust.trusted(source);
        metrics.count(name, model.version(), source, Outcome.OK, orders.size());
        int flagged = 0;
        List<String> ids = new ArrayList<>(orders.size());
        for (int i = 0; i < results.size(); i++) {
            AnomalyResult r = results.get(i);
            flagged += r.anomalous() ? 1 : 0;
            ids.add(predictions.anomaly(name, model.version(), orders.get(i).orderId(), r.anomalous(), r.score(), trusted));
        }
        metrics.flagged(name, model.version(), source, flagged);
        drift.recordAnomalies(model, orders, results);
        capture.orders(source, trusted, model, orders, results, ids, imputed != null ? imputed : noneImputed(orders.size()));
        if (admitted.other() != null) {
            shadow.orders(source, model, admitted.other(), admitted.canary(), orders, results, ids);
        }
        return new Scored<>(model, orders, results, ids);
    }

    /** Forecasts demand with the demand model served now; {@code prepare} as for {@link #scoreOrders}. */
    public Scored<DemandQuery, Double> forecast(Source source, int records,
                                                Function<LoadedModel<DemandForecaster>, List<DemandQuery>> prepare) {
        return forecast(source, null, records, prepare);
    }

    /** As {@link #forecast(Source, int, Function)}; a single record is routed by its key (the product id). */
    public Scored<DemandQuery, Double> forecast(Source source, String routingKey, int records,
                                                Function<LoadedModel<DemandForecaster>, List<DemandQuery>> prepare) {
        Admitted<DemandForecaster> a = admit(ModelSlot.DEMAND, source, records, routingKey);
        return forecast(source, a, prepared(a.model(), source, records, prepare));
    }

    /** Forecasts with a model pinned by the caller. */
    public Scored<DemandQuery, Double> forecast(Source source, LoadedModel<DemandForecaster> model, List<DemandQuery> queries) {
        return forecast(source, new Admitted<>(model, shadowOf(ModelSlot.DEMAND, model), false), queries);
    }

    private Scored<DemandQuery, Double> forecast(Source source, Admitted<DemandForecaster> admitted, List<DemandQuery> queries) {
        LoadedModel<DemandForecaster> model = admitted.model();
        double[] predicted = model.model().predictBatch(queries);
        String name = model.name();
        boolean trusted = trust.trusted(source);
        metrics.count(name, model.version(), source, Outcome.OK, queries.size());
        List<String> ids = new ArrayList<>(queries.size());
        for (int i = 0; i < predicted.length; i++) {
            ids.add(predictions.demand(name, model.version(), PredictionLog.demandKey(queries.get(i).productId(), queries.get(i).date()),
                    predicted[i], trusted));
        }
        drift.recordDemand(model, queries);
        List<Double> results = Arrays.stream(predicted).boxed().toList();
        capture.forecasts(source, trusted, model, queries, results, ids);
        if (admitted.other() != null) {
            shadow.forecasts(source, model, admitted.other(), admitted.canary(), queries, results, ids);
        }
        return new Scored<>(model, queries, results, ids);
    }

    /**
     * Per-feature explanations of scored orders, by the very model version that scored them (on request only: each
     * walks every tree once more).
     */
    public List<AnomalyExplanation> explainOrders(Scored<OrderMetrics, AnomalyResult> scored) {
        AnomalyDetector detector = (AnomalyDetector) scored.model().model();
        List<OrderMetrics> orders = scored.inputs();
        return (orders.size() < PARALLEL_THRESHOLD ? orders.stream() : orders.parallelStream()).map(detector::explain).toList();
    }

    /** Per-feature contributions of forecasts (base + contributions = the forecast), by the model that made them. */
    public List<ForecastExplanation> explainForecasts(Scored<DemandQuery, Double> scored) {
        DemandForecaster forecaster = (DemandForecaster) scored.model().model();
        return scored.inputs().stream().map(forecaster::explain).toList();
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

    private static List<List<String>> noneImputed(int n) {
        return java.util.Collections.nCopies(n, List.of());
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

    /** Large batches: one chunk per core on the common fork-join pool; results keep the input order. */
    static List<AnomalyResult> scoreInParallel(AnomalyDetector detector, List<OrderMetrics> orders) {
        int cores = Runtime.getRuntime().availableProcessors();
        if (orders.size() < PARALLEL_THRESHOLD || cores < 2) {
            return detector.scoreBatch(orders);
        }
        int chunk = (orders.size() + cores - 1) / cores;
        List<List<OrderMetrics>> chunks = new ArrayList<>();
        for (int from = 0; from < orders.size(); from += chunk) {
            chunks.add(orders.subList(from, Math.min(orders.size(), from + chunk)));
        }
        return chunks.parallelStream().map(detector::scoreBatch).flatMap(List::stream).toList();
    }
}
