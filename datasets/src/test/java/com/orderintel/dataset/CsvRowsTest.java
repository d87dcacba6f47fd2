package com.orderintel.dataset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The reader's RFC 4180 handling and the row errors: BOM, quotes, spaces, blank lines, line numbers. */
class CsvRowsTest {

    @TempDir
    Path dir;

    @Test
    void readsQuotedFieldsTrimsUnquotedSpacesSkipsBlankLinesAndKeepsPhysicalLineNumbers() throws IOException {
        Path f = dir.resolve("o.csv");
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        String text = "order_id,avg_processing_ms,item_count,payment_score\n"
                + "\"A,1\", 1450 ,3,0.88\n"
                + "\n"
                + "\"B\nsecond line\",1e3,4,-0.5\n"
                + "C,12.25,1,0\n";
        Files.write(f, concat(bom, text.getBytes(StandardCharsets.UTF_8)));
        List<String> seen = new ArrayList<>();
        long rows = CsvRows.forEach(f, OrderRow.COLUMNS, r -> seen.add(r.line() + ":" + r.number("avg_processing_ms")
                + ":" + r.number("payment_score") + ":" + (r.line() == 4 ? "" : r.text("order_id"))));
        assertThat(rows).isEqualTo(3);
        // the record on lines 4-5 is one row; an id with a line break is still refused by text() (control character)
        assertThat(seen).containsExactly("2:1450.0:0.88:A,1", "4:1000.0:-0.5:", "6:12.25:0.0:C");
    }

    @Test
    void rowErrorsNameFileLineAndColumn() throws IOException {
        Path f = dir.resolve("d.csv");
        Files.writeString(f, "date,product_id,avg_basket_value,promo_flag,demand\n2024-04-01,S,82.4,0,12\n2024-02-30,S,1,0,1\n");
        List<Exception> errors = new ArrayList<>();
        CsvRows.forEach(f, DemandRow.COLUMNS, r -> {
            try {
                DemandRow.of(r);
            } catch (DataException e) {
                errors.add(e);
            }
        });
        assertThat(errors).singleElement().extracting(Exception::getMessage)
                .isEqualTo(f + ":3: column 'date': '2024-02-30' is not an ISO date (yyyy-MM-dd)");
    }

    @Test
    void rowsFromOtherSourcesHaveTheSameGettersAndErrors() {
        CsvRows.Row row = CsvRows.Row.of("table t", 7, Map.of("a", 0, "b", 1, "c", 2), new String[] {"3.5", null, "x"});
        assertThat(row.number("a")).isEqualTo(3.5);
        assertThat(row.has("b")).isFalse();
        assertThatThrownBy(() -> row.number("c")).isInstanceOf(DataException.class)
                .hasMessage("table t:7: column 'c': 'x' is not a number");
        assertThatThrownBy(() -> row.text("b")).hasMessage("table t:7: column 'b': value is missing");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
