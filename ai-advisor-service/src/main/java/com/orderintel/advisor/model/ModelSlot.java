package com.orderintel.advisor.model;

import com.orderintel.anomaly.AnomalyDetector;
import com.orderintel.forecast.DemandForecaster;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ServableModel;

/** The two kinds of model this service can serve; a manifest's task decides which slot a model fills. */
public enum ModelSlot {
    DEMAND(ModelManifest.Task.REGRESSION, DemandForecaster.class, "demand-forecast"),
    ANOMALY(ModelManifest.Task.ANOMALY, AnomalyDetector.class, "order-anomaly");

    private final ModelManifest.Task task;
    private final Class<? extends ServableModel> type;
    private final String conventionalName;

    ModelSlot(ModelManifest.Task task, Class<? extends ServableModel> type, String conventionalName) {
        this.task = task;
        this.type = type;
        this.conventionalName = conventionalName;
    }

    /** The platform's name for this kind of model, used in metrics when no model is loaded. */
    public String conventionalName() {
        return conventionalName;
    }

    public ModelManifest.Task task() {
        return task;
    }

    public Class<? extends ServableModel> type() {
        return type;
    }

    public static ModelSlot forTask(ModelManifest.Task task) {
        for (ModelSlot slot : values()) {
            if (slot.task == task) {
                return slot;
            }
        }
        throw new IllegalArgumentException("no slot for task " + task);
    }

    /** Lower-case label used in metrics and JSON. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
