package com.orderintel.advisor.forecast;

import java.util.List;

public record ForecastBatchRequest(List<ForecastRequest> items) { }
