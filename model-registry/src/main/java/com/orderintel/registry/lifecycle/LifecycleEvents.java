package com.orderintel.registry.lifecycle;

/**
 * Where lifecycle events go once the registry has recorded them (the store is the record; events only tell
 * others sooner). Implementations must not throw: a broker that is away is logged and counted, never a reason
 * to fail the move that already happened (replicas still see it through their poll).
 */
@FunctionalInterface
public interface LifecycleEvents {

    void publish(LifecycleEvent event);

    /** Events go nowhere (no broker configured). */
    static LifecycleEvents none() {
        return event -> { };
    }
}
