package com.orderintel.registry;

/**
 * A model in its serving form, decoded from artifact bytes by a {@link ModelCodec}. It carries its own
 * manifest (provenance), as Tribuo models carry theirs.
 */
public interface ServableModel {
    ModelManifest manifest();
}
