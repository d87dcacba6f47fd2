package com.orderintel.dataset;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Streams a headed CSV file through jackson-dataformat-csv and hands each data row to a consumer as a
 * {@link Row} whose typed getters report bad values with file, line and column. Rows are not kept in memory,
 * so the batch job can stream millions of them.
 */
public final class CsvRows {

    /** Longest text value (ids, names) a row may carry; longer is a bad row. */
    public static final int MAX_TEXT_LENGTH = 1024;

    private static final CsvMapper MAPPER = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.TRIM_SPACES);

    private CsvRows() {
    }

    /** One data row: values by column, with the 1-based physical line number of the file. */
    public static final class Row {
        private final String file;
        private final long line;
        private final Map<String, Integer> index;
        private final String[] values;

        /** A row from another tabular source (e.g. a database table), with the same typed getters and errors. */
        public static Row of(String source, long line, Map<String, Integer> index, String[] values) {
            return new Row(source, line, index, values);
        }

        Row(String file, long line, Map<String, Integer> index, String[] values) {
            this.file = file;
            this.line = line;
            this.index = index;
            this.values = values;
        }

        public long line() {
            return line;
        }

        public boolean has(String column) {
            Integer i = index.get(column);
            return i != null && i < values.length && !values[i].isEmpty();
        }

        public String text(String column) {
            Integer i = index.get(column);
            if (i == null || i >= values.length || values[i].isEmpty()) {
                throw error(column, "value is missing");
            }
            String v = values[i];
            // hostile input: an id of millions of characters or with a NUL (PostgreSQL text refuses it, which failed
            // the whole chunk) is this row's error, so --on-bad-row skip rejects the row and the run goes on
            if (v.length() > MAX_TEXT_LENGTH) {
                throw error(column, "value is " + v.length() + " characters, over the limit of " + MAX_TEXT_LENGTH);
            }
            for (int c = 0; c < v.length(); c++) {
                if (Character.isISOControl(v.charAt(c))) {
                    throw error(column, String.format("contains the control character U+%04X at position %d", (int) v.charAt(c), c + 1));
                }
            }
            return v;
        }

        public double number(String column) {
            String v = text(column);
            double d;
            try {
                d = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw error(column, "'" + v + "' is not a number");
            }
            if (!Double.isFinite(d)) {
                throw error(column, "'" + v + "' is not a finite number (NaN and Infinity are not allowed)");
            }
            return d;
        }

        public int flag(String column) {
            double d = number(column);
            if (d != 0 && d != 1) {
                throw error(column, "'" + text(column) + "' must be 0 or 1");
            }
            return (int) d;
        }

        public LocalDate date(String column) {
            String v = text(column);
            try {
                return isoDate(v);
            } catch (DateTimeException e) {
                throw error(column, "'" + v + "' is not an ISO date (yyyy-MM-dd)");
            }
        }

        /**
         * LocalDate.parse for the common plain form yyyy-MM-dd without the formatter machinery (about 10x
         * cheaper; LocalDate.of validates month and day the same way); anything else goes to LocalDate.parse.
         */
        private static LocalDate isoDate(String v) {
            if (v.length() == 10 && v.charAt(4) == '-' && v.charAt(7) == '-') {
                int y = digits(v, 0, 4);
                int m = digits(v, 5, 7);
                int d = digits(v, 8, 10);
                if (y >= 0 && m >= 0 && d >= 0) {
                    return LocalDate.of(y, m, d);
                }
            }
            return LocalDate.parse(v);
        }

        private static int digits(String s, int from, int to) {
            int n = 0;
            for (int i = from; i < to; i++) {
                char c = s.charAt(i);
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
        if (!Files.isRegularFile(file)) {
            throw new DataException(file + ": file not found");
        }
        String name = file.toString();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             MappingIterator<String[]> it = MAPPER.readerFor(String[].class).readValues(reader)) {
            if (!it.hasNextValue()) {
                throw new DataException(name + ": file is empty (expected a header line with columns " + requiredColumns + ")");
            }
            String[] header = it.nextValue();
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < header.length; i++) {
                index.put(header[i].strip(), i);
            }
            List<String> missing = new ArrayList<>();
            for (String c : requiredColumns) {
                if (!index.containsKey(c)) {
                    missing.add(c);
                }
            }
            if (!missing.isEmpty()) {
                throw new DataException(name + ": missing column(s) " + missing + " (header has " + List.of(header) + ")");
            }
            long rows = 0;
            while (it.hasNextValue()) {
                long line = it.getCurrentLocation().getLineNr();
                String[] values = it.nextValue();
                if (values.length == 1 && values[0].isEmpty()) {
                    continue; // blank line
                }
                if (!lenient && values.length != header.length) {
                    throw new DataException(name + ":" + line + ": expected " + header.length + " fields, found " + values.length);
                }
                consumer.accept(new Row(name, line, index, values));
                rows++;
            }
            return rows;
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": file not found");
        } catch (IOException | RuntimeException e) {
            if (e instanceof DataException de) {
                throw de;
            }
            throw new DataException(name + ": malformed CSV: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }
}
