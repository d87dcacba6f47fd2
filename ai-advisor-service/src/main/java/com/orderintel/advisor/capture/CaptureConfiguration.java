package com.orderintel.advisor.capture;

import com.orderintel.advisor.llm.EnrichmentService;
import com.orderintel.advisor.llm.LlmMetrics;
import com.orderintel.advisor.serving.NoteCapture;
import com.orderintel.advisor.serving.PredictionCapture;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Capture to the shared store when a database is configured and capture is on; otherwise {@link PredictionCapture#OFF}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({CaptureProperties.class, NoteCaptureProperties.class})
public class CaptureConfiguration {

    @Bean
    PredictionCapture predictionCapture(ObjectProvider<DataSource> dataSource, CaptureProperties properties,
                                        MeterRegistry registry) {
        DataSource ds = dataSource.getIfAvailable();
        if (ds == null || !properties.enabled()) {
            return PredictionCapture.OFF;
        }
        return new CaptureWriter(ds, properties, instanceName(), registry);
    }

    /** Order notes enriched and stored beside the capture, when capture is on and note enrichment is not switched off. */
    @Bean
    NoteCapture noteCapture(ObjectProvider<DataSource> dataSource, CaptureProperties capture, NoteCaptureProperties notes,
                            EnrichmentService enrichment, LlmMetrics metrics, MeterRegistry registry) {
        DataSource ds = dataSource.getIfAvailable();
        if (ds == null || !capture.enabled() || !notes.enabled()) {
            return NoteCapture.OFF;
        }
        return new NoteEnrichmentWriter(ds, enrichment, notes, instanceName(), metrics, registry);
    }

    /** The pod's name (Kubernetes sets HOSTNAME), else a random name for this process. */
    static String instanceName() {
        String host = System.getenv("HOSTNAME");
        return host != null && !host.isBlank() ? host : "advisor-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }
}
