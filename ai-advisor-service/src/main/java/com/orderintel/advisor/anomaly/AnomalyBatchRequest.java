package com.orderintel.advisor.anomaly;

import java.util.List;

public record AnomalyBatchRequest(List<AnomalyRequest> items) { }
