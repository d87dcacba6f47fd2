package com.orderintel.advisor.model;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable view of the served models. A request reads the snapshot once, so a concurrent reload
 * (which installs a new snapshot) never changes the model in the middle of a request.
 */
public record ModelSnapshot(Map<ModelSlot, LoadedModel> models) {

    public static final ModelSnapshot EMPTY = new ModelSnapshot(Map.of());

    public ModelSnapshot {
        models = models.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(models));
    }

    public Optional<LoadedModel> get(ModelSlot slot) {
        return Optional.ofNullable(models.get(slot));
    }

    /** The model whose manifest name is {@code name}, if it is served. */
    public Optional<LoadedModel> byName(String name) {
        return models.values().stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** All served models in slot order. */
    public List<LoadedModel> all() {
        List<LoadedModel> out = new ArrayList<>();
        for (ModelSlot slot : ModelSlot.values()) {
            LoadedModel m = models.get(slot);
            if (m != null) {
                out.add(m);
            }
        }
        return out;
    }

    /** This snapshot with the given models replacing those in their slots. */
    public ModelSnapshot with(List<LoadedModel> replacements) {
        EnumMap<ModelSlot, LoadedModel> next = new EnumMap<>(ModelSlot.class);
        next.putAll(models);
        replacements.forEach(m -> next.put(m.slot(), m));
        return new ModelSnapshot(next);
    }
}
