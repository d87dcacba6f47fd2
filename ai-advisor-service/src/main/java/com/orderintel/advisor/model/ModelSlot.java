package com.orderintel.advisor.model;

import com.orderintel.anomaly.AnomalyDetector;
import com.orderintel.forecast.DemandForecaster;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ServableModel;

import java.util.List;
import java.util.Locale;

/**
 * The two kinds of model this service serves, typed by their serving interface, so a slot's model needs no cast.
 * A manifest's task decides which slot a model fills.
 */
public final class ModelSlot<M extends ServableModel> {

    public static final ModelSlot<DemandForecaster> DEMAND =
            new ModelSlot<>("DEMAND", ModelManifest.Task.REGRESSION, DemandForecaster.class, "demand-forecast");
    public static final ModelSlot<AnomalyDetector> ANOMALY =
            new ModelSlot<>("ANOMALY", ModelManifest.Task.ANOMALY, AnomalyDetector.class, "order-anomaly");

    private static final List<ModelSlot<?>> VALUES = List.of(DEMAND, ANOMALY);

    private final String name;
    private final ModelManifest.Task task;
    private final Class<M> type;
    private final String conventionalName;

    private ModelSlot(String name, ModelManifest.Task task, Class<M> type, String conventionalName) {
        this.name = name;
        this.task = task;
        this.type = type;
        this.conventionalName = conventionalName;
    }

    /** Every slot, in a fixed order (demand, anomaly). */
    public static List<ModelSlot<?>> values() {
        return VALUES;
    }

    public static ModelSlot<?> forTask(ModelManifest.Task task) {
        return VALUES.stream().filter(s -> s.task == task).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no slot for task " + task));
    }

    /** The platform's name for this kind of model, used in metrics when no model is loaded. */
    public String conventionalName() {
        return conventionalName;
    }

    public ModelManifest.Task task() {
        return task;
    }

    public Class<M> type() {
        return type;
    }

    /** Lower-case label used in metrics and JSON. */
    public String label() {
        return name.toLowerCase(Locale.ROOT);
    }

    /** Position in {@link #values()}. */
    int ordinal() {
        return VALUES.indexOf(this);
    }

    @Override
    public String toString() {
        return name;
    }
}
