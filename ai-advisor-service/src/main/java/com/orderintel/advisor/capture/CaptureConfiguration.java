package com.orderintel.advisor.capture;

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
@EnableConfigurationProperties(CaptureProperties.class)
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

    /** The pod's name (Kubernetes sets HOSTNAME), else a random name for this process. */
    static String instanceName() {
        String host = System.getenv("HOSTNAME");
        return host != null && !host.isBlank() ? host : "advisor-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }
}
