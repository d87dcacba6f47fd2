package com.orderintel.advisor.serving;

import java.util.Locale;

/** How a prediction request ended, the {@code outcome} label of {@code advisor_predictions_total}. */
public enum Outcome {
    OK, INVALID_INPUT, UNKNOWN_PRODUCT, UNAVAILABLE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
