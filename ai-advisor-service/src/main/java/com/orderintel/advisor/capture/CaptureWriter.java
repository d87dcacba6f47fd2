package com.orderintel.advisor.capture;

import com.orderintel.advisor.scheduling.DrainingWorker;
import com.orderintel.advisor.model.LoadedModel;
import com.orderintel.advisor.serving.PredictionCapture;
import com.orderintel.advisor.serving.Source;
import com.orderintel.anomaly.AnomalyResult;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.batch.CopyTable;
import com.orderintel.forecast.DemandQuery;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Writes every scored record to the shared PostgreSQL store ({@code scored_orders}, {@code demand_forecasts}),
 * asynchronously: the request thread only offers to a bounded queue (no lock held while writing, never a wait);
 * one background thread drains it in batches of up to {@code batch-size}, one transaction each, written with COPY;
 * a batch retried after an unclear failure that meets rows it already wrote falls back to INSERTs with
 * {@code ON CONFLICT DO NOTHING}, so nothing is written twice. While the
 * database is away the batch in hand is retried with backoff, the queue fills, and what does not fit is dropped and
 * counted ({@code advisor_capture_dropped_total}). On shutdown the queue is flushed (bounded).
 *
 * <p>A batch the database refuses because of what a record holds (SQLSTATE class 22 data exception, 23 constraint
 * violation, 54 program limit) is not retried as it is, which would stall capture for good: it is split in halves,
 * each written (or split again) on its own, until the refused record is alone; that one goes to
 * {@code capture_quarantine} with the database's reason ({@code advisor_capture_quarantined_total}, one log line)
 * and every other record of the batch lands. One refused record in a batch of 1,000 costs about 20 small
 * transactions.
 *
 * <p>Hand-written on JDBC: Spring has no bounded asynchronous batch writer, and a message broker in between would
 * add a component to run for what one thread and a queue do here.
 */
public final class CaptureWriter extends DrainingWorker implements PredictionCapture {

    private static final Logger log = LoggerFactory.getLogger(CaptureWriter.class);
    /** One captured record. */
    sealed interface Row permits OrderRow, ForecastRow, ShadowOrderRow, ShadowForecastRow {
        String predictionId();
    }

    /** {@code trusted}: a trusted source scored it (V8; only such rows are training rows and take labels). */
    record OrderRow(String predictionId, String orderId, Source source, String model, String version, OrderMetrics x,
                    List<String> imputed, boolean anomalous, double score, Instant at, boolean trusted) implements Row { }

    record ForecastRow(String predictionId, Source source, String model, String version, DemandQuery q, double predicted,
                       Instant at, boolean trusted) implements Row { }

    /** The other model's output for a captured prediction (shadow scoring), table shadow_orders (V4). */
    record ShadowOrderRow(String predictionId, String model, String version, boolean anomalous, double score, Instant at)
            implements Row { }

    record ShadowForecastRow(String predictionId, String model, String version, double predicted, Instant at) implements Row { }

    private final DataSource dataSource;
    private final CaptureProperties properties;
    private final String instance;
    private final ArrayBlockingQueue<Row> queue;
    private final Counter written;
    private final Counter dropped;
    private final Counter failures;
    private final Quarantine quarantine;
    /** Each table's columns, declared once: COPY, INSERT and binding all follow these lists. */
    private final CopyTable<OrderRow> orderTable;
    private final CopyTable<ForecastRow> forecastTable;
    private final CopyTable<ShadowOrderRow> shadowOrderTable;
    private final CopyTable<ShadowForecastRow> shadowForecastTable;

