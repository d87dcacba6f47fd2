package com.orderintel.advisor.batch;

import com.orderintel.advisor.model.LoadedModel;
import com.orderintel.advisor.model.ModelHolder;
import com.orderintel.advisor.model.ModelSlot;
import com.orderintel.batch.BatchInference;
import com.orderintel.batch.RunHistory;
import io.micrometer.core.instrument.Gauge;
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
    private final ModelHolder models;

    public BatchScheduler(BatchInference batch, BatchProperties properties, ModelHolder models, DataSource dataSource,
                          MeterRegistry registry) {
        this.batch = batch;
        this.properties = properties;
        this.models = models;
        Gauge.builder("advisor.batch.last.success.timestamp", dataSource, BatchScheduler::lastSuccess)
                .description("end time of the last successful batch inference run (epoch seconds)")
                .baseUnit("seconds").register(registry);
    }

    @Scheduled(cron = "${advisor.batch.cron:-}")
    public void scheduledRun() {
        if (properties.input() == null) {
            log.warn("advisor.batch.cron is set but advisor.batch.input is not; skipping the scheduled run");
            return;
        }
        ModelSlot slot = "demand".equals(properties.model()) ? ModelSlot.DEMAND : ModelSlot.ANOMALY;
        LoadedModel model = models.snapshot().get(slot).orElse(null);
        if (model == null) {
            log.warn("scheduled batch run skipped: no {} model is loaded", properties.model());
            return;
        }
        String runId = "scheduled-" + model.name() + "-" + model.version() + "-" + LocalDate.now();
        try {
            BatchInference.Summary s = batch.run(new BatchInference.Job(model.model(), Path.of(properties.input()), null, runId,
                    properties.chunkSize(), properties.skipBadRows() ? BatchInference.OnBadRow.SKIP : BatchInference.OnBadRow.FAIL));
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
}
