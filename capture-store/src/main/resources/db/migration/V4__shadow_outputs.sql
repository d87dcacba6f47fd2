-- Shadow scoring (issue 18): the other model's output for a captured prediction, under the SAME prediction id as
-- the scored_orders / demand_forecasts row of the model that answered. Normally the other model is the candidate
-- (MODEL_URI_*_SHADOW); for a canary record the candidate answered and the row here is the primary's. The model
-- version tells which. No foreign key: rows are written by the same asynchronous capture, and a dropped primary row
-- must not make the shadow row fail. Read by `training-runner promote --require-shadow` (live evidence).
CREATE TABLE shadow_orders (
    prediction_id      text             PRIMARY KEY,
    model_name         text             NOT NULL,
    model_version      text             NOT NULL,
    is_anomaly         boolean          NOT NULL,
    anomaly_score      double precision NOT NULL,
    instance           text             NOT NULL,
    scored_at          timestamptz      NOT NULL
);
CREATE INDEX shadow_orders_model ON shadow_orders (model_name, model_version, scored_at);

CREATE TABLE shadow_forecasts (
    prediction_id      text             PRIMARY KEY,
    model_name         text             NOT NULL,
    model_version      text             NOT NULL,
    predicted_demand   double precision NOT NULL,
    instance           text             NOT NULL,
    scored_at          timestamptz      NOT NULL
);
CREATE INDEX shadow_forecasts_model ON shadow_forecasts (model_name, model_version, scored_at);

-- the canary direction of the evidence query finds the candidate's rows in scored_orders by version
CREATE INDEX scored_orders_model_version ON scored_orders (model_name, model_version);
CREATE INDEX demand_forecasts_model_version ON demand_forecasts (model_name, model_version);
