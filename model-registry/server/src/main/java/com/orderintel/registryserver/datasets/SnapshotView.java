package com.orderintel.registryserver.datasets;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the console reads of a dataset snapshot's {@code manifest.yaml} (written by {@code training-runner dataset export},
 * docs/mlops-loop.md): a read-only view of the documented file, so this server needs no training code.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SnapshotView(String name, String snapshotId, Instant createdAt, Instant since, Instant until,
                           String previousSnapshot, Map<String, Part> parts) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Part(long rows, List<FileEntry> files, Map<String, Object> labels, Map<String, Double> drift, String skipped) { }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FileEntry(String file, String format, long rows, long bytes, String sha256) { }
}
