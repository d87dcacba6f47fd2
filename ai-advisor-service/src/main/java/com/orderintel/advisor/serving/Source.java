package com.orderintel.advisor.serving;

import java.util.Locale;

/** The entry point a prediction came through, the {@code source} label of the prediction metrics. */
public enum Source {
    REST, OIP, GRPC, EVENT, BATCH;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
