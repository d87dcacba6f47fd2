package com.orderintel.advisor.serving;

import com.orderintel.advisor.feedback.PredictionLog;
import com.orderintel.advisor.metrics.DriftMonitor;
import com.orderintel.advisor.model.LoadedModel;
import com.orderintel.advisor.model.ModelSlot;
import com.orderintel.anomaly.AnomalyDetector;
import com.orderintel.anomaly.AnomalyExplanation;
import com.orderintel.anomaly.AnomalyResult;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.forecast.DemandForecaster;
import com.orderintel.forecast.DemandQuery;
import com.orderintel.forecast.ForecastExplanation;
import com.orderintel.registry.ServableModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one of the service's tasks knows about its input, output and evaluation (Tribuo's notion of a task): its
 * model slot, how a model scores a list of inputs, the key a prediction is logged under, what feeds the drift
 * windows and rate metrics, which capture table takes its records, how the shadow comparison reads two models'
 * outputs, and how a prediction is explained. Anomaly scoring and demand forecasting are the two instances; admission,
 * canary routing, counting, logging, capture and the shadow hand-off are written once, in {@link ServingPipeline} and
 * the shadow worker.
 *
 * @param <M> the model type served in the slot
 * @param <I> one input record
 * @param <O> one output
 * @param <E> one explanation
 */
public abstract sealed class ServingTask<M extends ServableModel, I, O, E> permits ServingTask.Anomaly, ServingTask.Demand {

    /** Batches at least this large are scored on every core by a task that scores in parallel. */
    static final int PARALLEL_THRESHOLD = 256;

    public static final Anomaly ANOMALY = new Anomaly();
    public static final Demand DEMAND = new Demand();

    private final ModelSlot<M> slot;

    private ServingTask(ModelSlot<M> slot) {
        this.slot = slot;
    }

    public ModelSlot<M> slot() {
        return slot;
    }

    /** The model's outputs for {@code inputs}, in order (one thread). */
    public abstract List<O> score(M model, List<I> inputs);

    /** Whether a large batch is worth splitting over every core (each row walks every tree). Default: no. */
    boolean parallel() {
        return false;
    }

    /** Logs one prediction for feedback; returns its prediction id. */
    abstract String log(PredictionLog log, LoadedModel<M> model, I input, O output, boolean trusted);

    /** Logs a batch's predictions for feedback in one go; their prediction ids in order. */
    abstract List<String> logAll(PredictionLog log, LoadedModel<M> model, List<I> inputs, List<O> outputs, boolean trusted);

    /** Feeds drift (and the task's own rate metrics) with what the served model scored. */
    abstract void observe(PredictionMetrics metrics, DriftMonitor drift, LoadedModel<M> model, Source source, List<I> inputs,
                          List<O> outputs);

    /** Hands the answered records to capture; {@code imputed} per record (empty lists when none). */
    abstract void capture(PredictionCapture capture, Source source, boolean trusted, LoadedModel<M> model, List<I> inputs,
                          List<O> outputs, List<String> ids, List<List<String>> imputed);

    /** Hands the other model's outputs for the same records to capture (shadow scoring). */
    public abstract void captureShadow(PredictionCapture capture, LoadedModel<M> model, List<String> ids, List<O> outputs);

    /**
     * Whether an output carries a decision (the anomaly flag): the shadow comparison then reports the share of equal
     * decisions and the correlation of {@link #compared} values; otherwise the mean absolute difference of them.
     */
    public boolean decides() {
        return false;
    }

    /** The number the shadow comparison pairs: the anomaly score, the forecast. */
    public abstract double compared(O output);

    /** Whether two outputs decide the same (always, for a task that does not decide). */
    public boolean sameDecision(O primary, O candidate) {
        return true;
    }

    abstract E explain(M model, I input);

    /** Order anomaly scoring. */
    public static final class Anomaly extends ServingTask<AnomalyDetector, OrderMetrics, AnomalyResult, AnomalyExplanation> {
        private Anomaly() {
            super(ModelSlot.ANOMALY);
        }

        @Override
        public List<AnomalyResult> score(AnomalyDetector model, List<OrderMetrics> inputs) {
            return inputs.size() == 1 ? List.of(model.score(inputs.getFirst())) : model.scoreBatch(inputs);
        }

        @Override
        boolean parallel() {
            return true;
        }

        @Override
        String log(PredictionLog log, LoadedModel<AnomalyDetector> model, OrderMetrics input, AnomalyResult output, boolean trusted) {
            return log.anomaly(model.name(), model.version(), input.orderId(), output.anomalous(), output.score(), trusted);
        }

