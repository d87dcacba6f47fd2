package com.orderintel.advisor.forecast;

import jakarta.validation.Valid;

import java.util.List;

public record ForecastBatchRequest(List<@Valid ForecastRequest> items) { }
