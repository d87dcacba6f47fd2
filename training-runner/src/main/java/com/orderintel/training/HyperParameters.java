package com.orderintel.training;

import com.orderintel.dataset.DataException;

import java.util.Map;

/** Reads a manifest's hyper-parameters back into a trainer's options; a missing or non-numeric value is bad input. */
public final class HyperParameters {

    private HyperParameters() {
    }

    public static double number(Map<String, Object> hyper, String key) {
        if (!(hyper.get(key) instanceof Number n)) {
            throw new DataException("the manifest has no numeric hyper-parameter '" + key + "' (found " + hyper.keySet() + ")");
        }
        return n.doubleValue();
    }

    public static int integer(Map<String, Object> hyper, String key) {
        return (int) number(hyper, key);
    }
}
