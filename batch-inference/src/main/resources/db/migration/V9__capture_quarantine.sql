-- Captured records PostgreSQL refused (SQLSTATE class 22 data exception, 23 constraint violation or 54 program
-- limit, e.g. a NUL byte, a date out of range, a key too large for its index), set aside by ai-advisor-service's
-- capture writer so one such record never blocks the records around it: the batch is split until the refused record
-- is alone, the others are written and this one lands here with the database's reason. record is the record as text
-- with every character PostgreSQL cannot store written as \uXXXX, at most 4000 characters of it.
CREATE TABLE capture_quarantine (
    id             bigserial   PRIMARY KEY,
    target_table   text        NOT NULL,
    prediction_id  text,
    sqlstate       text        NOT NULL,
    reason         text        NOT NULL,
    record         text        NOT NULL,
    instance       text        NOT NULL,
    quarantined_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX capture_quarantine_at ON capture_quarantine (quarantined_at);
