package com.orderintel.dataset;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hostile CSV from someone who can write to a dataset store: a line of millions of empty fields, a field longer than
 * the reader's buffer limit, a record over the character limit, and a file that is not CSV at all whose first line is
 * a secret. Each fails with the file, the line and the limit, in bounded memory, quoting at most a short escaped
 * excerpt of the content.
 */
@Tag("attack")
class CsvInputLimitsTest {

    @TempDir
    Path dir;

    /** 30 MB of commas on line 2: 30 million empty fields. */
    private Path thirtyMegabyteLineOfEmptyFields() throws IOException {
        Path f = dir.resolve("wide.csv");
        byte[] chunk = new byte[1 << 20];
        Arrays.fill(chunk, (byte) ',');
        try (OutputStream out = Files.newOutputStream(f)) {
            out.write("order_id,avg_processing_ms,item_count,payment_score\n".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 30; i++) {
                out.write(chunk);
            }
            out.write('\n');
        }
        return f;
    }

    @Test
    void aThirtyMegabyteLineOfEmptyFieldsFailsWithFileLineAndLimitInA256MegabyteHeap() throws Exception {
        Path f = thirtyMegabyteLineOfEmptyFields();
        // in a JVM of its own with the heap the failure was first seen in (256 MB): before, "malformed CSV: Java heap space"
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CsvReadProbe.class.getName(), f.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("probe finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).doesNotContain("OutOfMemoryError", "heap space");
        assertThat(out).contains("refused: " + f + ":2: record has more than 1024 fields (limit DATASET_CSV_MAX_FIELDS)");
        assertThat(p.exitValue()).as(out).isZero();
    }

    @Test
    void aFieldOverTheBufferLimitAndARecordOverTheCharacterLimitAreRefusedWithTheSetting() throws IOException {
        InputLimits small = new InputLimits(16, 16_384, 20_000, 1 << 20, 1000);
        Path longField = dir.resolve("field.csv");
        Files.writeString(longField, "order_id,avg_processing_ms,item_count,payment_score\nA,1,1,0.5\n\"" + "x".repeat(50_000) + "\",1,1,0\n");
        assertThatThrownBy(() -> CsvRows.forEach(longField, OrderRow.COLUMNS, r -> { }, false, small))
                .isInstanceOf(DataException.class)
                .hasMessage(longField + ": malformed CSV: a field is longer than 16384 characters (limit DATASET_CSV_MAX_FIELD_CHARS)");
        Path longRecord = dir.resolve("record.csv");
        String field = "y".repeat(5000);
        Files.writeString(longRecord, "order_id,avg_processing_ms,item_count,payment_score\nA,1,1,0.5\n"
                + String.join(",", field, field, field, field, field) + "\n");
        assertThatThrownBy(() -> CsvRows.forEach(longRecord, OrderRow.COLUMNS, r -> { }, true, small))
                .hasMessage(longRecord + ":3: record is longer than 20000 characters (limit DATASET_CSV_MAX_RECORD_CHARS)");
        // under the limits: read as before
        Files.writeString(longRecord, "order_id,avg_processing_ms,item_count,payment_score\n" + "z".repeat(12_000) + ",1,1,0\n");
        assertThat(CsvRows.forEach(longRecord, OrderRow.COLUMNS, r -> { }, false, small)).isEqualTo(1);
    }

    @Test
    void aFileThatIsNotOursIsQuotedAsAShortEscapedExcerptOnly() throws IOException {
        Path f = dir.resolve("victim.txt");
        Files.writeString(f, "DB_PASSWORD=s3cr3t-do-not-print-me-0123456789abcdef\u001b[2J,next\nmore secrets\n");
        assertThatThrownBy(() -> CsvRows.forEach(f, OrderRow.COLUMNS, r -> { }))
                .hasMessage(f + ": missing column(s) [order_id, avg_processing_ms, item_count, payment_score] (header starts "
                        + "'DB_PASSWORD=s3cr3t-do-not-print-me-01234...')");
        assertThat(Excerpt.of("a\u001b[2Jb\nc\u202Ed")).isEqualTo("a\\u001B[2Jb\\nc\\u202Ed");
    }

    @Test
    void limitsComeFromTheEnvironmentWithDefaultsAndRefuseNonsense() {
        assertThat(InputLimits.fromLookup(n -> null)).isEqualTo(InputLimits.DEFAULT);
        assertThat(InputLimits.fromLookup(n -> n.equals("DATASET_CSV_MAX_FIELDS") ? "64" : null).csvMaxFields()).isEqualTo(64);
        assertThatThrownBy(() -> InputLimits.fromLookup(n -> n.equals("DATASET_PARQUET_MAX_ROWS") ? "-1" : null))
                .hasMessageContaining("DATASET_PARQUET_MAX_ROWS");
        assertThatThrownBy(() -> InputLimits.fromLookup(n -> n.equals("DATASET_CSV_MAX_FIELD_CHARS") ? "20000" : null))
                .hasMessageContaining("power of two");
    }

    /** Reads a CSV in a small-heap JVM and prints the outcome. */
    public static final class CsvReadProbe {
        public static void main(String[] args) {
            try {
                CsvRows.forEach(Path.of(args[0]), OrderRow.COLUMNS, r -> { });
                System.out.println("read");
            } catch (DataException e) {
                System.out.println("refused: " + e.getMessage());
            }
        }
    }
}
