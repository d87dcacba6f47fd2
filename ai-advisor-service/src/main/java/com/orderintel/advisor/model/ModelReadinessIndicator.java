package com.orderintel.advisor.model;

import org.springframework.boot.actuate.availability.ReadinessStateHealthIndicator;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityState;
import org.springframework.boot.availability.ReadinessState;

/**
 * Spring's readiness state, held at REFUSING_TRAFFIC until every configured model is loaded and validated.
 * Registered under Boot's bean name {@code readinessStateHealthIndicator}, so {@code /actuator/health/readiness}
 * uses it; liveness is untouched. Gating here rather than publishing availability events avoids racing Boot's
 * own ACCEPTING_TRAFFIC event at startup.
 */
public class ModelReadinessIndicator extends ReadinessStateHealthIndicator {

    private final ServedModels holder;

    public ModelReadinessIndicator(ApplicationAvailability availability, ServedModels holder) {
        super(availability);
        this.holder = holder;
    }

    @Override
    protected AvailabilityState getState(ApplicationAvailability applicationAvailability) {
        return holder.ready() ? super.getState(applicationAvailability) : ReadinessState.REFUSING_TRAFFIC;
    }
}
