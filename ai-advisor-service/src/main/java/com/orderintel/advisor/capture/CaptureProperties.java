package com.orderintel.advisor.capture;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code advisor.capture.*}: every scored record goes to PostgreSQL (needs {@code spring.datasource.url}) unless
 * switched off. Records wait in a bounded in-memory buffer and are written in batches by one background writer;
 * when the buffer is full (the database is away or too slow) new records are dropped and counted, never blocking
 * a request.
 *
 * @param enabled        capture on (the default when a database is configured)
 * @param bufferCapacity records the buffer holds before dropping
 * @param batchSize      records per COPY batch (one transaction)
 * @param flushInterval  longest a record waits before its batch is written
 * @param retryBackoff   wait after a failed write before the same batch is tried again
 */
@ConfigurationProperties("advisor.capture")
public record CaptureProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("100000") int bufferCapacity,
        @DefaultValue("1000") int batchSize,
        @DefaultValue("200ms") Duration flushInterval,
        @DefaultValue("2s") Duration retryBackoff) {

    public CaptureProperties {
        if (bufferCapacity < 1 || batchSize < 1) {
            throw new IllegalArgumentException("advisor.capture.buffer-capacity and batch-size must be at least 1");
        }
    }
}
