package com.orderintel.advisor.model;

import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ServableModel;

import java.time.Instant;

/** One model that passed loading and validation, typed by its slot, with where it came from and when it was loaded. */
public record LoadedModel<M extends ServableModel>(ModelSlot<M> slot, String uri, M model, Instant loadedAt) {

    /** Types a validated model by the slot its manifest task names; the validator has checked the type. */
    static <M extends ServableModel> LoadedModel<M> of(ModelSlot<M> slot, String uri, ServableModel model, Instant loadedAt) {
        return new LoadedModel<>(slot, uri, slot.type().cast(model), loadedAt);
    }

    public ModelManifest manifest() {
        return model.manifest();
    }

    public String name() {
        return manifest().name();
    }

    public String version() {
        return manifest().version();
    }
}
