package com.orderintel.batch;

import com.orderintel.dataset.CsvRows;
import com.orderintel.dataset.DataException;
import com.orderintel.registry.ServableModel;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.PrintWriter;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Scores a whole input with one model and writes the predictions to PostgreSQL ({@code order_anomalies} or
 * {@code order_forecasts}), each row stamped with model name, version, commit and run id.
 *
 * <p>Each chunk is one transaction: COPY into a temporary staging table, insert into the target, rejected rows
 * into {@code inference_rejects}, and the run's counters and resume point ({@code last_line}) - so a crash or a
 * failing row leaves only whole chunks, and running the same run id again resumes after the last committed
 * chunk (or, for a run that had succeeded, redoes it; upserts mean no duplicates either way). The insert is a
 * plain {@code INSERT ... SELECT} while the chunk's keys are new and falls back to the upsert (inside the same
 * transaction, via a savepoint) when one exists. The next chunk is parsed and scored while the previous one is
 * written, by one writer thread; chunks still commit one at a time and in input order.
 */
public final class BatchInference {

    public enum OnBadRow { SKIP, FAIL }

    /** What to run. {@code runId} null means: derived from model and input, so re-running the same job is idempotent. */
    public record Job(ServableModel model, Path csv, String inputTable, String runId, int chunkSize, OnBadRow onBadRow,
                      ChunkScorer scorer) {
        /** A job that scores with the model directly. */
        public Job(ServableModel model, Path csv, String inputTable, String runId, int chunkSize, OnBadRow onBadRow) {
            this(model, csv, inputTable, runId, chunkSize, onBadRow, ChunkScorer.direct());
        }

        public Job {
            if ((csv == null) == (inputTable == null)) {
                throw new DataException("give exactly one input: --data FILE or --input-table TABLE");
            }
            if (chunkSize < 1 || chunkSize > 1_000_000) {
                throw new DataException("--chunk-size must be between 1 and 1000000, got " + chunkSize);
            }
        }
    }

    public record Summary(String runId, String status, long rowsRead, long rowsWritten, long rowsSkipped,
                          boolean resumed, Duration took) { }

    private final DataSource dataSource;
    private final PrintWriter progress;

    /** Connections come from {@code dataSource} (the service's pool, or a plain driver source in the CLI). */
    public BatchInference(DataSource dataSource, PrintWriter progress) {
        this.dataSource = dataSource;
        this.progress = progress;
    }

