package com.orderintel.advisor.web;

import com.orderintel.advisor.model.LoadedModel;

/** The model that answered: name and version, in every prediction response. */
public record ModelRef(String name, String version) {
    public static ModelRef of(LoadedModel m) {
        return new ModelRef(m.name(), m.version());
    }
}