    public CaptureWriter(DataSource dataSource, CaptureProperties properties, String instance, MeterRegistry registry) {
        super("capture-writer", properties.retryBackoff());
        this.dataSource = dataSource;
        this.properties = properties;
        this.instance = instance;
        this.queue = new ArrayBlockingQueue<>(properties.bufferCapacity());
        this.written = Counter.builder("advisor.capture.written").description("scored records written to the store")
                .register(registry);
        this.dropped = Counter.builder("advisor.capture.dropped").tag("reason", "buffer_full")
                .description("scored records not captured because the buffer was full (store away or too slow)")
                .register(registry);
        this.failures = Counter.builder("advisor.capture.write.failures")
                .description("failed batch writes (retried, or split to isolate a refused record)").register(registry);
        this.quarantine = new Quarantine(dataSource, instance, properties.retryBackoff(), registry);
        Gauge.builder("advisor.capture.buffered", queue, ArrayBlockingQueue::size)
                .description("scored records waiting to be written").register(registry);
        this.orderTable = CopyTable.of("scored_orders",
                CopyTable.text("prediction_id", OrderRow::predictionId),
                CopyTable.text("order_id", OrderRow::orderId),
                CopyTable.text("source", o -> o.source().label()),
                CopyTable.text("model_name", OrderRow::model),
                CopyTable.text("model_version", OrderRow::version),
                CopyTable.float8("avg_processing_ms", o -> o.x().avgProcessingMs()),
                CopyTable.float8("item_count", o -> o.x().itemCount()),
                CopyTable.float8("payment_score", o -> o.x().paymentScore()),
                CopyTable.textArray("imputed", OrderRow::imputed),
                CopyTable.bool("is_anomaly", OrderRow::anomalous),
                CopyTable.float8("anomaly_score", OrderRow::score),
                CopyTable.text("instance", o -> instance),
                CopyTable.timestamptz("scored_at", OrderRow::at),
                CopyTable.bool("trusted", OrderRow::trusted));
        this.forecastTable = CopyTable.of("demand_forecasts",
                CopyTable.text("prediction_id", ForecastRow::predictionId),
                CopyTable.text("source", f -> f.source().label()),
                CopyTable.text("model_name", ForecastRow::model),
                CopyTable.text("model_version", ForecastRow::version),
                CopyTable.text("product_id", f -> f.q().productId()),
                CopyTable.date("forecast_date", f -> f.q().date()),
                CopyTable.float8("avg_basket_value", f -> f.q().avgBasketValue()),
                CopyTable.int2("promo_flag", f -> f.q().promoFlag()),
                CopyTable.float8("predicted_demand", ForecastRow::predicted),
                CopyTable.text("instance", f -> instance),
                CopyTable.timestamptz("scored_at", ForecastRow::at),
                CopyTable.bool("trusted", ForecastRow::trusted));
        this.shadowOrderTable = CopyTable.of("shadow_orders",
                CopyTable.text("prediction_id", ShadowOrderRow::predictionId),
                CopyTable.text("model_name", ShadowOrderRow::model),
                CopyTable.text("model_version", ShadowOrderRow::version),
                CopyTable.bool("is_anomaly", ShadowOrderRow::anomalous),
                CopyTable.float8("anomaly_score", ShadowOrderRow::score),
                CopyTable.text("instance", o -> instance),
                CopyTable.timestamptz("scored_at", ShadowOrderRow::at));
        this.shadowForecastTable = CopyTable.of("shadow_forecasts",
                CopyTable.text("prediction_id", ShadowForecastRow::predictionId),
                CopyTable.text("model_name", ShadowForecastRow::model),
                CopyTable.text("model_version", ShadowForecastRow::version),
                CopyTable.float8("predicted_demand", ShadowForecastRow::predicted),
                CopyTable.text("instance", f -> instance),
                CopyTable.timestamptz("scored_at", ShadowForecastRow::at));
    }

    @Override
    public void orders(Source source, boolean trusted, LoadedModel<?> model, List<OrderMetrics> orders,
                       List<AnomalyResult> results, List<String> predictionIds, List<List<String>> imputed) {
        Instant now = Instant.now();
        for (int i = 0; i < orders.size(); i++) {
            AnomalyResult r = results.get(i);
            offer(new OrderRow(predictionIds.get(i), orders.get(i).orderId(), source, model.name(), model.version(),
                    orders.get(i), imputed.get(i), r.anomalous(), r.score(), now, trusted));
        }
    }

