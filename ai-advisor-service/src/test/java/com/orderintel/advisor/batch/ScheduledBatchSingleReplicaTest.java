package com.orderintel.advisor.batch;

import com.orderintel.advisor.AdvisorApplication;
import com.orderintel.advisor.model.ServedModels;
import com.orderintel.testkit.ThrowawayDatabase;
import com.orderintel.advisor.support.TrainedModels;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two service instances (two application contexts, as two replicas) on one PostgreSQL database fire the scheduled
 * batch at the same moment, twice: ShedLock lets exactly one run, and the lock held for lockAtLeastFor makes the
 * second firing a no-op on both. Without the lock both would have run (each counts its own starts).
 */
class ScheduledBatchSingleReplicaTest {

    private static final ThrowawayDatabase DB = new ThrowawayDatabase("advisor_shedlock");
    private static final TrainedModels MODELS = TrainedModels.create();

    @AfterAll
    static void drop() {
        DB.close();
    }

    @Test
    void twoReplicasRunTheScheduledBatchOnce() throws Exception {
        List<ConfigurableApplicationContext> replicas = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                // command-line arguments: they override application.yml (default properties would not)
                replicas.add(new SpringApplicationBuilder(AdvisorApplication.class).run(
                        "--server.port=0", "--spring.datasource.url=" + DB.url(), "--spring.datasource.username=postgres",
                        "--advisor.events.enabled=false", "--spring.cloud.vault.enabled=false", "--advisor.capture.enabled=false",
                        "--advisor.models.anomaly-uri=" + MODELS.anomalyUri, "--advisor.models.load-attempts=1",
                        "--advisor.batch.input=" + MODELS.dir.resolve("orders.csv"), "--advisor.batch.lock-at-least-for=PT5M",
                        "--spring.application.name=replica-" + i));
            }
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (replicas.stream().anyMatch(r -> !r.getBean(ServedModels.class).ready()) && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                for (int firing = 0; firing < 2; firing++) {
                    CyclicBarrier together = new CyclicBarrier(2);
                    List<Future<?>> runs = new ArrayList<>();
                    for (ConfigurableApplicationContext r : replicas) {
                        BatchScheduler scheduler = r.getBean(BatchScheduler.class); // the proxy: as the scheduler calls it
                        runs.add(pool.submit(() -> {
                            together.await();
                            scheduler.scheduledRun();
                            return null;
                        }));
                    }
                    for (Future<?> f : runs) {
                        f.get();
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            double started = replicas.stream().mapToDouble(r -> r.getBean(MeterRegistry.class)
                    .get("advisor.batch.scheduled.runs").counter().count()).sum();
            assertThat(started).as("scheduled runs started across both replicas and both firings").isEqualTo(1.0);
            assertThat(DB.count("SELECT count(*) FROM inference_runs WHERE status = 'SUCCEEDED'")).isEqualTo(1);
            assertThat(DB.count("SELECT count(*) FROM order_anomalies")).isEqualTo(MODELS.orderRows.size());
            assertThat(DB.count("SELECT count(*) FROM shedlock WHERE name = 'advisor-batch-scheduled-run'")).isEqualTo(1);
        } finally {
            replicas.forEach(ConfigurableApplicationContext::close);
        }
    }
}
