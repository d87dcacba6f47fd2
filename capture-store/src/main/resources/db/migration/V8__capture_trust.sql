-- Whether a captured scoring came from a trusted source: order events, batch runs, or a REST / OIP caller that
-- authenticated with a role. Anonymous REST / OIP scorings (public scoring) are kept for monitoring but are not
-- training rows, do not take labels and are not shadow evidence: anyone could otherwise re-score a real order id
-- with crafted features and steer what its label attaches to (docs/mlops-loop.md, "Which capture is the training
-- row"). Rows written before this column existed: events and batch runs are trusted, REST / OIP are not (who called
-- was not recorded). A writer that does not set the column writes an untrusted row.
ALTER TABLE scored_orders ADD COLUMN trusted boolean NOT NULL DEFAULT false;
ALTER TABLE demand_forecasts ADD COLUMN trusted boolean NOT NULL DEFAULT false;
UPDATE scored_orders SET trusted = true WHERE source IN ('event', 'batch');
UPDATE demand_forecasts SET trusted = true WHERE source IN ('event', 'batch');

-- the training row of an order / product-day is its first trusted capture; labels are looked up the same way
CREATE INDEX scored_orders_trusted_order ON scored_orders (order_id, scored_at) WHERE trusted;
CREATE INDEX demand_forecasts_trusted_day ON demand_forecasts (product_id, forecast_date, scored_at) WHERE trusted;
