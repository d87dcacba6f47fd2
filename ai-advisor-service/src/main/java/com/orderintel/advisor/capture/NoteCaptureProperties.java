package com.orderintel.advisor.capture;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code advisor.capture.notes.*}: order notes are enriched by one background worker, never on the request thread.
 * Notes wait in a bounded buffer; when it is full (provider slow, database away) new notes are dropped and counted.
 *
 * @param enabled        enrich and store notes (on by default whenever capture is on)
 * @param bufferCapacity notes the buffer holds before dropping
 * @param batchSize      enrichments per INSERT batch
 * @param retryBackoff   wait after a failed write before the batch is tried again (up to {@code maxWriteAttempts})
 */
@ConfigurationProperties("advisor.capture.notes")
public record NoteCaptureProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("10000") int bufferCapacity,
        @DefaultValue("100") int batchSize,
        @DefaultValue("2s") Duration retryBackoff,
        @DefaultValue("5") int maxWriteAttempts) {

    public NoteCaptureProperties {
        if (bufferCapacity < 1 || batchSize < 1 || maxWriteAttempts < 1) {
            throw new IllegalArgumentException("advisor.capture.notes.buffer-capacity, batch-size and max-write-attempts "
                    + "must be at least 1");
        }
    }
}
