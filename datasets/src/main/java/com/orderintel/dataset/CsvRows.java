package com.orderintel.dataset;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

import com.orderintel.registry.Checksums;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;
import java.util.function.Function;

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
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader, name, requiredColumns, consumer, lenient);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": file not found");
        } catch (IOException | RuntimeException e) {
            throw failure(name, e);
        }
    }

    /** Every row of a file, mapped in file order, and the sha256 of the bytes they were read from. */
    public record Table<T>(List<T> rows, String sha256) { }

    /** Files from this size on are split at line boundaries and parsed on several threads. */
    static final int PARALLEL_FROM_CHARS = 1 << 20;
    /** Larger files are streamed as before rather than held in memory as bytes and text. */
    private static final long IN_MEMORY_LIMIT = 256L << 20;

    /**
     * Reads every data row, maps it (the mapper validates: its DataException is the row's error) and returns the
     * rows in file order with the file's sha256, from one read of the file: the same rows, line numbers and
     * messages as {@link #forEach(Path, List, Consumer)}, failing on the first bad row in file order.
     *
     * <p>A file of at least {@value #PARALLEL_FROM_CHARS} characters without quotes and carriage returns, where every
     * line break is a record break, is cut at line breaks into one part per core; each part goes through its own
     * Jackson parser on its own thread, while another thread hashes the bytes. Anything else (quoted fields may hold
     * line breaks) is parsed in one pass, as is a file over 256 MiB or one that is not valid UTF-8 (streamed as
     * before, so the error is the one it always was).
     */
    public static <T> Table<T> readAll(Path file, List<String> requiredColumns, Function<Row, T> mapper) {
        if (!Files.isRegularFile(file)) {
            throw new DataException(file + ": file not found");
        }
        String name = file.toString();
        byte[] bytes;
        try {
            if (Files.size(file) > IN_MEMORY_LIMIT) {
                return streamed(file, requiredColumns, mapper);
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": file not found");
        } catch (IOException e) {
            throw failure(name, e);
        }
        FutureTask<String> sha = new FutureTask<>(() -> Checksums.sha256(bytes));
        Thread.ofPlatform().daemon().name("csv-sha256").start(sha);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            sha.cancel(true);
            return streamed(file, requiredColumns, mapper); // reports the decoding error as the streaming reader does
        }
        List<T> rows = parts(name, text, requiredColumns, mapper, Runtime.getRuntime().availableProcessors());
        try {
            return new Table<>(rows, sha.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException(name + ": interrupted while hashing", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot hash " + name, e.getCause());
        }
    }

    private static <T> Table<T> streamed(Path file, List<String> requiredColumns, Function<Row, T> mapper) {
        List<T> rows = new ArrayList<>();
        forEach(file, requiredColumns, r -> rows.add(mapper.apply(r)));
        return new Table<>(rows, Checksums.sha256(file));
    }

    /** Parses {@code text} (a whole file named {@code name}) in up to {@code threads} parts; see {@link #readAll}. */
    static <T> List<T> parts(String name, String text, List<String> requiredColumns, Function<Row, T> mapper, int threads) {
        int headerEnd = text.indexOf('\n') + 1;
        boolean splittable = threads > 1 && text.length() >= PARALLEL_FROM_CHARS && headerEnd > 0
                && text.indexOf('"') < 0 && text.indexOf('\r') < 0;
        try {
            if (!splittable) {
                List<T> rows = new ArrayList<>();
                read(new StringReader(text), name, requiredColumns, r -> rows.add(mapper.apply(r)), false);
                return rows;
            }
            Header header;
            try (MappingIterator<String[]> it = MAPPER.readerFor(String[].class).readValues(new StringReader(text.substring(0, headerEnd)))) {
                header = header(it, name, requiredColumns);
            }
            int n = Math.min(threads, 8);
            int[] from = new int[n + 1];
            long[] linesBefore = new long[n + 1];
            from[0] = headerEnd;
            linesBefore[0] = 1;
            for (int k = 1; k < n; k++) { // cut after the first line break past an even share of the characters
                int target = Math.max(from[k - 1], (int) ((long) text.length() * k / n));
                int nl = text.indexOf('\n', target);
                from[k] = nl < 0 ? text.length() : nl + 1;
                linesBefore[k] = linesBefore[k - 1] + newlines(text, from[k - 1], from[k]);
            }
            from[n] = text.length();
            List<FutureTask<List<T>>> tasks = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                String part = text.substring(from[k], from[k + 1]);
                long offset = linesBefore[k];
                FutureTask<List<T>> task = new FutureTask<>(() -> {
                    List<T> rows = new ArrayList<>();
                    try (MappingIterator<String[]> it = MAPPER.readerFor(String[].class).readValues(new StringReader(part))) {
                        rows(it, name, header, offset, false, r -> rows.add(mapper.apply(r)));
                    }
                    return rows;
                });
                tasks.add(task);
                if (k > 0) {
                    Thread.ofPlatform().daemon().name("csv-part-" + k).start(task);
                }
            }
            tasks.getFirst().run(); // the first part on this thread
            List<T> all = new ArrayList<>();
            for (FutureTask<List<T>> task : tasks) { // the first failing part in file order has the first bad row
                all.addAll(join(task));
            }
            return all;
        } catch (IOException | RuntimeException e) {
            throw failure(name, e);
        }
    }

    private static long newlines(String text, int from, int to) {
        long n = 0;
        for (int i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) {
            n++;
        }
        return n;
    }

    private static <T> T join(FutureTask<T> task) throws IOException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException("interrupted while reading", e);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeException re -> throw re;
                case Error err -> throw err;
                default -> throw new IllegalStateException(e.getCause());
            }
        }
    }

    /** The header's column positions and width. */
    private record Header(Map<String, Integer> index, int length) { }

    private static long read(Reader reader, String name, List<String> requiredColumns, Consumer<Row> consumer, boolean lenient)
            throws IOException {
        try (MappingIterator<String[]> it = MAPPER.readerFor(String[].class).readValues(reader)) {
            return rows(it, name, header(it, name, requiredColumns), 0, lenient, consumer);
        }
    }

    private static Header header(MappingIterator<String[]> it, String name, List<String> requiredColumns) throws IOException {
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
        return new Header(index, header.length);
    }

    /** The data rows after the header; {@code lineOffset} is added to the parser's line numbers (for a part of a file). */
    private static long rows(MappingIterator<String[]> it, String name, Header header, long lineOffset, boolean lenient,
                             Consumer<Row> consumer) throws IOException {
        long rows = 0;
        while (it.hasNextValue()) {
            long line = it.getCurrentLocation().getLineNr() + lineOffset;
            String[] values = it.nextValue();
            if (values.length == 1 && values[0].isEmpty()) {
                continue; // blank line
            }
            if (!lenient && values.length != header.length()) {
                throw new DataException(name + ":" + line + ": expected " + header.length() + " fields, found " + values.length);
            }
            consumer.accept(new Row(name, line, header.index(), values));
            rows++;
        }
        return rows;
    }

    private static DataException failure(String name, Exception e) {
        if (e instanceof DataException de) {
            return de;
        }
        return new DataException(name + ": malformed CSV: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
    }
}
