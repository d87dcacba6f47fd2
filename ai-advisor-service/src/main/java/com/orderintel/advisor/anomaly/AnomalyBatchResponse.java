package com.orderintel.advisor.anomaly;

import java.util.List;

/** Scores in request order. */
public record AnomalyBatchResponse(List<AnomalyResponse> predictions) { }
