package com.orderintel.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.yaml} of one dataset snapshot ({@code datasets/<name>/<snapshotId>/}): what was exported, from
 * which time range with which query, each file's rows and sha256, label coverage and the quality checks it passed.
 * Written last, after every data file, so a snapshot with a manifest is complete.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SnapshotManifest(int schemaVersion, String name, String snapshotId, Instant createdAt, Instant since,
                               Instant until, String previousSnapshot, Map<String, Part> parts) {

    public static final int SCHEMA_VERSION = 1;
    public static final String FILE_NAME = "manifest.yaml";
    public static final String ORDERS = "orders";
    public static final String DEMAND = "demand";
    /** Optional part: the note features (sentiment, category) of captured orders and the prompt versions behind them. */
    public static final String NOTES = "notes";

    /**
     * One training set of the snapshot ({@code orders} or {@code demand}). {@code skipped} says why a part has no
     * files (e.g. too few labelled rows); {@code labels} holds coverage and balance; {@code drift} the PSI of each
     * feature against the previous snapshot's part; {@code conflicts} what the first-trusted-capture rule resolved
     * (keys captured by trusted sources with different features, with an example; keys also scored anonymously).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Part(long rows, List<FileEntry> files, String query, Map<String, Object> labels,
                       Map<String, Long> excluded, Map<String, Double> drift, String skipped, Map<String, Object> conflicts) {

        public Part(long rows, List<FileEntry> files, String query, Map<String, Object> labels, Map<String, Long> excluded,
                    Map<String, Double> drift, String skipped) {
            this(rows, files, query, labels, excluded, drift, skipped, null);
        }

        /** The file of this part in a format ({@code csv} or {@code parquet}), or null. */
        public FileEntry file(String format) {
            return files == null ? null : files.stream().filter(f -> f.format().equals(format)).findFirst().orElse(null);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FileEntry(String file, String format, long rows, long bytes, String sha256) { }

    public Part part(String partName) {
        Part p = parts == null ? null : parts.get(partName);
        return p == null || p.files() == null || p.files().isEmpty() ? null : p;
    }
}
