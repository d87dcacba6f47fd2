package com.orderintel.dataset;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Streams a headed CSV file (RFC 4180, through FastCSV) and hands each data row to a consumer as a {@link Row}
 * whose typed getters report bad values with file, line and column. Rows are not kept in memory, so the batch
 * job can stream millions of them.
 *
 * <p>Why a callback handler instead of FastCSV's records: a record makes a String of every field, and a number
 * then goes through {@code Double.parseDouble}; here a field stays a slice of one reused buffer until a getter asks
 * for it, and a plain decimal is parsed from that slice by {@link Decimals} (bit-identical to
 * {@code Double.parseDouble}, which takes every other form). Parsing 100k training rows in a fresh JVM became about
 * three times faster than with Jackson CSV (docs/benchmarks.md).
 */
public final class CsvRows {

    /** Longest text value (ids, names) a row may carry; longer is a bad row. */
    public static final int MAX_TEXT_LENGTH = 1024;

    private CsvRows() {
    }

    /**
     * One data row: values by column, with the 1-based physical line number of the file. A row handed to a
     * {@link #forEach} consumer is valid only during that call (its buffer is reused for the next row).
     */
    public static final class Row {
        private final String file;
        private final Map<String, Integer> index;
        private long line;
        private char[] chars = new char[256];
        private int[] starts = new int[16];
        private int[] ends = new int[16];
        private int count;

        /** A row from another tabular source (e.g. a database table), with the same typed getters and errors. */
        public static Row of(String source, long line, Map<String, Integer> index, String[] values) {
            Row row = new Row(source, index);
            row.begin(line);
            for (String v : values) {
                String s = v == null ? "" : v;
                row.add(s.toCharArray(), 0, s.length());
            }
            return row;
        }

        Row(String file, Map<String, Integer> index) {
            this.file = file;
            this.index = index;
        }

        void begin(long line) {
            this.line = line;
            count = 0;
        }

        /** Appends a field (a copy: the parser's buffer moves on). */
        void add(char[] buf, int offset, int length) {
            if (count == starts.length) {
                starts = Arrays.copyOf(starts, count * 2);
                ends = Arrays.copyOf(ends, count * 2);
            }
            int from = count == 0 ? 0 : ends[count - 1];
            if (from + length > chars.length) {
                chars = Arrays.copyOf(chars, Math.max(chars.length * 2, from + length));
            }
            System.arraycopy(buf, offset, chars, from, length);
            starts[count] = from;
            ends[count] = from + length;
            count++;
        }

        int size() {
            return count;
        }

        boolean isBlank() {
            return count == 1 && ends[0] == starts[0];
        }

        public long line() {
            return line;
        }

        /** The field index of a column present in this row and not empty, else -1. */
        private int field(String column) {
            Integer i = index.get(column);
            return i == null || i >= count || ends[i] == starts[i] ? -1 : i;
        }

        public boolean has(String column) {
            return field(column) >= 0;
        }

        public String text(String column) {
            int i = present(column);
            int length = ends[i] - starts[i];
            // hostile input: an id of millions of characters or with a NUL (PostgreSQL text refuses it, which failed
            // the whole chunk) is this row's error, so --on-bad-row skip rejects the row and the run goes on
            if (length > MAX_TEXT_LENGTH) {
                throw error(column, "value is " + length + " characters, over the limit of " + MAX_TEXT_LENGTH);
            }
            for (int c = starts[i]; c < ends[i]; c++) {
                if (Character.isISOControl(chars[c])) {
                    throw error(column, String.format("contains the control character U+%04X at position %d", (int) chars[c], c - starts[i] + 1));
                }
            }
            return value(i);
        }

        /** Field {@code i} as a String. */
        private String value(int i) {
            return new String(chars, starts[i], ends[i] - starts[i]);
        }

        public double number(String column) {
            int i = present(column);
            double d = Decimals.parse(chars, starts[i], ends[i]);
            if (Double.isNaN(d)) { // not a plain decimal, or one beyond the exact fast path: the JDK decides
                try {
                    d = Double.parseDouble(value(i));
                } catch (NumberFormatException e) {
                    throw error(column, "'" + shown(i) + "' is not a number");
                }
            }
            if (!Double.isFinite(d)) {
                throw error(column, "'" + shown(i) + "' is not a finite number (NaN and Infinity are not allowed)");
            }
            return d;
        }

