package com.orderintel.advisor.batch;

import com.orderintel.advisor.model.LoadedModel;
import com.orderintel.advisor.model.ServedModels;
import com.orderintel.advisor.serving.ServingPipeline;
import com.orderintel.advisor.serving.ServingTask;
import com.orderintel.advisor.serving.Source;
import com.orderintel.anomaly.AnomalyDetector;
import com.orderintel.anomaly.AnomalyResult;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.batch.ChunkScorer;
import com.orderintel.forecast.DemandForecaster;
import com.orderintel.forecast.DemandQuery;
import com.orderintel.advisor.model.ModelSlot;
import com.orderintel.batch.BatchInference;
import com.orderintel.batch.RunHistory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Runs batch inference on {@code advisor.batch.cron} with the model this instance serves, and exposes
 * {@code advisor_batch_last_success_timestamp_seconds} (read from the run table, so runs made by the CLI count).
 */
@Component
@ConditionalOnProperty(name = "spring.datasource.url")
public class BatchScheduler {

    private static final Logger log = LoggerFactory.getLogger(BatchScheduler.class);

    private final BatchInference batch;
    private final BatchProperties properties;
    private final ServedModels models;
    private final ServingPipeline pipeline;
    private final Counter runsStarted;

    public BatchScheduler(BatchInference batch, BatchProperties properties, ServedModels models, ServingPipeline pipeline,
                          DataSource dataSource, MeterRegistry registry) {
        this.batch = batch;
        this.properties = properties;
        this.models = models;
        this.pipeline = pipeline;
        this.runsStarted = Counter.builder("advisor.batch.scheduled.runs")
                .description("scheduled batch runs this replica started (holding the cluster-wide lock)").register(registry);
        Gauge.builder("advisor.batch.last.success.timestamp", dataSource, BatchScheduler::lastSuccess)
                .description("end time of the last successful batch inference run (epoch seconds)")
                .baseUnit("seconds").register(registry);
    }

    /**
     * Every replica's scheduler fires; only the one that takes the lock row runs. lockAtLeastFor keeps the lock past
     * a quick run so a replica whose clock fires a little later does not run the same schedule again.
     */
    @Scheduled(cron = "${advisor.batch.cron:-}")
    @SchedulerLock(name = "advisor-batch-scheduled-run", lockAtLeastFor = "${advisor.batch.lock-at-least-for:PT1M}",
            lockAtMostFor = "${advisor.batch.lock-at-most-for:PT2H}")
    public void scheduledRun() {
        runsStarted.increment();
        if (properties.input() == null) {
            log.warn("advisor.batch.cron is set but advisor.batch.input is not; skipping the scheduled run");
            return;
        }
        ModelSlot<?> slot = "demand".equals(properties.model()) ? ModelSlot.DEMAND : ModelSlot.ANOMALY;
        LoadedModel<?> model = models.snapshot().get(slot).orElse(null);
        if (model == null) {
            log.warn("scheduled batch run skipped: no {} model is loaded", properties.model());
            return;
        }
        String runId = "scheduled-" + model.name() + "-" + model.version() + "-" + LocalDate.now();
        try {
            BatchInference.Summary s = batch.run(new BatchInference.Job(model.model(), Path.of(properties.input()), null, runId,
                    properties.chunkSize(), properties.skipBadRows() ? BatchInference.OnBadRow.SKIP : BatchInference.OnBadRow.FAIL,
                    throughPipeline(model)));
            log.info("scheduled batch run {} {}: {} rows written, {} skipped", s.runId(), s.status(), s.rowsWritten(), s.rowsSkipped());
        } catch (RuntimeException e) {
            log.error("scheduled batch run {} failed: {}", runId, e.getMessage());
        }
    }

    private static double lastSuccess(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return RunHistory.lastSuccess(c).map(Instant::getEpochSecond).map(Long::doubleValue).orElse(Double.NaN);
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    /**
     * Scores every chunk through the serving pipeline with the model version pinned at the start of the run, so a
     * reload mid-run cannot mix versions within the rows stamped with this one.
     */
    private ChunkScorer throughPipeline(LoadedModel<?> pinned) {
        return new ChunkScorer() {
            @Override
            public List<AnomalyResult> scoreOrders(AnomalyDetector model, List<OrderMetrics> orders) {
                return pipeline.score(ServingTask.ANOMALY, Source.BATCH, pinnedAs(pinned, ModelSlot.ANOMALY), orders).results();
            }

            @Override
            public double[] forecast(DemandForecaster model, List<DemandQuery> queries) {
                return pipeline.score(ServingTask.DEMAND, Source.BATCH, pinnedAs(pinned, ModelSlot.DEMAND), queries).results().stream()
                        .mapToDouble(Double::doubleValue).toArray();
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static <M extends com.orderintel.registry.ServableModel> LoadedModel<M> pinnedAs(LoadedModel<?> model, ModelSlot<M> slot) {
        if (model.slot() != slot) {
            throw new IllegalStateException("batch run pinned a " + model.slot().label() + " model, asked for " + slot.label());
        }
        return (LoadedModel<M>) model;
    }
}
