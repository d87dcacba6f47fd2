package com.orderintel.advisor.model;

/** Published after a new snapshot is installed (initial load or reload), so metrics can rebind to it. */
public record ModelsSwappedEvent(ModelSnapshot previous, ModelSnapshot current) { }
