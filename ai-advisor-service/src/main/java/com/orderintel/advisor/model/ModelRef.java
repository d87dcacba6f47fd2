package com.orderintel.advisor.model;

/** The model that answered: name and version, in every prediction response and alert. */
public record ModelRef(String name, String version) {
    public static ModelRef of(LoadedModel<?> m) {
        return new ModelRef(m.name(), m.version());
    }
}
