-- Bulk prediction rows no longer carry a foreign key to inference_runs. The key's check is one trigger call and a
-- key-share lock per inserted row: measured on PostgreSQL 15 here, it doubled the INSERT ... SELECT of a 20,000-row
-- chunk (136-160 ms with it, 59-90 ms without), and that insert is the batch's bottleneck. The only writer is
-- com.orderintel.batch.BatchInference, which inserts the run before any of its rows, in the same database, and
-- never deletes runs; inference_rejects (few rows) keeps its key.
ALTER TABLE order_anomalies DROP CONSTRAINT IF EXISTS order_anomalies_run_id_fkey;
ALTER TABLE order_forecasts DROP CONSTRAINT IF EXISTS order_forecasts_run_id_fkey;
