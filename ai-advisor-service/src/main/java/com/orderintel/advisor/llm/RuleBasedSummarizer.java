package com.orderintel.advisor.llm;

import com.orderintel.llm.NoteFeatures;
import com.orderintel.llm.OfflineNoteClassifier;

/**
 * Offline stand-in for the chat model: the shared keyword rules for the category ({@link OfflineNoteClassifier},
 * the same ones the training runner's offline prompt evaluation uses), the first sentence as the summary.
 */
public final class RuleBasedSummarizer {

    public static final int MAX_SUMMARY_CHARS = 160;

    public Summary summarize(String text) {
        String category = OfflineNoteClassifier.category(text);
        String first = text.strip().split("(?<=[.!?])\\s+", 2)[0].replaceAll("\\s+", " ");
        String summary = first.length() <= MAX_SUMMARY_CHARS ? first : first.substring(0, MAX_SUMMARY_CHARS - 1) + "…";
        return new Summary(summary, category);
    }

    /** A summary and one of {@link Summary#CATEGORIES}. */
    public record Summary(String summary, String category) {
        public static final java.util.Set<String> CATEGORIES = java.util.Set.copyOf(NoteFeatures.CATEGORIES);
    }
}
