package com.orderintel.advisor.web;

import com.orderintel.advisor.metrics.Outcome;
import com.orderintel.advisor.metrics.PredictionMetrics;
import com.orderintel.advisor.model.LoadedModel;
import com.orderintel.advisor.model.ModelHolder;
import com.orderintel.advisor.model.ModelSlot;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * The common front of every prediction, REST or Open Inference Protocol: take the slot's current model once
 * (a reload in the middle of a request cannot mix two versions), validate the request, and count a refusal
 * under the model's name, as {@code INVALID_INPUT} (per record) or {@code UNAVAILABLE} (no model loaded).
 */
@Component
public class ServingGate {

    private final ModelHolder models;
    private final RequestValidation validation;
    private final PredictionMetrics metrics;

    public ServingGate(ModelHolder models, RequestValidation validation, PredictionMetrics metrics) {
        this.models = models;
        this.validation = validation;
        this.metrics = metrics;
    }

    /** The model to serve one validated request with; throws {@link InvalidInputException} or {@link ModelUnavailableException}. */
    public LoadedModel admit(ModelSlot slot, Object request) {
        return admit(slot, 1, () -> validation.check(request));
    }

    /** The same for a batch: the batch's size and every item are checked (fields named {@code items[i].…}). */
    public LoadedModel admitBatch(ModelSlot slot, List<?> items) {
        return admit(slot, items == null ? 0 : items.size(), () -> {
            validation.checkBatch(items);
            for (int i = 0; i < items.size(); i++) {
                validation.check(items.get(i), "items[" + i + "].");
            }
        });
    }

    private LoadedModel admit(ModelSlot slot, int records, Runnable validate) {
        LoadedModel model = models.snapshot().get(slot).orElse(null);
        try {
            validate.run();
        } catch (InvalidInputException e) {
            metrics.count(model == null ? slot.conventionalName() : model.name(), Outcome.INVALID_INPUT, Math.max(records, 1));
            throw e;
        }
        if (model == null) {
            metrics.count(slot.conventionalName(), Outcome.UNAVAILABLE, 1);
            throw new ModelUnavailableException(slot.conventionalName());
        }
        return model;
    }
}
