-- Batch inference results and run history. Natural keys make re-runs upserts; inference_runs.last_line is
-- the resume point, committed in the same transaction as the chunk it ends.
CREATE TABLE inference_runs (
    run_id           text PRIMARY KEY,
    task             text        NOT NULL CHECK (task IN ('anomaly', 'demand')),
    model_name       text        NOT NULL,
    model_version    text        NOT NULL,
    model_commit     text,
    input            text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED')),
    rows_read        bigint      NOT NULL DEFAULT 0,
    rows_written     bigint      NOT NULL DEFAULT 0,
    rows_skipped     bigint      NOT NULL DEFAULT 0,
    chunks_committed integer     NOT NULL DEFAULT 0,
    last_line        bigint      NOT NULL DEFAULT 0,
    started_at       timestamptz NOT NULL,
    finished_at      timestamptz,
    error            text
);
CREATE INDEX inference_runs_started ON inference_runs (started_at DESC);

CREATE TABLE order_anomalies (
    run_id             text             NOT NULL REFERENCES inference_runs (run_id),
    order_id           text             NOT NULL,
    avg_processing_ms  double precision NOT NULL,
    item_count         double precision NOT NULL,
    payment_score      double precision NOT NULL,
    is_anomaly         boolean          NOT NULL,
    anomaly_score      double precision NOT NULL,
    approx_probability double precision NOT NULL,
    model_name         text             NOT NULL,
    model_version      text             NOT NULL,
    model_commit       text,
    scored_at          timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, order_id)
);

CREATE TABLE order_forecasts (
    run_id           text             NOT NULL REFERENCES inference_runs (run_id),
    product_id       text             NOT NULL,
    forecast_date    date             NOT NULL,
    avg_basket_value double precision NOT NULL,
    promo_flag       smallint         NOT NULL,
    predicted_demand double precision NOT NULL,
    model_name       text             NOT NULL,
    model_version    text             NOT NULL,
    model_commit     text,
    scored_at        timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, product_id, forecast_date)
);

CREATE TABLE inference_rejects (
    run_id text   NOT NULL REFERENCES inference_runs (run_id),
    line   bigint NOT NULL,
    reason text   NOT NULL,
    PRIMARY KEY (run_id, line)
);