    /** Scores the job into the tables of capture-store's schema, which the caller has migrated ({@code Schema}). */
    public Summary run(Job job) {
        long start = System.nanoTime();
        PredictionSink sink = PredictionSink.of(job.model());
        try (Connection c = dataSource.getConnection()) {
            BatchInput input = job.csv() != null ? new BatchInput.Csv(job.csv())
                    : new BatchInput.Table(dataSource.getConnection(), job.inputTable());
            String runId = job.runId() != null ? job.runId() : defaultRunId(sink, input);
            Start begun = begin(c, runId, sink, input);
            Chunker chunker = new Chunker(c, runId, sink, job, begun.counters, begun.redo);
            try {
                input.forEach(begun.after, sink.columns(), chunker::accept);
                chunker.finish();
            } catch (RuntimeException e) {
                chunker.abandon();
                fail(c, runId, e.getMessage());
                throw e instanceof DataException ? e : new DataException("run " + runId + " failed: " + e.getMessage(), e);
            } finally {
                if (input instanceof BatchInput.Table t) {
                    t.connection().close();
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE inference_runs SET status = 'SUCCEEDED', finished_at = now(), error = NULL WHERE run_id = ?")) {
                ps.setString(1, runId);
                ps.executeUpdate();
            }
            c.commit();
            Counters n = chunker.counters;
            return new Summary(runId, "SUCCEEDED", n.read, n.written, n.skipped, begun.after > 0,
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (SQLException e) {
            // no URL in the message: it may carry credentials
            throw new DataException("database error: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
        }
    }

    private static String defaultRunId(PredictionSink sink, BatchInput input) {
        String source = input instanceof BatchInput.Csv csv
                ? com.orderintel.registry.Checksums.sha256(csv.file()).substring(0, 12)
                : com.orderintel.registry.Checksums.sha256(input.describe().getBytes()).substring(0, 12);
        return sink.manifest.name() + "-" + sink.manifest.version() + "-" + source;
    }

    static final class Counters {
        long read;
        long written;
        long skipped;
        int chunks;
    }

    private record Start(long after, Counters counters, boolean redo) { }

    /** Registers the run, or picks up an existing one: resume a failed/interrupted run, redo a succeeded one. */
    private Start begin(Connection c, String runId, PredictionSink sink, BatchInput input) throws SQLException {
        Optional<RunHistory.Run> existing = RunHistory.find(c, runId);
        Counters counters = new Counters();
        if (existing.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO inference_runs (run_id, task, model_name, model_version, "
                    + "model_commit, input, status, started_at) VALUES (?, ?, ?, ?, ?, ?, 'RUNNING', now())")) {
                ps.setString(1, runId);
                ps.setString(2, sink.task());
                ps.setString(3, sink.manifest.name());
                ps.setString(4, sink.manifest.version());
                ps.setString(5, sink.manifest.gitCommit());
                ps.setString(6, input.describe());
                ps.executeUpdate();
            }
            return new Start(0, counters, false);
        }
        RunHistory.Run run = existing.get();
        if (!run.modelName().equals(sink.manifest.name()) || !run.modelVersion().equals(sink.manifest.version())) {
            throw new DataException("run '" + runId + "' was made with " + run.modelName() + " " + run.modelVersion()
                    + ", not " + sink.manifest.name() + " " + sink.manifest.version() + "; use another --run-id");
        }
        boolean redo = run.status().equals("SUCCEEDED");
        long after = redo ? 0 : run.lastLine();
        if (!redo) {
            counters.read = run.rowsRead();
            counters.written = run.rowsWritten();
            counters.skipped = run.rowsSkipped();
            counters.chunks = run.chunksCommitted();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE inference_runs SET status = 'RUNNING', error = NULL, "
                + "finished_at = NULL, started_at = now() WHERE run_id = ?")) {
            ps.setString(1, runId);
            ps.executeUpdate();
        }
        saveProgress(c, runId, counters, after);
        if (after > 0) {
            progress.printf(Locale.ROOT, "resuming run %s after line %d (%d rows already written)%n", runId, after, counters.written);
        }
        return new Start(after, counters, redo);
    }

    /** The run's counters and resume point (the last input line whose chunk is committed). */
    private static void saveProgress(Connection c, String runId, Counters counters, long lastLine) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE inference_runs SET rows_read = ?, rows_written = ?, "
                + "rows_skipped = ?, chunks_committed = ?, last_line = ? WHERE run_id = ?")) {
            ps.setLong(1, counters.read);
            ps.setLong(2, counters.written);
            ps.setLong(3, counters.skipped);
            ps.setInt(4, counters.chunks);
            ps.setLong(5, lastLine);
            ps.setString(6, runId);
            ps.executeUpdate();
        }
    }

    private static void fail(Connection c, String runId, String error) {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE inference_runs SET status = 'FAILED', finished_at = now(), error = ? WHERE run_id = ?")) {
            ps.setString(1, error);
            ps.setString(2, runId);
            ps.executeUpdate();
        } catch (SQLException e) {
            // the run row stays RUNNING; a re-run resumes from its last committed chunk all the same
        }
    }

    /** One chunk ready to write: its COPY bytes (null when every row was rejected), rejects, and where it ends. */
    private record Chunk(byte[] copy, List<Long> rejectLines, List<String> rejectReasons, int rows, int scored, long lastLine) { }

    /**
     * Collects parsed rows and rejects, scores them per chunk and writes one chunk per transaction. Writing runs on
     * one writer thread so the next chunk is parsed and scored while the previous one is copied and committed; at
     * most one chunk is in flight, and chunks commit strictly in order, each with its resume point.
     */
    private final class Chunker {
        private final Connection c;
        private final String runId;
        private final PredictionSink sink;
        private final Job job;
        private final Counters counters;
        private final List<Object> parsed = new ArrayList<>();
        private final List<Long> parsedLines = new ArrayList<>();
        private final List<Long> rejectLines = new ArrayList<>();
        private final List<String> rejectReasons = new ArrayList<>();
        private final CopyManager copier;
        private final ExecutorService writer;
        private Future<?> pending;
        /** Use the upsert straight away: after a redo (every key exists) or two chunks in a row that had existing keys. */
        private boolean upsertOnly;
        private int conflictsInARow;
        private int inChunk;
        private long lastLine;
        private long lastReport = System.nanoTime();
        private final long started = System.nanoTime();
        private final long readAtStart;

        Chunker(Connection c, String runId, PredictionSink sink, Job job, Counters counters, boolean redo) throws SQLException {
            this.c = c;
            this.runId = runId;
            this.sink = sink;
            this.job = job;
            this.counters = counters;
            this.readAtStart = counters.read;
            this.upsertOnly = redo;
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute(sink.stagingDdl());
            }
            c.commit();
            this.copier = c.unwrap(PGConnection.class).getCopyAPI();
            this.writer = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "batch-writer-" + runId);
                t.setDaemon(true);
                return t;
            });
        }

        void accept(CsvRows.Row row) {
            lastLine = row.line();
            inChunk++;
            try {
                parsed.add(sink.parse(row));
                parsedLines.add(row.line());
            } catch (DataException e) {
                if (job.onBadRow() == OnBadRow.FAIL) {
                    throw new DataException(e.getMessage() + " (run " + runId + " stopped; fix the row and run it again to resume)");
                }
                rejectLines.add(row.line());
                rejectReasons.add(e.getMessage());
            }
            if (inChunk >= job.chunkSize()) {
                flush();
            }
        }

        /** Scores the collected rows on this thread, then hands the chunk to the writer once the previous one is committed. */
        void flush() {
            if (inChunk == 0) {
                return;
            }
            int scored = inChunk - rejectLines.size();
            byte[] copy = scored > 0 ? sink.score(parsed, parsedLines, job.scorer()) : null;
            Chunk chunk = new Chunk(copy, List.copyOf(rejectLines), List.copyOf(rejectReasons), inChunk, scored, lastLine);
            parsed.clear();
            parsedLines.clear();
            rejectLines.clear();
            rejectReasons.clear();
            inChunk = 0;
            awaitWrite();
            report();
            pending = writer.submit(() -> write(chunk));
        }

        /** Flushes the last rows and waits until every chunk is committed. */
        void finish() {
            flush();
            awaitWrite();
            writer.shutdown();
        }

        private void awaitWrite() {
            if (pending == null) {
                return;
            }
            try {
                pending.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DataException("run " + runId + " interrupted", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new DataException(String.valueOf(e.getCause()), e.getCause());
            } finally {
                pending = null;
            }
        }

        private void write(Chunk k) {
            try {
                try (Statement st = c.createStatement()) {
                    // the chunk and its resume point commit together, so a crash that loses the last commits only
                    // makes a re-run redo those chunks; not waiting for the WAL flush saves a disk sync per chunk
                    st.execute("SET LOCAL synchronous_commit = off");
                }
                if (k.scored() > 0) {
                    copier.copyIn(sink.copySql(), new ByteArrayInputStream(k.copy()));
                    insert();
                }
                if (!k.rejectLines().isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO inference_rejects (run_id, line, reason) VALUES (?, ?, ?) "
                            + "ON CONFLICT (run_id, line) DO UPDATE SET reason = EXCLUDED.reason")) {
                        for (int i = 0; i < k.rejectLines().size(); i++) {
                            ps.setString(1, runId);
                            ps.setLong(2, k.rejectLines().get(i));
                            ps.setString(3, k.rejectReasons().get(i));
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                }
                Counters next = new Counters();
                next.read = counters.read + k.rows();
                next.written = counters.written + k.scored();
                next.skipped = counters.skipped + k.rejectLines().size();
                next.chunks = counters.chunks + 1;
                saveProgress(c, runId, next, k.lastLine());
                c.commit();
                counters.read = next.read;
                counters.written = next.written;
                counters.skipped = next.skipped;
                counters.chunks = next.chunks;
            } catch (Exception e) {
                rollback();
                throw new DataException("run " + runId + ": writing the chunk ending at line " + k.lastLine() + " failed: "
                        + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
            }
        }

        /** Staging -> target: the plain insert when the chunk's keys are new, else (unique violation) the upsert. */
        private void insert() throws SQLException {
            if (!upsertOnly) {
                Savepoint before = c.setSavepoint();
                try {
                    execute(sink.insertSql());
                    c.releaseSavepoint(before);
                    conflictsInARow = 0;
                    return;
                } catch (SQLException e) {
                    if (!"23505".equals(e.getSQLState())) {
                        throw e;
                    }
                    c.rollback(before);
                    upsertOnly = ++conflictsInARow >= 2;
                }
            }
            execute(sink.upsertSql());
        }

        private void execute(String sql) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, runId);
                ps.setString(2, sink.manifest.name());
                ps.setString(3, sink.manifest.version());
                ps.setString(4, sink.manifest.gitCommit());
                ps.executeUpdate();
            }
        }

        /** Stops after a failure: lets the chunk in flight commit or fail, then rolls back whatever is open. */
        void abandon() {
            try {
                awaitWrite();
            } catch (RuntimeException ignored) {
                // already rolled back by the writer; the caller reports the first failure
            }
            writer.shutdown();
            rollback();
        }

        private void rollback() {
            try {
                c.rollback();
                c.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the connection is closed by the caller; nothing of this chunk was committed
            }
        }

        private void report() {
            long now = System.nanoTime();
            if (now - lastReport < 2_000_000_000L) {
                return;
            }
            lastReport = now;
            double secs = (now - started) / 1e9;
            double rate = (counters.read - readAtStart) / secs;
            progress.printf(Locale.ROOT, "run %s: %,d rows (%,d skipped), %,.0f rows/s, line %d%n", runId, counters.read,
                    counters.skipped, rate, lastLine);
        }
    }
}
