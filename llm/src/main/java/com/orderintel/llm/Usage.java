package com.orderintel.llm;

/** Tokens a provider call was billed for ({@code usage.prompt_tokens}, {@code usage.completion_tokens}). */
public record Usage(long promptTokens, long completionTokens) {

    public static final Usage NONE = new Usage(0, 0);

    public Usage {
        if (promptTokens < 0 || completionTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
    }
}
