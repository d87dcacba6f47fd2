package com.orderintel.advisor.model;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The models this instance serves, as one immutable {@link ModelSnapshot} in an {@link AtomicReference}: readers
 * never lock, a swap is a single reference write, and requests already running keep the snapshot they took.
 */
@Component
public class ServedModels {

    private final AtomicReference<ModelSnapshot> current = new AtomicReference<>(ModelSnapshot.EMPTY);
    private final ApplicationEventPublisher events;
    private volatile boolean initialLoadComplete;

    public ServedModels(ApplicationEventPublisher events) {
        this.events = events;
    }

    public ModelSnapshot snapshot() {
        return current.get();
    }

    /** Installs the given (already validated) models, keeping the other slots, and announces the swap. */
    public ModelSnapshot install(List<LoadedModel<?>> models) {
        ModelSnapshot previous;
        ModelSnapshot next;
        do {
            previous = current.get();
            next = previous.with(models);
        } while (!current.compareAndSet(previous, next));
        events.publishEvent(new ModelsSwappedEvent(previous, next));
        return next;
    }

    /** Installs shadow (candidate) models, keeping the served models, and announces the swap. */
    public ModelSnapshot installShadows(List<LoadedModel<?>> shadows) {
        ModelSnapshot previous;
        ModelSnapshot next;
        do {
            previous = current.get();
            next = previous.withShadows(shadows);
        } while (!current.compareAndSet(previous, next));
        events.publishEvent(new ModelsSwappedEvent(previous, next));
        return next;
    }

    /** True once every configured model has been loaded and validated at least once. */
    public boolean ready() {
        return initialLoadComplete;
    }

    void markInitialLoadComplete() {
        initialLoadComplete = true;
    }
}
