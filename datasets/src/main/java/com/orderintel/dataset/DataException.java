package com.orderintel.dataset;

/** Bad input data or arguments; the message is one line naming the file, line and column where known. */
public class DataException extends RuntimeException {
    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
