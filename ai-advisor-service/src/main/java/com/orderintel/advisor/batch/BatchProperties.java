package com.orderintel.advisor.batch;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Scheduled batch inference ({@code advisor.batch.*}). Active only with {@code spring.datasource.url} set.
 *
 * @param cron      Spring cron expression; {@code -} (the default) disables the schedule
 * @param input     CSV file scored by each scheduled run (orders for the anomaly model)
 * @param model     which served model runs: {@code anomaly} or {@code demand}
 * @param chunkSize rows per transaction
 * @param skipBadRows skip (and record) bad rows instead of failing the run
 */
@ConfigurationProperties("advisor.batch")
public record BatchProperties(String cron, String input, String model, int chunkSize, boolean skipBadRows) {
    public BatchProperties {
        cron = cron == null || cron.isBlank() ? "-" : cron;
        model = model == null || model.isBlank() ? "anomaly" : model;
        chunkSize = chunkSize <= 0 ? 10_000 : chunkSize;
    }
}