    @Override
    public void forecasts(Source source, boolean trusted, LoadedModel<?> model, List<DemandQuery> queries,
                          List<Double> predicted, List<String> predictionIds) {
        Instant now = Instant.now();
        for (int i = 0; i < queries.size(); i++) {
            offer(new ForecastRow(predictionIds.get(i), source, model.name(), model.version(), queries.get(i),
                    predicted.get(i), now, trusted));
        }
    }

    @Override
    public void shadowOrders(LoadedModel<?> model, List<String> predictionIds, List<AnomalyResult> results) {
        Instant now = Instant.now();
        for (int i = 0; i < results.size(); i++) {
            offer(new ShadowOrderRow(predictionIds.get(i), model.name(), model.version(), results.get(i).anomalous(),
                    results.get(i).score(), now));
        }
    }

    @Override
    public void shadowForecasts(LoadedModel<?> model, List<String> predictionIds, List<Double> predicted) {
        Instant now = Instant.now();
        for (int i = 0; i < predicted.size(); i++) {
            offer(new ShadowForecastRow(predictionIds.get(i), model.name(), model.version(), predicted.get(i), now));
        }
    }

    private void offer(Row row) {
        if (!queue.offer(row)) {
            dropped.increment();
        }
    }

    @Override
    protected void drain() {
        List<Row> batch = new ArrayList<>(properties.batchSize());
        long flushNanos = properties.flushInterval().toNanos();
        while (isRunning() || !queue.isEmpty()) {
            try {
                Row first = queue.poll(flushNanos, TimeUnit.NANOSECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                fill(batch, System.nanoTime() + flushNanos);
                writeWithRetry(batch);
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Gathers up to {@code batch-size} records, waiting at most until {@code deadline} (the first record's
     * {@code flush-interval}): one COPY and one commit for many records instead of one per handful. The writer naps
     * between looks rather than waiting on the queue, so offering a record never has to wake it.
     */
    private void fill(List<Row> batch, long deadline) {
        int size = properties.batchSize();
        while (true) {
            queue.drainTo(batch, size - batch.size());
            long left = deadline - System.nanoTime();
            if (batch.size() >= size || left <= 0 || !isRunning()) {
                return;
            }
            LockSupport.parkNanos(Math.min(left, FILL_NAP_NANOS));
        }
    }

    private static final long FILL_NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /**
     * Retries the same batch until it is written or the writer stops (then it is counted as dropped); a batch the
     * database refuses for a record's content is split instead (see the class comment).
     */
    private void writeWithRetry(List<Row> batch) throws InterruptedException {
        while (true) {
            try {
                write(batch);
                written.increment(batch.size());
                return;
            } catch (SQLException | RuntimeException e) {
                failures.increment();
                if (e instanceof SQLException sql && Quarantine.refused(sql)) {
                    isolate(batch, sql);
                    return;
                }
                if (!isRunning()) {
                    dropped.increment(batch.size());
                    log.warn("capture: {} records not written at shutdown: {}", batch.size(), firstLine(e));
                    return;
                }
                log.warn("capture: writing {} records failed, retrying in {}: {}", batch.size(), properties.retryBackoff(),
                        firstLine(e));
                Thread.sleep(properties.retryBackoff().toMillis());
            }
        }
    }

    /** Writes the halves of a refused batch on their own; a refused single record goes to the quarantine. */
    private void isolate(List<Row> batch, SQLException refusal) throws InterruptedException {
        if (batch.size() == 1) {
            quarantine(batch.getFirst(), refusal);
            return;
        }
        int half = batch.size() / 2;
        writeWithRetry(new ArrayList<>(batch.subList(0, half)));
        writeWithRetry(new ArrayList<>(batch.subList(half, batch.size())));
    }

    /** Stores the refused record with the reason in the quarantine, counted and logged once. */
    private void quarantine(Row row, SQLException refusal) throws InterruptedException {
        String table = switch (row) {
            case OrderRow o -> orderTable.table();
            case ForecastRow f -> forecastTable.table();
            case ShadowOrderRow o -> shadowOrderTable.table();
            case ShadowForecastRow f -> shadowForecastTable.table();
        };
        quarantine.put(table, row.predictionId(), row, refusal, this::isRunning);
    }

    private void write(List<Row> batch) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                copy(c, batch);
                c.commit();
                return;
            } catch (SQLException e) {
                c.rollback();
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
                // part of this batch was written by an attempt whose outcome was unclear: insert, skipping what is there
            }
            insertIgnoringDuplicates(c, batch);
        }
    }

    private static final String UNIQUE_VIOLATION = "23505";
    /**
     * The fast path: COPY (text format) straight into the tables, a fraction of PostgreSQL's per-row cost of an
     * INSERT, which matters when the database shares the service's cores.
     */
    private void copy(Connection c, List<Row> batch) throws SQLException {
        StringBuilder orders = new StringBuilder();
        StringBuilder forecasts = new StringBuilder();
        StringBuilder shadowOrders = new StringBuilder();
        StringBuilder shadowForecasts = new StringBuilder();
        for (Row row : batch) {
            switch (row) {
                case OrderRow o -> orderTable.append(orders, o);
                case ForecastRow f -> forecastTable.append(forecasts, f);
                case ShadowOrderRow o -> shadowOrderTable.append(shadowOrders, o);
                case ShadowForecastRow f -> shadowForecastTable.append(shadowForecasts, f);
            }
        }
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        copyIn(copy, orderTable, orders);
        copyIn(copy, forecastTable, forecasts);
        copyIn(copy, shadowOrderTable, shadowOrders);
        copyIn(copy, shadowForecastTable, shadowForecasts);
    }

    /**
     * One COPY of the batch's lines, written as one UTF-8 block through the driver's low-level API: its
     * {@code copyIn(sql, Reader)} allocates 64k-char and byte buffers on every call, which was over half of the
     * service's allocation under event load.
     */
    private static void copyIn(CopyManager copy, CopyTable<?> table, StringBuilder lines) throws SQLException {
        if (lines.isEmpty()) {
            return;
        }
        byte[] bytes = lines.toString().getBytes(StandardCharsets.UTF_8);
        CopyIn in = copy.copyIn(table.copySql());
        try {
            in.writeToCopy(bytes, 0, bytes.length);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private static final String SKIP_WRITTEN = "ON CONFLICT (prediction_id) DO NOTHING";

    /** The slow path after an unclear failure: batched INSERTs that skip rows already written. */
    private void insertIgnoringDuplicates(Connection c, List<Row> batch) throws SQLException {
        try (PreparedStatement orders = c.prepareStatement(orderTable.insertSql(SKIP_WRITTEN));
             PreparedStatement forecasts = c.prepareStatement(forecastTable.insertSql(SKIP_WRITTEN));
             PreparedStatement shadowOrders = c.prepareStatement(shadowOrderTable.insertSql(SKIP_WRITTEN));
             PreparedStatement shadowForecasts = c.prepareStatement(shadowForecastTable.insertSql(SKIP_WRITTEN))) {
            int nOrders = 0;
            int nForecasts = 0;
            int nShadow = 0;
            for (Row row : batch) {
                switch (row) {
                    case OrderRow o -> {
                        orderTable.bind(orders, o);
                        orders.addBatch();
                        nOrders++;
                    }
                    case ForecastRow f -> {
                        forecastTable.bind(forecasts, f);
                        forecasts.addBatch();
                        nForecasts++;
                    }
                    case ShadowOrderRow o -> {
                        shadowOrderTable.bind(shadowOrders, o);
                        shadowOrders.addBatch();
                        nShadow++;
                    }
                    case ShadowForecastRow f -> {
                        shadowForecastTable.bind(shadowForecasts, f);
                        shadowForecasts.addBatch();
                        nShadow++;
                    }
                }
            }
            if (nShadow > 0) {
                shadowOrders.executeBatch();
                shadowForecasts.executeBatch();
            }
            if (nOrders > 0) {
                orders.executeBatch();
            }
            if (nForecasts > 0) {
                forecasts.executeBatch();
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
    }

    private static String firstLine(Exception e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
    }

    /** Records waiting to be written (for tests and the gauge). */
    public int buffered() {
        return queue.size();
    }
}
