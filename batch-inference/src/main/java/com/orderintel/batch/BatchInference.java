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

    /** Creates or upgrades the tables ({@link Schema}). */
    public void migrate() {
        Schema.migrate(dataSource);
    }

    public Summary run(Job job) {
        migrate();
        long start = System.nanoTime();
        PredictionSink sink = PredictionSink.of(job.model());
        try (Connection c = dataSource.getConnection()) {
            BatchInput input = job.csv() != null ? new BatchInput.Csv(job.csv())
                    : new BatchInput.Table(dataSource.getConnection(), job.inputTable());
            String runId = job.runId() != null ? job.runId() : defaultRunId(sink, input);
            Start begun = begin(c, runId, sink, input);
            Chunker chunker = new Chunker(c, runId, sink, job, begun.counters, begun.after, begun.redo);
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
            if (!c.getAutoCommit()) {
                c.commit();
            }
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

    /**
     * One chunk ready to write: its COPY bytes (null when every row was rejected), rejects, where it ends, the resume
     * point it must follow ({@code after}) and the run's counters once it is committed.
     */
    private record Chunk(byte[] copy, List<Long> rejectLines, List<String> rejectReasons, int scored, long after,
                         long lastLine, Counters then) { }

    /** A chunk that lost a race with the chunk before it (deadlock, or that chunk rolled back): write it again alone. */
    private static final class WriteAgain extends RuntimeException {
        WriteAgain(Throwable cause) {
            super(cause);
        }
    }

    /** Chunks written at the same time, each on its own connection: PostgreSQL inserts with one core per connection. */
    private static final int WRITERS = 2;

    /**
     * Collects parsed rows and rejects, scores them per chunk and writes one chunk per transaction. Writing runs on
     * {@link #WRITERS} writer threads, each with its own connection, so the next chunk is parsed and scored while
     * earlier ones are copied and inserted. Chunks still commit strictly in input order: each transaction ends by
     * moving the run's resume point from the previous chunk's last line to its own ({@code UPDATE ... WHERE
     * last_line = previous}), which waits for the previous chunk's commit (row lock) and updates nothing if that
     * chunk rolled back - then this one rolls back too and is written again once the previous one is in.
     */
    private final class Chunker {
        private final String runId;
        private final PredictionSink sink;
        private final Job job;
        private final Counters counters;
        private final Counters planned = new Counters();
        private final List<Object> parsed = new ArrayList<>();
        private final List<Long> parsedLines = new ArrayList<>();
        private final List<Long> rejectLines = new ArrayList<>();
        private final List<String> rejectReasons = new ArrayList<>();
        private final Writer[] writers = new Writer[WRITERS];
        private final java.util.ArrayDeque<InFlight> inFlight = new java.util.ArrayDeque<>();
        private record InFlight(Chunk chunk, Writer writer, Future<?> done) { }
        /** Use the upsert straight away: after a redo (every key exists) or two chunks in a row that had existing keys. */
        private volatile boolean upsertOnly;
        private final java.util.concurrent.atomic.AtomicInteger conflictsInARow = new java.util.concurrent.atomic.AtomicInteger();
        private int inChunk;
        private long chunks;
        private long lastLine;
        private long planAfter;
        private long lastReport = System.nanoTime();
        private final long started = System.nanoTime();
        private final long readAtStart;

        Chunker(Connection c, String runId, PredictionSink sink, Job job, Counters counters, long after, boolean redo)
                throws SQLException {
            this.runId = runId;
            this.sink = sink;
            this.job = job;
            this.counters = counters;
            this.readAtStart = counters.read;
            this.upsertOnly = redo;
            this.planAfter = after;
            planned.read = counters.read;
            planned.written = counters.written;
            planned.skipped = counters.skipped;
            planned.chunks = counters.chunks;
            for (int i = 0; i < WRITERS; i++) {
                writers[i] = new Writer(i == 0 ? c : dataSource.getConnection(), i > 0);
            }
        }

        /** One connection with its staging table and its thread. */
        private final class Writer {
            final Connection c;
            final boolean own;
            final CopyManager copier;
            final ExecutorService thread;

            Writer(Connection c, boolean own) throws SQLException {
                this.c = c;
                this.own = own;
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    st.execute(sink.stagingDdl());
                }
                c.commit();
                this.copier = c.unwrap(PGConnection.class).getCopyAPI();
                this.thread = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "batch-writer-" + runId);
                    t.setDaemon(true);
                    return t;
                });
            }

            void write(Chunk k) {
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
                        try (PreparedStatement ps = c.prepareStatement("INSERT INTO inference_rejects (run_id, line, reason) "
                                + "VALUES (?, ?, ?) ON CONFLICT (run_id, line) DO UPDATE SET reason = EXCLUDED.reason")) {
                            for (int i = 0; i < k.rejectLines().size(); i++) {
                                ps.setString(1, runId);
                                ps.setLong(2, k.rejectLines().get(i));
                                ps.setString(3, k.rejectReasons().get(i));
                                ps.addBatch();
                            }
                            ps.executeBatch();
                        }
                    }
                    if (!moveResumePoint(k)) {
                        rollback();
                        throw new WriteAgain(null);
                    }
                    c.commit();
                } catch (SQLException e) {
                    rollback();
                    if ("40P01".equals(e.getSQLState())) { // two chunks in flight repeat a key: write it alone
                        throw new WriteAgain(e);
                    }
                    throw failed(k, e);
                } catch (java.io.IOException e) {
                    rollback();
                    throw failed(k, e);
                }
            }

            private DataException failed(Chunk k, Exception e) {
                return new DataException("run " + runId + ": writing the chunk ending at line " + k.lastLine() + " failed: "
                        + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
            }

            /** The resume point moves from the previous chunk's last line to this one's, or not at all. */
            private boolean moveResumePoint(Chunk k) throws SQLException {
                try (PreparedStatement ps = c.prepareStatement("UPDATE inference_runs SET rows_read = ?, rows_written = ?, "
                        + "rows_skipped = ?, chunks_committed = ?, last_line = ? WHERE run_id = ? AND last_line = ?")) {
                    ps.setLong(1, k.then().read);
                    ps.setLong(2, k.then().written);
                    ps.setLong(3, k.then().skipped);
                    ps.setInt(4, k.then().chunks);
                    ps.setLong(5, k.lastLine());
                    ps.setString(6, runId);
                    ps.setLong(7, k.after());
                    return ps.executeUpdate() == 1;
                }
            }

            /** Staging -> target: the plain insert when the chunk's keys are new, else (unique violation) the upsert. */
            private void insert() throws SQLException {
                if (!upsertOnly) {
                    Savepoint before = c.setSavepoint();
                    try {
                        execute(sink.insertSql());
                        c.releaseSavepoint(before);
                        conflictsInARow.set(0);
                        return;
                    } catch (SQLException e) {
                        if (!"23505".equals(e.getSQLState())) {
                            throw e;
                        }
                        c.rollback(before);
                        if (conflictsInARow.incrementAndGet() >= 2) {
                            upsertOnly = true;
                        }
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

            void rollback() {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // nothing of this chunk was committed; the connection is closed at the end
                }
            }

            void close() {
                thread.shutdown();
                rollback();
                try {
                    c.setAutoCommit(true);
                    if (own) {
                        c.close();
                    }
                } catch (SQLException ignored) {
                    // closing after a failure: the failure is what gets reported
                }
            }
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

        /** Scores the collected rows on this thread, then hands the chunk to the next writer once it is free. */
        void flush() {
            if (inChunk == 0) {
                return;
            }
            int scored = inChunk - rejectLines.size();
            byte[] copy = scored > 0 ? sink.score(parsed, parsedLines, job.scorer()) : null;
            Counters then = new Counters();
            then.read = planned.read += inChunk;
            then.written = planned.written += scored;
            then.skipped = planned.skipped += rejectLines.size();
            then.chunks = ++planned.chunks;
            Chunk chunk = new Chunk(copy, List.copyOf(rejectLines), List.copyOf(rejectReasons), scored, planAfter, lastLine, then);
            planAfter = lastLine;
            parsed.clear();
            parsedLines.clear();
            rejectLines.clear();
            rejectReasons.clear();
            inChunk = 0;
            while (inFlight.size() >= WRITERS) {
                awaitOldest();
            }
            report();
            Writer w = writers[(int) (chunks++ % WRITERS)];
            inFlight.addLast(new InFlight(chunk, w, w.thread.submit(() -> w.write(chunk))));
        }

        /** Flushes the last rows and waits until every chunk is committed. */
        void finish() {
            flush();
            while (!inFlight.isEmpty()) {
                awaitOldest();
            }
            for (Writer w : writers) {
                w.close();
            }
        }

        /**
         * Waits for the oldest chunk in flight. One that lost a race (it and a later chunk repeat a key and deadlocked,
         * or the chunk before it rolled back) is written again, alone; the later ones in flight cannot commit before
         * it (their resume-point update needs its last line), so they are waited for and written again after it.
         */
        private void awaitOldest() {
            InFlight oldest = inFlight.removeFirst();
            if (settled(oldest)) {
                count(oldest);
                return;
            }
            List<InFlight> later = new ArrayList<>(inFlight);
            inFlight.clear();
            for (InFlight f : later) {
                settled(f);
            }
            rewrite(oldest);
            for (InFlight f : later) {
                rewrite(f);
            }
        }

        /** True when the chunk committed, false when it has to be written again; a real failure is thrown. */
        private boolean settled(InFlight f) {
            try {
                f.done().get();
                return true;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof WriteAgain) {
                    return false;
                }
                throw e.getCause() instanceof RuntimeException r ? r : new DataException(String.valueOf(e.getCause()), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DataException("run " + runId + " interrupted", e);
            }
        }

        /** Writes a chunk again with nothing else in flight. */
        private void rewrite(InFlight f) {
            InFlight again = new InFlight(f.chunk(), f.writer(), f.writer().thread.submit(() -> f.writer().write(f.chunk())));
            if (!settled(again)) {
                throw new DataException("run " + runId + ": the resume point moved while writing the chunk ending at line "
                        + f.chunk().lastLine() + "; is another process running the same run id?");
            }
            count(again);
        }

        private void count(InFlight f) {
            Counters then = f.chunk().then();
            counters.read = then.read;
            counters.written = then.written;
            counters.skipped = then.skipped;
            counters.chunks = then.chunks;
        }

        /** Stops after a failure: lets the chunks in flight commit or roll back, then releases the writers. */
        void abandon() {
            while (!inFlight.isEmpty()) {
                try {
                    awaitOldest();
                } catch (RuntimeException ignored) {
                    // rolled back by its writer; the caller reports the first failure, the resume point is consistent
                }
            }
            for (Writer w : writers) {
                w.close();
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
