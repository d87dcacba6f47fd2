package com.orderintel.prompt;

/** A prompt template could not be parsed, verified or rendered; the message names the template and field. */
public class PromptException extends RuntimeException {
    public PromptException(String message) {
        super(message);
    }

    public PromptException(String message, Throwable cause) {
        super(message, cause);
    }
}
