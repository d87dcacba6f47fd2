package com.orderintel.advisor.events;

/** A message that can never be processed (unparseable, invalid); it goes to the dead-letter queue at once. */
class PoisonMessageException extends RuntimeException {
    PoisonMessageException(String message) {
        super(message);
    }

    PoisonMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
