package com.orderintel.advisor.model;

import com.orderintel.anomaly.AnomalyDetector;
import com.orderintel.forecast.DemandForecaster;

import java.util.Optional;

/**
 * The models this instance serves right now. Swapped atomically on reload, so a caller that takes a model
 * once per request sees one consistent version for the whole request.
 */
public interface ActiveModels {
    Optional<DemandForecaster> demand();

    Optional<AnomalyDetector> anomaly();
}
