-- Order notes and reviews enriched as model features (sentiment, category) by ai-advisor-service in its capture
-- path, asynchronously after scoring. One row per scored prediction that carried a note; joined to scored_orders by
-- prediction_id (no foreign key: the two writers are independent and either row may land first). The note text is
-- not kept (it may hold personal data), only its sha256 and length. What made the features is recorded per row:
-- the provider's model or the offline rules' version, and the pinned prompt version that defines them.
CREATE TABLE order_note_enrichments (
    prediction_id   text        PRIMARY KEY,
    order_id        text,
    source          text        NOT NULL CHECK (source IN ('rest', 'oip', 'event', 'batch')),
    note_sha256     text        NOT NULL,
    note_chars      integer     NOT NULL,
    sentiment       text        NOT NULL CHECK (sentiment IN ('negative', 'neutral', 'positive')),
    category        text        NOT NULL CHECK (category IN ('delivery', 'payment', 'return', 'product', 'fraud', 'other')),
    feature_source  text        NOT NULL CHECK (feature_source IN ('provider', 'fallback')),
    model           text        NOT NULL,
    prompt_name     text,
    prompt_version  text,
    prompt_sha256   text,
    instance        text        NOT NULL,
    enriched_at     timestamptz NOT NULL
);
CREATE INDEX order_note_enrichments_at ON order_note_enrichments (enriched_at);
CREATE INDEX order_note_enrichments_order ON order_note_enrichments (order_id);
