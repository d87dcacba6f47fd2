package com.orderintel.dataset;

import com.orderintel.registry.Checksums;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link CsvRows#readAll} (one read, parts parsed on several threads) against the streaming {@link CsvRows#forEach}:
 * the same rows in the same order with the same line numbers, the same first error, the same sha256.
 */
class CsvRowsTest {

    private static final List<String> COLUMNS = List.of("id", "x", "day");
    /** Keeps what a caller sees of a row: its line, its typed values. */
    private static final Function<CsvRows.Row, String> ROW = r -> r.line() + "|" + r.text("id") + "|" + r.number("x") + "|" + r.date("day");

    @TempDir
    Path dir;

    /** A file over the parallel threshold: header, then {@code rows} lines (with a few blank lines inside). */
    private static StringBuilder big(int rows, String newline) {
        StringBuilder b = new StringBuilder("id,x,day").append(newline);
        for (int i = 0; i < rows; i++) {
            b.append("ID-").append(i).append(", ").append(i * 0.25).append(" ,2024-0").append(1 + i % 9).append("-1").append(i % 9)
                    .append(newline);
            if (i % 10_007 == 0) {
                b.append(newline); // a blank line: skipped, but counted in line numbers
            }
        }
        return b;
    }

    private Path write(String name, CharSequence text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    private static List<String> streamed(Path f) {
        List<String> rows = new ArrayList<>();
        CsvRows.forEach(f, COLUMNS, r -> rows.add(ROW.apply(r)));
        return rows;
    }

    private static String streamedError(Path f) {
        try {
            streamed(f);
        } catch (DataException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a DataException from " + f);
    }

    @Test
    void aLargeFileReadInPartsGivesTheStreamedRowsLinesAndChecksum() throws IOException {
        Path f = write("big.csv", big(60_000, "\n"));
        assertThat(Files.size(f)).isGreaterThan(CsvRows.PARALLEL_FROM_CHARS);
        List<String> expected = streamed(f);
        CsvRows.Table<String> table = CsvRows.readAll(f, COLUMNS, ROW);
        assertThat(table.rows()).hasSize(60_000).isEqualTo(expected);
        assertThat(table.sha256()).isEqualTo(Checksums.sha256(f));
        String text = Files.readString(f);
        for (int threads : new int[] {2, 3, 7}) { // parts cut at different lines
            assertThat(CsvRows.parts(f.toString(), text, COLUMNS, ROW, threads)).as(threads + " parts").isEqualTo(expected);
        }
    }

    @Test
    void theFirstBadRowInFileOrderIsReportedWithItsLine() throws IOException {
        StringBuilder b = big(60_000, "\n");
        String late = "ID-59990, 14997.5 ,2024-06-15";
        String early = "ID-7, 1.75 ,2024-08-17";
        int lateAt = b.indexOf(late);
        b.replace(lateAt, lateAt + late.length(), "ID-59990, oops ,2024-06-15"); // in the last part
        Path lastOnly = write("late.csv", b);
        String lateError = streamedError(lastOnly);
        assertThat(lateError).contains("late.csv:", "column 'x'", "'oops' is not a number");
        assertThatThrownBy(() -> CsvRows.readAll(lastOnly, COLUMNS, ROW)).isInstanceOf(DataException.class).hasMessage(lateError);

        int earlyAt = b.indexOf(early);
        b.replace(earlyAt, earlyAt + early.length(), "ID-7, 1.75 ,2024-13-17"); // in the first part: this one wins
        Path both = write("both.csv", b);
        String earlyError = streamedError(both);
        assertThat(earlyError).contains("both.csv:10:", "column 'day'", "not an ISO date");
        String text = Files.readString(both);
        for (int threads : new int[] {2, 5}) {
            assertThatThrownBy(() -> CsvRows.parts(both.toString(), text, COLUMNS, ROW, threads)).hasMessage(earlyError);
        }
    }

    @Test
    void aRowWithTheWrongFieldCountInALaterPartFailsAsWhenStreamed() throws IOException {
        StringBuilder b = big(60_000, "\n");
        String row = "ID-45000, 11250.0 ,2024-01-10";
        int at = b.indexOf(row);
        b.replace(at, at + row.length(), "ID-45000, 11250.0");
        Path f = write("short.csv", b);
        String error = streamedError(f);
        assertThat(error).contains("expected 3 fields, found 2");
        assertThatThrownBy(() -> CsvRows.readAll(f, COLUMNS, ROW)).hasMessage(error);
    }

    @Test
    void quotesAndCarriageReturnsAreReadInOnePassAsBefore() throws IOException {
        StringBuilder quoted = big(60_000, "\n");
        int middle = quoted.indexOf("\nID-30000,") + 1;
        quoted.insert(middle, "\"ID-q\nline two\", 1.5 ,2024-02-02\n"); // a quoted line break: not a record break
        Path q = write("quoted.csv", quoted);
        Function<CsvRows.Row, String> lineAndValues = r -> r.line() + "|" + r.number("x") + "|" + r.date("day");
        List<String> expected = new ArrayList<>();
        CsvRows.forEach(q, COLUMNS, r -> expected.add(lineAndValues.apply(r)));
        assertThat(expected).hasSize(60_001).contains(quoted.substring(0, middle).lines().count() + 1 + "|1.5|2024-02-02");
        assertThat(CsvRows.readAll(q, COLUMNS, lineAndValues).rows()).isEqualTo(expected);

        Path crlf = write("crlf.csv", big(60_000, "\r\n"));
        assertThat(CsvRows.readAll(crlf, COLUMNS, ROW).rows()).isEqualTo(streamed(crlf));
    }

    @Test
    void missingFilesHeadersAndBadEncodingGiveTheStreamedMessages() throws IOException {
        assertThatThrownBy(() -> CsvRows.readAll(dir.resolve("nope.csv"), COLUMNS, ROW)).hasMessageEndingWith("nope.csv: file not found");
        Path empty = write("empty.csv", "");
        assertThatThrownBy(() -> CsvRows.readAll(empty, COLUMNS, ROW)).hasMessage(streamedError(empty)).hasMessageContaining("file is empty");
        StringBuilder noDay = big(60_000, "\n");
        noDay.replace(0, "id,x,day".length(), "id,x,dia");
        Path header = write("header.csv", noDay);
        assertThatThrownBy(() -> CsvRows.readAll(header, COLUMNS, ROW)).hasMessage(streamedError(header))
                .hasMessageContaining("missing column(s) [day]");
        byte[] bytes = big(60_000, "\n").toString().getBytes(StandardCharsets.UTF_8);
        bytes[bytes.length / 2] = (byte) 0xC3; // a lone UTF-8 lead byte
        Path latin = dir.resolve("latin.csv");
        Files.write(latin, bytes);
        assertThatThrownBy(() -> CsvRows.readAll(latin, COLUMNS, ROW)).hasMessage(streamedError(latin)).hasMessageContaining("malformed CSV");
    }
}
