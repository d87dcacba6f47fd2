package com.orderintel.llm;

/** A provider answer that does not have the documented shape; the message names the JSON path that was wrong. */
public class LlmFormatException extends RuntimeException {
    public LlmFormatException(String message) {
        super(message);
    }
}
