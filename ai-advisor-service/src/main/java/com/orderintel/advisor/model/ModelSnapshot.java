package com.orderintel.advisor.model;

import com.orderintel.registry.ServableModel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable view of the served models. A request reads the snapshot once, so a concurrent reload
 * (which installs a new snapshot) never changes the model in the middle of a request.
 */
public final class ModelSnapshot {

    public static final ModelSnapshot EMPTY = new ModelSnapshot(Map.of(), Map.of());

    private final Map<ModelSlot<?>, LoadedModel<?>> models;
    /** Candidates scored beside the served models (shadow) and serving the canary share, by slot. */
    private final Map<ModelSlot<?>, LoadedModel<?>> shadows;

    private ModelSnapshot(Map<ModelSlot<?>, LoadedModel<?>> models, Map<ModelSlot<?>, LoadedModel<?>> shadows) {
        this.models = Map.copyOf(models);
        this.shadows = Map.copyOf(shadows);
    }

    /** The model in {@code slot}; typed by the slot, which {@link #with} guarantees. */
    @SuppressWarnings("unchecked")
    public <M extends ServableModel> Optional<LoadedModel<M>> get(ModelSlot<M> slot) {
        return Optional.ofNullable((LoadedModel<M>) models.get(slot));
    }

    /** The model whose manifest name is {@code name}, if it is served. */
    public Optional<LoadedModel<?>> byName(String name) {
        return all().stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** All served models in slot order. */
    public List<LoadedModel<?>> all() {
        List<LoadedModel<?>> out = new ArrayList<>();
        for (ModelSlot<?> slot : ModelSlot.values()) {
            LoadedModel<?> m = models.get(slot);
            if (m != null) {
                out.add(m);
            }
        }
        return out;
    }

    /** This snapshot with the given models replacing those in their slots. */
    public ModelSnapshot with(List<LoadedModel<?>> replacements) {
        Map<ModelSlot<?>, LoadedModel<?>> next = new HashMap<>(models);
        replacements.forEach(m -> next.put(m.slot(), m));
        return new ModelSnapshot(next, shadows);
    }

    /**
     * The slot's shadow (candidate) model, only while it is another version than the served one: once a promote
     * has made them the same version there is nothing to compare.
     */
    @SuppressWarnings("unchecked")
    public <M extends ServableModel> Optional<LoadedModel<M>> shadow(ModelSlot<M> slot) {
        LoadedModel<M> s = (LoadedModel<M>) shadows.get(slot);
        LoadedModel<?> primary = models.get(slot);
        if (s == null || (primary != null && primary.version().equals(s.version()) && primary.name().equals(s.name()))) {
            return Optional.empty();
        }
        return Optional.of(s);
    }

    /** All loaded shadow models in slot order (also those currently equal to the served version). */
    public List<LoadedModel<?>> shadows() {
        List<LoadedModel<?>> out = new ArrayList<>();
        for (ModelSlot<?> slot : ModelSlot.values()) {
            LoadedModel<?> m = shadows.get(slot);
            if (m != null) {
                out.add(m);
            }
        }
        return out;
    }

    /** This snapshot with the given shadow models replacing those in their slots; the served models stay. */
    public ModelSnapshot withShadows(List<LoadedModel<?>> replacements) {
        Map<ModelSlot<?>, LoadedModel<?>> next = new HashMap<>(shadows);
        replacements.forEach(m -> next.put(m.slot(), m));
        return new ModelSnapshot(models, next);
    }
}
