package com.orderintel.advisor.model;

import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ServableModel;

import java.time.Instant;

/** One model that passed loading and validation, with where it came from and when it was loaded. */
public record LoadedModel(ModelSlot slot, String uri, ServableModel model, Instant loadedAt) {

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
