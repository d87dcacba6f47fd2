-- The MLOps loop's store, shared by every replica: what the service scored (any entry point) and what later
-- turned out to be true. Written by ai-advisor-service (capture is asynchronous and batched), read by
-- `training-runner dataset export` to build labelled training sets.
CREATE TABLE scored_orders (
    prediction_id      text             PRIMARY KEY,
    order_id           text,
    source             text             NOT NULL CHECK (source IN ('rest', 'oip', 'event', 'batch')),
    model_name         text             NOT NULL,
    model_version      text             NOT NULL,
    avg_processing_ms  double precision NOT NULL,
    item_count         double precision NOT NULL,
    payment_score      double precision NOT NULL,
    imputed            text[]           NOT NULL DEFAULT '{}',
    is_anomaly         boolean          NOT NULL,
    anomaly_score      double precision NOT NULL,
    instance           text             NOT NULL,
    scored_at          timestamptz      NOT NULL
);
CREATE INDEX scored_orders_at ON scored_orders (scored_at);
CREATE INDEX scored_orders_order ON scored_orders (order_id);

CREATE TABLE demand_forecasts (
    prediction_id      text             PRIMARY KEY,
    source             text             NOT NULL CHECK (source IN ('rest', 'oip', 'event', 'batch')),
    model_name         text             NOT NULL,
    model_version      text             NOT NULL,
    product_id         text             NOT NULL,
    forecast_date      date             NOT NULL,
    avg_basket_value   double precision NOT NULL,
    promo_flag         smallint         NOT NULL,
    predicted_demand   double precision NOT NULL,
    instance           text             NOT NULL,
    scored_at          timestamptz      NOT NULL
);
CREATE INDEX demand_forecasts_at ON demand_forecasts (scored_at);
CREATE INDEX demand_forecasts_product_day ON demand_forecasts (product_id, forecast_date);

-- True outcomes. An anomaly label belongs to an order (order-service knows order ids) or, for a prediction made
-- without an order id, to that prediction: label_key is the order id, else the prediction id. A demand actual
-- belongs to a product and day. A later label for the same key replaces the earlier one.
CREATE TABLE order_labels (
    label_key          text             PRIMARY KEY,
    order_id           text,
    prediction_id      text,
    is_anomaly         boolean          NOT NULL,
    received_at        timestamptz      NOT NULL DEFAULT now()
);
CREATE INDEX order_labels_order ON order_labels (order_id);
CREATE INDEX order_labels_prediction ON order_labels (prediction_id);
CREATE INDEX order_labels_received ON order_labels (received_at);

CREATE TABLE demand_actuals (
    product_id         text             NOT NULL,
    forecast_date      date             NOT NULL,
    actual_demand      double precision NOT NULL,
    prediction_id      text,
    received_at        timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (product_id, forecast_date)
);
CREATE INDEX demand_actuals_received ON demand_actuals (received_at);
