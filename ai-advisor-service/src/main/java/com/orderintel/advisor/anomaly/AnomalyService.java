package com.orderintel.advisor.anomaly;

import com.orderintel.advisor.model.LoadedModel;
import com.orderintel.advisor.model.ModelRef;
import com.orderintel.advisor.serving.NoteCapture;
import com.orderintel.advisor.serving.Scored;
import com.orderintel.advisor.serving.ServingPipeline;
import com.orderintel.advisor.serving.ServingTask;
import com.orderintel.advisor.serving.Source;
import com.orderintel.advisor.serving.TaskService;
import com.orderintel.advisor.web.RequestValidation;
import com.orderintel.anomaly.AnomalyDetector;
import com.orderintel.anomaly.AnomalyExplanation;
import com.orderintel.anomaly.AnomalyResult;
import com.orderintel.anomaly.OrderMetrics;
import org.springframework.stereotype.Service;

/** Order anomaly requests (REST and Open Inference Protocol) in and out of the serving pipeline. */
@Service
public class AnomalyService
        extends TaskService<AnomalyDetector, AnomalyRequest, OrderMetrics, AnomalyResult, AnomalyExplanation, AnomalyResponse> {

    private final NoteCapture notes;

    public AnomalyService(ServingPipeline pipeline, RequestValidation validation, NoteCapture notes) {
        super(ServingTask.ANOMALY, pipeline, validation);
        this.notes = notes;
    }

    @Override
    protected String routingKey(AnomalyRequest request) {
        return request.orderId();
    }

    @Override
    protected OrderMetrics input(LoadedModel<AnomalyDetector> model, AnomalyRequest request, String prefix) {
        return request.toMetrics(pipeline.anomalyReadsNotes());
    }

    @Override
    protected void scored(Source source, AnomalyRequest request, String predictionId) {
        notes.note(source, predictionId, request.orderId(), request.note());
    }

    @Override
    protected AnomalyResponse response(Scored<OrderMetrics, AnomalyResult> s, int i, AnomalyExplanation explanation) {
        AnomalyResult r = s.results().get(i);
        return new AnomalyResponse(s.inputs().get(i).orderId(), r.anomalous(), r.score(), r.approxProbability(),
                ModelRef.of(s.model()), s.predictionIds().get(i), explanation);
    }
}
