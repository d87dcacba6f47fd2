package com.orderintel.advisor.serving;

/**
 * Where an entry point hands the optional note or review of an order it scored, to be enriched (sentiment,
 * category) and stored with the capture. Must never block or fail the request: implementations queue, bounded.
 */
public interface NoteCapture {

    /** @param note the customer's text; null or blank means none and is ignored */
    void note(Source source, String predictionId, String orderId, String note);

    /** No database, capture off, or note enrichment off. */
    NoteCapture OFF = (source, predictionId, orderId, note) -> { };
}
