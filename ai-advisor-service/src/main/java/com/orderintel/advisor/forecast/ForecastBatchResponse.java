package com.orderintel.advisor.forecast;

import java.util.List;

/** Predictions in request order. */
public record ForecastBatchResponse(List<ForecastResponse> predictions) { }
