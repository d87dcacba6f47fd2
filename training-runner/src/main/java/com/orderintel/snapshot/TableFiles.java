package com.orderintel.snapshot;

import blue.strategic.parquet.Hydrator;
import blue.strategic.parquet.HydratorSupplier;
import blue.strategic.parquet.ParquetReader;
import blue.strategic.parquet.ParquetWriter;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.orderintel.dataset.CsvRows;
import com.orderintel.dataset.DataException;
import com.orderintel.dataset.Excerpt;
import com.orderintel.dataset.InputLimits;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a {@link Table}'s rows as CSV (Jackson's CSV writer, the reader the runner already uses) and as Parquet
 * (parquet-floor: parquet-mr's encoder without Hadoop), and reads Parquet back into typed rows through the same
 * validation as CSV ({@code OrderRow.of}, {@code DemandRow.of}), so bad values fail the same way in both formats.
 */
public final class TableFiles {

    private static final CsvMapper CSV = new CsvMapper();

    private TableFiles() {
    }

    public static <T> void writeCsv(Table<T> table, List<T> rows, Path file) {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             SequenceWriter seq = CSV.writerFor(String[].class).with(CsvSchema.emptySchema().withLineSeparator("\n")).writeValues(w)) {
            seq.write(table.columnNames().toArray(String[]::new));
            for (T row : rows) {
                Object[] v = table.values().apply(row);
                String[] cells = new String[v.length];
                for (int i = 0; i < v.length; i++) {
                    cells[i] = Table.text(v[i]);
                }
                seq.write(cells);
            }
        } catch (IOException e) {
            throw new DataException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public static <T> void writeParquet(Table<T> table, List<T> rows, Path file) {
        List<Table.Column> columns = table.columns();
        try (ParquetWriter<T> w = ParquetWriter.writeFile(schema(table), file.toFile(), (row, out) -> {
            Object[] v = table.values().apply(row);
            for (int i = 0; i < v.length; i++) {
                if (v[i] != null) {
                    out.write(columns.get(i).name(), v[i] instanceof LocalDate d ? (int) d.toEpochDay() : v[i]);
                }
            }
        })) {
            for (T row : rows) {
                w.write(row);
            }
        } catch (IOException e) {
            throw new DataException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static MessageType schema(Table<?> table) {
        Types.MessageTypeBuilder b = Types.buildMessage();
        for (Table.Column c : table.columns()) {
            Repetition rep = c.optional() ? Repetition.OPTIONAL : Repetition.REQUIRED;
            switch (c.type()) {
                case STRING -> b.primitive(PrimitiveTypeName.BINARY, rep).as(LogicalTypeAnnotation.stringType()).named(c.name());
                case DOUBLE -> b.primitive(PrimitiveTypeName.DOUBLE, rep).named(c.name());
                case INT -> b.primitive(PrimitiveTypeName.INT32, rep).named(c.name());
                case DATE -> b.primitive(PrimitiveTypeName.INT32, rep).as(LogicalTypeAnnotation.dateType()).named(c.name());
            }
        }
        return b.named(table.name());
    }

    /**
     * Reads a Parquet file's rows. Columns are found by name (extra columns are ignored); values from other writers
     * (int64 counts, float, dates as DATE or text) are accepted when they parse as the CSV column would. What the
     * footer declares is checked against the file and {@link InputLimits} first ({@link ParquetBounds}).
     */
    public static <T> List<T> readParquet(Table<T> table, Path file, String source) {
        return readParquet(table, file, source, InputLimits.fromEnvironment());
    }

    static <T> List<T> readParquet(Table<T> table, Path file, String source, InputLimits limits) {
        MessageType fileSchema;
        try {
            ParquetMetadata meta = ParquetReader.readMetadata(file.toFile());
            fileSchema = meta.getFileMetaData().getSchema();
            ParquetBounds.check(file, meta, limits, source);
        } catch (DataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DataException(source + ": not a readable Parquet file: " + Excerpt.message(e), e);
        }
        List<String> present = fileSchema.getFields().stream().map(org.apache.parquet.schema.Type::getName).toList();
        List<String> missing = table.requiredColumns().stream().filter(c -> !present.contains(c)).toList();
        if (!missing.isEmpty()) {
            throw new DataException(source + ": missing column(s) " + missing + " (file has '" + Excerpt.of(String.join(",", present)) + "')");
        }
        Map<String, Integer> index = new HashMap<>();
        List<String> names = table.columnNames();
        for (int i = 0; i < names.size(); i++) {
            index.put(names.get(i), i);
        }
        List<String> dates = present.stream().filter(n -> fileSchema.getType(n).getLogicalTypeAnnotation()
                instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation).toList();
        Hydrator<String[], String[]> hydrator = new Hydrator<>() {
            @Override
            public String[] start() {
                String[] cells = new String[names.size()];
                java.util.Arrays.fill(cells, "");
                return cells;
            }

            @Override
            public String[] add(String[] cells, String heading, Object value) {
                Integer i = index.get(heading);
                if (i != null && value != null) {
                    cells[i] = value instanceof Number n && dates.contains(heading)
                            ? LocalDate.ofEpochDay(n.longValue()).toString() : value.toString();
                }
                return cells;
            }

            @Override
            public String[] finish(String[] cells) {
                return cells;
            }
        };
        List<T> rows = new ArrayList<>();
        try (Stream<String[]> s = ParquetReader.streamContent(file.toFile(), HydratorSupplier.constantly(hydrator),
                present.stream().filter(index::containsKey).toList())) {
            long[] n = {0};
            s.forEach(cells -> rows.add(table.parse().apply(CsvRows.Row.of(source, ++n[0], index, cells))));
        } catch (IOException e) {
            throw new DataException(source + ": cannot read Parquet: " + Excerpt.message(e), e);
        } catch (DataException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new DataException(source + ": malformed Parquet: " + Excerpt.message(e), e);
        }
        return rows;
    }
}
