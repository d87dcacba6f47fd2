package com.orderintel.advisor.support;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@link ServingTestBase} for tests of what the app captures into PostgreSQL: each subclass registers its own
 * {@code ThrowawayDatabase} (a static {@code @RegisterExtension} field) and points the app at it with
 * {@link TestDatabases#capture} from its {@code @DynamicPropertySource}; this base gives the meters.
 */
public abstract class CaptureTestBase extends ServingTestBase {

    @Autowired
    protected MeterRegistry meters;
}
