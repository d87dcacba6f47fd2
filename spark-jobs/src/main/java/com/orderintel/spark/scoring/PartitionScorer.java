package com.orderintel.spark.scoring;

import com.orderintel.batch.BatchScorer;
import com.orderintel.batch.ChunkScorer;
import com.orderintel.dataset.CsvRows;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;

import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * One Spark task: reads its partition's rows chunk by chunk (input columns as text, then the source file), hands each
 * chunk to batch-inference's {@link BatchScorer} (the same parsing, validation and scoring as {@code training-runner
 * infer}) on the broadcast model, and emits a prediction per good row and a reject per hostile one. A row's
 * {@code line} is {@code partition << 32 | row in partition} (1-based): unique and stable for the same input and
 * partitioning (Spark reads have no file line numbers).
 */
final class PartitionScorer implements MapPartitionsFunction<Row, Row> {

    private final Broadcast<ShippedModel> model;
    private final List<String> inputColumns;
    private final Object[] stamp;
    private final LocalDate scoredDate;
    private final boolean java8Dates;
    private final int chunkSize;
    private final int width;
    private final LongAccumulator scoredRows;
    private final LongAccumulator rejectedRows;

    PartitionScorer(Broadcast<ShippedModel> model, List<String> inputColumns, Object[] stamp, LocalDate scoredDate,
                    boolean java8Dates, int chunkSize, int width, LongAccumulator scoredRows, LongAccumulator rejectedRows) {
        this.scoredRows = scoredRows;
        this.rejectedRows = rejectedRows;
        this.model = model;
        this.inputColumns = List.copyOf(inputColumns);
        this.stamp = stamp.clone();
        this.scoredDate = scoredDate;
        this.java8Dates = java8Dates;
        this.chunkSize = chunkSize;
        this.width = width;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        BatchScorer scorer = BatchScorer.of(model.value().model(), ChunkScorer.sequential());
        long partition = (long) TaskContext.getPartitionId() << 32;
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < inputColumns.size(); i++) {
            index.put(inputColumns.get(i), i);
        }
        boolean orders = scorer.task().equals("anomaly");
        int columns = scorer.columns().size();
        return new Iterator<>() {
            private final ArrayDeque<Row> ready = new ArrayDeque<>();
            private long n;

            @Override
            public boolean hasNext() {
                while (ready.isEmpty() && input.hasNext()) {
                    fill();
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }

            private void fill() {
                List<CsvRows.Row> chunk = new ArrayList<>(chunkSize);
                while (chunk.size() < chunkSize && input.hasNext()) {
                    Row r = input.next();
                    String[] values = new String[inputColumns.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = text(r.get(i));
                    }
                    chunk.add(CsvRows.Row.of(String.valueOf(r.get(values.length)), partition | ++n, index, values));
                }
                BatchScorer.Scored scored = scorer.score(chunk);
                scoredRows.add(scored.rows().size());
                rejectedRows.add(scored.rejects().size());
                // predictions and rejects each keep input order; rejects are rare, so they simply follow the chunk
                for (Object[] values : scored.rows()) {
                    Object[] out = new Object[width];
                    for (int i = 0; i < columns; i++) {
                        out[i] = values[i] instanceof LocalDate d && !java8Dates ? java.sql.Date.valueOf(d) : values[i];
                    }
                    finish(out, columns, null, PredictionSchema.SCORED, orders);
                    ready.add(RowFactory.create(out));
                }
                for (BatchScorer.Reject reject : scored.rejects()) {
                    Object[] out = new Object[width];
                    out[0] = reject.line();
                    finish(out, columns, reject.reason(), PredictionSchema.REJECTED, orders);
                    ready.add(RowFactory.create(out));
                }
            }
        };
    }

    private void finish(Object[] out, int columns, String reason, String outcome, boolean orders) {
        System.arraycopy(stamp, 0, out, columns, stamp.length);
        int i = columns + stamp.length;
        out[i++] = reason;
        out[i++] = outcome;
        if (orders) {
            out[i] = java8Dates ? scoredDate : java.sql.Date.valueOf(scoredDate);
        }
    }

    /**
     * A cell as the text the batch parser reads: doubles by {@link Double#toString} (exact round trip), dates ISO,
     * null as empty (the parser then says "value is missing").
     */
    static String text(Object v) {
        return switch (v) {
            case null -> "";
            case String s -> s;
            case java.sql.Date d -> d.toLocalDate().toString();
            default -> v.toString();
        };
    }
}
