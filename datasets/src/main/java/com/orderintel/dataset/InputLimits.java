package com.orderintel.dataset;

import java.util.function.UnaryOperator;

/**
 * Upper bounds on what reading one training or scoring file may allocate, checked before the allocation: CSV
 * fields per record, characters per field (FastCSV's own limit, its buffer size) and per record; for Parquet, the bytes its
 * footer declares (column chunks, compressed and uncompressed) and its rows, checked against the file's real length
 * and these limits before any chunk is read. A file past a limit is refused with its name, the line (CSV) and the
 * setting that bounds it.
 *
 * <p>From the environment (or same-named system properties, which win): {@code DATASET_CSV_MAX_FIELDS} (default
 * 1,024; our tables have at most 8 columns), {@code DATASET_CSV_MAX_FIELD_CHARS} (65,536; a power of two from 8,192,
 * as FastCSV's buffer doubles from 8,192 and fails on a maximum between two steps; ids are at most
 * {@link CsvRows#MAX_TEXT_LENGTH} characters), {@code DATASET_CSV_MAX_RECORD_CHARS} (1,048,576),
 * {@code DATASET_PARQUET_MAX_BYTES}
 * (uncompressed column data of one file, 1 GiB) and {@code DATASET_PARQUET_MAX_ROWS} (50,000,000).
 */
public record InputLimits(int csvMaxFields, int csvMaxFieldChars, int csvMaxRecordChars, long parquetMaxBytes,
                          long parquetMaxRows) {

    public static final InputLimits DEFAULT = new InputLimits(1024, 1 << 16, 1 << 20, 1L << 30, 50_000_000L);

    /** FastCSV's buffer starts at 8,192 chars and doubles: its maximum must be one of those steps. */
    static final int MIN_FIELD_CHARS = 8192;

    public InputLimits {
        if (csvMaxFields < 1 || csvMaxFieldChars < MIN_FIELD_CHARS || Integer.bitCount(csvMaxFieldChars) != 1
                || csvMaxRecordChars < 1 || parquetMaxBytes < 1 || parquetMaxRows < 1) {
            throw new IllegalArgumentException("input limits must be positive (CSV field chars a power of two from "
                    + MIN_FIELD_CHARS + "): " + csvMaxFields + ", " + csvMaxFieldChars + ", " + csvMaxRecordChars + ", "
                    + parquetMaxBytes + ", " + parquetMaxRows);
        }
    }

    public static InputLimits fromEnvironment() {
        return fromLookup(name -> {
            String v = System.getProperty(name);
            return v != null ? v : System.getenv(name);
        });
    }

    static InputLimits fromLookup(UnaryOperator<String> lookup) {
        long fieldChars = number(lookup, "DATASET_CSV_MAX_FIELD_CHARS", DEFAULT.csvMaxFieldChars(), MIN_FIELD_CHARS, 1 << 30);
        if (Long.bitCount(fieldChars) != 1) {
            throw new DataException("DATASET_CSV_MAX_FIELD_CHARS must be a power of two (8192, 16384, 32768, 65536 ...), not "
                    + fieldChars);
        }
        return new InputLimits(
                (int) number(lookup, "DATASET_CSV_MAX_FIELDS", DEFAULT.csvMaxFields(), 1, Integer.MAX_VALUE),
                (int) fieldChars,
                (int) number(lookup, "DATASET_CSV_MAX_RECORD_CHARS", DEFAULT.csvMaxRecordChars(), 1, Integer.MAX_VALUE - 8),
                number(lookup, "DATASET_PARQUET_MAX_BYTES", DEFAULT.parquetMaxBytes(), 1, Long.MAX_VALUE),
                number(lookup, "DATASET_PARQUET_MAX_ROWS", DEFAULT.parquetMaxRows(), 1, Long.MAX_VALUE));
    }

    private static long number(UnaryOperator<String> lookup, String name, long fallback, long min, long max) {
        String v = lookup.apply(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.strip().replace("_", ""));
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new DataException(name + " must be a number from " + min + " to " + max + ", not '" + Excerpt.of(v.strip()) + "'");
    }
}
