package com.orderintel.forecast;

import java.time.LocalDate;

/** One demand-forecast request, as order-service sends it: date, product id, average basket value, promotion flag. */
public record DemandQuery(LocalDate date, String productId, double avgBasketValue, int promoFlag) { }