        public int flag(String column) {
            double d = number(column);
            if (d != 0 && d != 1) {
                throw error(column, "'" + shown(field(column)) + "' must be 0 or 1");
            }
            return (int) d;
        }

        public LocalDate date(String column) {
            int i = present(column);
            LocalDate d;
            try {
                d = isoDate(i);
            } catch (DateTimeException e) {
                throw error(column, "'" + shown(i) + "' is not an ISO date (yyyy-MM-dd)");
            }
            // LocalDate.parse takes "+10000-01-01", which PostgreSQL's date input refuses (it would fail the whole chunk)
            if (d.getYear() < 1 || d.getYear() > 9999) {
                throw error(column, "'" + shown(i) + "' is outside the years 0001-9999");
            }
            return d;
        }

        private int present(String column) {
            int i = field(column);
            if (i < 0) {
                throw error(column, "value is missing");
            }
            return i;
        }

        /** A value as quoted in an error: a short, escaped excerpt ({@link Excerpt}). */
        private String shown(int i) {
            return Excerpt.of(java.nio.CharBuffer.wrap(chars, starts[i], ends[i] - starts[i]));
        }

        /**
         * LocalDate.parse for the common plain form yyyy-MM-dd without the formatter machinery (about 10x
         * cheaper; LocalDate.of validates month and day the same way); anything else goes to LocalDate.parse.
         */
        private LocalDate isoDate(int i) {
            int s = starts[i];
            if (ends[i] - s == 10 && chars[s + 4] == '-' && chars[s + 7] == '-') {
                int y = digits(s, s + 4);
                int m = digits(s + 5, s + 7);
                int d = digits(s + 8, s + 10);
                if (y >= 0 && m >= 0 && d >= 0) {
                    return LocalDate.of(y, m, d);
                }
            }
            return LocalDate.parse(value(i));
        }

        private int digits(int from, int to) {
            int n = 0;
            for (int i = from; i < to; i++) {
                char c = chars[i];
                if (c < '0' || c > '9') {
                    return -1;
                }
                n = n * 10 + (c - '0');
            }
            return n;
        }

        public DataException error(String column, String why) {
            return new DataException(file + ":" + line + ": column '" + column + "': " + why);
        }
    }

    /** Reads every data row; returns the number of rows read. Fails on the first bad row. */
    public static long forEach(Path file, List<String> requiredColumns, Consumer<Row> consumer) {
        return forEach(file, requiredColumns, consumer, false);
    }

    /**
     * As {@link #forEach(Path, List, Consumer)}; when {@code lenient}, a row with the wrong number of fields is
     * still handed over (its missing values then fail in the typed getters), so a caller can skip bad rows.
     */
    public static long forEach(Path file, List<String> requiredColumns, Consumer<Row> consumer, boolean lenient) {
        return forEach(file, requiredColumns, consumer, lenient, InputLimits.fromEnvironment());
    }

