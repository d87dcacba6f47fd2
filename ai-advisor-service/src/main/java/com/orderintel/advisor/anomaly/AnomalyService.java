package com.orderintel.advisor.anomaly;

import com.orderintel.advisor.model.ModelRef;
import com.orderintel.advisor.serving.NoteCapture;
import com.orderintel.advisor.serving.Scored;
import com.orderintel.advisor.serving.ServingPipeline;
import com.orderintel.advisor.serving.Source;
import com.orderintel.advisor.web.RequestValidation;
import com.orderintel.anomaly.AnomalyExplanation;
import com.orderintel.anomaly.AnomalyResult;
import com.orderintel.anomaly.OrderMetrics;
import org.springframework.stereotype.Service;

import java.util.ArrayList;
import java.util.List;

/** Order anomaly requests (REST and Open Inference Protocol) in and out of the serving pipeline. */
@Service
public class AnomalyService {

    private final ServingPipeline pipeline;
    private final RequestValidation validation;
    private final NoteCapture notes;

    public AnomalyService(ServingPipeline pipeline, RequestValidation validation, NoteCapture notes) {
        this.pipeline = pipeline;
        this.validation = validation;
        this.notes = notes;
    }

    public AnomalyResponse score(Source source, AnomalyRequest request) {
        return score(source, request, false);
    }

    /** One order; with {@code explain}, the response carries each feature's attribution. */
    public AnomalyResponse score(Source source, AnomalyRequest request, boolean explain) {
        Scored<OrderMetrics, AnomalyResult> s = pipeline.scoreOrders(source, request == null ? null : request.orderId(), 1, model -> {
            validation.check(request);
            return List.of(request.toMetrics(pipeline.anomalyReadsNotes()));
        });
        notes.note(source, s.predictionIds().getFirst(), request.orderId(), request.note());
        return response(s, 0, explain ? pipeline.explainOrders(s) : null);
    }

    public List<AnomalyResponse> scoreBatch(Source source, List<AnomalyRequest> items) {
        return scoreBatch(source, items, false);
    }

    /** Orders in request order; with {@code explain}, each response carries each feature's attribution. */
    public List<AnomalyResponse> scoreBatch(Source source, List<AnomalyRequest> items, boolean explain) {
        // a one-record batch is routed by its order id like a single request (canary share)
        String routingKey = items != null && items.size() == 1 && items.getFirst() != null ? items.getFirst().orderId() : null;
        Scored<OrderMetrics, AnomalyResult> s = pipeline.scoreOrders(source, routingKey, items == null ? 0 : items.size(), model -> {
            validation.checkBatch(items);
            List<OrderMetrics> orders = new ArrayList<>(items.size());
            boolean notes = pipeline.anomalyReadsNotes();
            for (int i = 0; i < items.size(); i++) {
                validation.check(items.get(i), "items[" + i + "].");
                orders.add(items.get(i).toMetrics(notes));
            }
            return orders;
        });
        List<AnomalyExplanation> explanations = explain ? pipeline.explainOrders(s) : null;
        List<AnomalyResponse> out = new ArrayList<>(s.size());
        for (int i = 0; i < s.size(); i++) {
            notes.note(source, s.predictionIds().get(i), items.get(i).orderId(), items.get(i).note());
            out.add(response(s, i, explanations));
        }
        return out;
    }

    private static AnomalyResponse response(Scored<OrderMetrics, AnomalyResult> s, int i, List<AnomalyExplanation> explanations) {
        AnomalyResult r = s.results().get(i);
        return new AnomalyResponse(s.inputs().get(i).orderId(), r.anomalous(), r.score(), r.approxProbability(),
                ModelRef.of(s.model()), s.predictionIds().get(i), explanations == null ? null : explanations.get(i));
    }
}
