package com.orderintel.llm;

import java.util.List;

/**
 * What an LLM (or the offline rules) reads from an order note or review: its sentiment and its category. The
 * closed vocabularies are what the prompt asks for and what a model trained on these features was trained with.
 */
public record NoteFeatures(String sentiment, String category) {

    public static final List<String> SENTIMENTS = List.of("negative", "neutral", "positive");
    public static final List<String> CATEGORIES = List.of("delivery", "payment", "return", "product", "fraud", "other");

    public NoteFeatures {
        if (!SENTIMENTS.contains(sentiment)) {
            throw new IllegalArgumentException("sentiment must be one of " + SENTIMENTS + " but was " + sentiment);
        }
        if (!CATEGORIES.contains(category)) {
            throw new IllegalArgumentException("category must be one of " + CATEGORIES + " but was " + category);
        }
    }

    /** The sentiment as a number for a model: -1 negative, 0 neutral, 1 positive. */
    public int sentimentScore() {
        return SENTIMENTS.indexOf(sentiment) - 1;
    }
}