        @Override
        List<String> logAll(PredictionLog log, LoadedModel<AnomalyDetector> model, List<OrderMetrics> inputs,
                            List<AnomalyResult> outputs, boolean trusted) {
            return log.anomalies(model.name(), model.version(), inputs.size(), i -> inputs.get(i).orderId(),
                    i -> outputs.get(i).anomalous(), i -> outputs.get(i).score(), trusted);
        }

        @Override
        void observe(PredictionMetrics metrics, DriftMonitor drift, LoadedModel<AnomalyDetector> model, Source source,
                     List<OrderMetrics> inputs, List<AnomalyResult> outputs) {
            metrics.flagged(model.name(), model.version(), source, (int) outputs.stream().filter(AnomalyResult::anomalous).count());
            drift.recordAnomalies(model, inputs, outputs);
        }

        @Override
        void capture(PredictionCapture capture, Source source, boolean trusted, LoadedModel<AnomalyDetector> model,
                     List<OrderMetrics> inputs, List<AnomalyResult> outputs, List<String> ids, List<List<String>> imputed) {
            capture.orders(source, trusted, model, inputs, outputs, ids, imputed);
        }

        @Override
        public void captureShadow(PredictionCapture capture, LoadedModel<AnomalyDetector> model, List<String> ids,
                           List<AnomalyResult> outputs) {
            capture.shadowOrders(model, ids, outputs);
        }

        @Override
        public boolean decides() {
            return true;
        }

        @Override
        public double compared(AnomalyResult output) {
            return output.score();
        }

        @Override
        public boolean sameDecision(AnomalyResult primary, AnomalyResult candidate) {
            return primary.anomalous() == candidate.anomalous();
        }

        @Override
        AnomalyExplanation explain(AnomalyDetector model, OrderMetrics input) {
            return model.explain(input);
        }
    }

    /** Demand forecasting per product and day. */
    public static final class Demand extends ServingTask<DemandForecaster, DemandQuery, Double, ForecastExplanation> {
        private Demand() {
            super(ModelSlot.DEMAND);
        }

        @Override
        public List<Double> score(DemandForecaster model, List<DemandQuery> inputs) {
            return Arrays.stream(model.predictBatch(inputs)).boxed().toList();
        }

        @Override
        String log(PredictionLog log, LoadedModel<DemandForecaster> model, DemandQuery input, Double output, boolean trusted) {
            return log.demand(model.name(), model.version(), PredictionLog.demandKey(input.productId(), input.date()), output, trusted);
        }

        @Override
        List<String> logAll(PredictionLog log, LoadedModel<DemandForecaster> model, List<DemandQuery> inputs,
                            List<Double> outputs, boolean trusted) {
            return log.demands(model.name(), model.version(), inputs.size(),
                    i -> PredictionLog.demandKey(inputs.get(i).productId(), inputs.get(i).date()), outputs::get, trusted);
        }

        @Override
        void observe(PredictionMetrics metrics, DriftMonitor drift, LoadedModel<DemandForecaster> model, Source source,
                     List<DemandQuery> inputs, List<Double> outputs) {
            drift.recordDemand(model, inputs);
        }

        @Override
        void capture(PredictionCapture capture, Source source, boolean trusted, LoadedModel<DemandForecaster> model,
                     List<DemandQuery> inputs, List<Double> outputs, List<String> ids, List<List<String>> imputed) {
            capture.forecasts(source, trusted, model, inputs, outputs, ids);
        }

        @Override
        public void captureShadow(PredictionCapture capture, LoadedModel<DemandForecaster> model, List<String> ids, List<Double> outputs) {
            capture.shadowForecasts(model, ids, outputs);
        }

        @Override
        public double compared(Double output) {
            return output;
        }

        @Override
        ForecastExplanation explain(DemandForecaster model, DemandQuery input) {
            return model.explain(input);
        }
    }

    /** Large batches of a parallel task: one chunk per core on the common fork-join pool; outputs keep the input order. */
    List<O> scoreAll(M model, List<I> inputs) {
        int cores = Runtime.getRuntime().availableProcessors();
        if (!parallel() || inputs.size() < PARALLEL_THRESHOLD || cores < 2) {
            return score(model, inputs);
        }
        int chunk = (inputs.size() + cores - 1) / cores;
        List<List<I>> chunks = new ArrayList<>();
        for (int from = 0; from < inputs.size(); from += chunk) {
            chunks.add(inputs.subList(from, Math.min(inputs.size(), from + chunk)));
        }
        return chunks.parallelStream().map(c -> score(model, c)).flatMap(List::stream).toList();
    }

    /** Explanations of scored records by the model that scored them (a parallel task explains large batches on every core). */
    List<E> explainAll(M model, List<I> inputs) {
        return (parallel() && inputs.size() >= PARALLEL_THRESHOLD ? inputs.parallelStream() : inputs.stream())
                .map(i -> explain(model, i)).toList();
    }
}
