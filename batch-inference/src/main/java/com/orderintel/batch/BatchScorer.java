package com.orderintel.batch;

import com.orderintel.dataset.CsvRows;
import com.orderintel.dataset.DataException;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ServableModel;

import java.util.ArrayList;
import java.util.List;

/**
 * A batch run's parse-validate-score step for callers that bring their own rows and write the results themselves
 * (spark-jobs' executors, partition by partition): the same row rules, rejects and scoring as {@link BatchInference}'s
 * chunks, with the predictions as the values of the run's staging table ({@link #columns()}: line, key, features,
 * prediction). Not thread-safe: one per thread (or Spark task); the model it wraps is shared.
 */
public final class BatchScorer {

    /** An output column: name and PostgreSQL type (bigint, text, float8, boolean, smallint, date). */
    public record Column(String name, String sqlType) { }

    /** A row that was not scored: its line and why (names the column and the rule). */
    public record Reject(long line, String reason) { }

    /** A chunk's outcome: the scored rows' values in {@link #columns()} order, input order kept, and the rejects. */
    public record Scored(List<Object[]> rows, List<Reject> rejects) { }

    private final PredictionSink sink;
    private final ChunkScorer scorer;

    private BatchScorer(PredictionSink sink, ChunkScorer scorer) {
        this.sink = sink;
        this.scorer = scorer;
    }

    /** Scores with {@code scorer}; a model of a task without a batch form is refused (IllegalArgumentException). */
    public static BatchScorer of(ServableModel model, ChunkScorer scorer) {
        return new BatchScorer(PredictionSink.of(model), scorer);
    }

    /** {@code anomaly} or {@code demand}. */
    public String task() {
        return sink.task();
    }

    public ModelManifest manifest() {
        return sink.manifest;
    }

    /** The input columns a row must have. */
    public List<String> inputColumns() {
        return sink.columns();
    }

    public List<Column> columns() {
        return sink.stagedColumns().stream().map(c -> new Column(c.name(), c.sqlType())).toList();
    }

    /** Parses, validates and scores the rows; a hostile row becomes a reject, never an exception. */
    public Scored score(List<CsvRows.Row> rows) {
        List<Object> parsed = new ArrayList<>(rows.size());
        List<Long> lines = new ArrayList<>(rows.size());
        List<Reject> rejects = new ArrayList<>();
        for (CsvRows.Row row : rows) {
            try {
                parsed.add(sink.parse(row));
                lines.add(row.line());
            } catch (DataException e) {
                rejects.add(new Reject(row.line(), e.getMessage()));
            }
        }
        List<Object[]> out = new ArrayList<>(parsed.size());
        if (!parsed.isEmpty()) {
            for (Object staged : sink.scoreRows(parsed, lines, scorer)) {
                out.add(sink.values(staged));
            }
        }
        return new Scored(out, rejects);
    }
}