    /**
     * As {@link #forEach(Path, List, Consumer, boolean)} with explicit {@link InputLimits}: a record of more than
     * {@code csvMaxFields} fields or {@code csvMaxRecordChars} characters (with its line), or a field longer than
     * {@code csvMaxFieldChars} (FastCSV's buffer limit), fails the file with its name and the setting before the
     * record is held in memory.
     */
    public static long forEach(Path file, List<String> requiredColumns, Consumer<Row> consumer, boolean lenient,
                               InputLimits limits) {
        if (!Files.isRegularFile(file)) {
            throw new DataException(file + ": file not found");
        }
        String name = file.toString();
        RowHandler handler = new RowHandler(name, limits);
        // RFC 4180; a row's field count is checked here (with the line number), not by the reader
        CsvReader.CsvReaderBuilder builder = CsvReader.builder().skipEmptyLines(true).detectBomHeader(true).allowUnclosedQuote(false)
                .allowExtraFields(true).allowMissingFields(true).maxBufferSize(limits.csvMaxFieldChars());
        try (CsvReader<Row> reader = builder.build(handler, file, StandardCharsets.UTF_8)) {
            Iterator<Row> it = reader.iterator();
            if (!it.hasNext()) {
                throw new DataException(name + ": file is empty (expected a header line with columns " + requiredColumns + ")");
            }
            Row headerRow = it.next();
            String[] header = new String[headerRow.size()];
            for (int i = 0; i < header.length; i++) {
                header[i] = headerRow.value(i).strip();
                handler.index.put(header[i], i);
            }
            List<String> missing = new ArrayList<>();
            for (String c : requiredColumns) {
                if (!handler.index.containsKey(c)) {
                    missing.add(c);
                }
            }
            if (!missing.isEmpty()) {
                // the header is quoted as a short escaped excerpt: a file that is not ours must not be echoed
                throw new DataException(name + ": missing column(s) " + missing + " (header starts '"
                        + Excerpt.of(String.join(",", header)) + "')");
            }
            long rows = 0;
            while (it.hasNext()) {
                Row row = it.next();
                if (row.isBlank()) {
                    continue; // a line of spaces
                }
                if (!lenient && row.size() != header.length) {
                    throw new DataException(name + ":" + row.line() + ": expected " + header.length + " fields, found " + row.size());
                }
                consumer.accept(row);
                rows++;
            }
            return rows;
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": file not found");
        } catch (CsvParseException e) {
            if (e.getCause() instanceof RecordTooLarge tooLarge) {
                throw new DataException(name + ":" + tooLarge.line + ": " + tooLarge.getMessage(), e);
            }
            if (String.valueOf(e.getMessage()).contains("maximum buffer size")) { // FastCSV's limit on one field
                // (it fails while filling its buffer ahead of the records, so no line number is claimed)
                throw new DataException(name + ": malformed CSV: a field is longer than " + limits.csvMaxFieldChars()
                        + " characters (limit DATASET_CSV_MAX_FIELD_CHARS)", e);
            }
            throw new DataException(name + ": malformed CSV: " + reason(e), e);
        } catch (IOException | UncheckedIOException e) {
            throw new DataException(name + ": malformed CSV: " + reason(e), e);
        }
    }

    /** FastCSV's message names the record's line; its cause says what is wrong there. */
    private static String reason(Exception e) {
        String what = Excerpt.message(e);
        Throwable cause = e.getCause();
        return cause == null || cause.getMessage() == null ? what : what + ": " + Excerpt.message(cause);
    }

    /** A record over a limit, thrown from the handler before the record is held; FastCSV wraps it. */
    private static final class RecordTooLarge extends RuntimeException {
        final long line;

        RecordTooLarge(long line, String message) {
            super(message, null, false, false);
            this.line = line;
        }
    }

    /**
     * Fills one reused {@link Row} per record. Unquoted fields lose surrounding spaces and tabs (as before with
     * Jackson's TRIM_SPACES); quoted fields are kept as written.
     */
    private static final class RowHandler extends AbstractBaseCsvCallbackHandler<Row> {
        final Map<String, Integer> index = new HashMap<>();
        private final Row row;
        private final InputLimits limits;
        private long recordChars;

        RowHandler(String file, InputLimits limits) {
            this.row = new Row(file, index);
            this.limits = limits;
        }

        @Override
        protected void handleBegin(long startingLineNumber) {
            row.begin(startingLineNumber);
            recordChars = 0;
        }

        @Override
        protected void handleField(int fieldIdx, char[] buf, int offset, int len, boolean quoted) {
            // bounded before the field is copied: a line of millions of empty fields would otherwise grow the row's
            // arrays until the heap is gone
            if (fieldIdx >= limits.csvMaxFields()) {
                throw new RecordTooLarge(getStartingLineNumber(), "record has more than " + limits.csvMaxFields()
                        + " fields (limit DATASET_CSV_MAX_FIELDS)");
            }
            recordChars += len;
            if (recordChars > limits.csvMaxRecordChars()) {
                throw new RecordTooLarge(getStartingLineNumber(), "record is longer than " + limits.csvMaxRecordChars()
                        + " characters (limit DATASET_CSV_MAX_RECORD_CHARS)");
            }
            int from = offset;
            int to = offset + len;
            if (!quoted) {
                while (from < to && (buf[from] == ' ' || buf[from] == '\t')) {
                    from++;
                }
                while (to > from && (buf[to - 1] == ' ' || buf[to - 1] == '\t')) {
                    to--;
                }
            }
            row.add(buf, from, to - from);
        }

        @Override
        protected Row buildRecord() {
            return row;
        }
    }
}
