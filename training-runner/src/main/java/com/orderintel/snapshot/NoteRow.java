package com.orderintel.snapshot;

import com.orderintel.dataset.CsvRows;

/**
 * The note features of one captured order (from {@code order_note_enrichments}, Flyway V5), joined to the orders part
 * by {@code order_id}: sentiment as -1/0/1, category, and what made them (provider model or offline rules, and the
 * pinned prompt version that defines them).
 */
public record NoteRow(String orderId, int noteSentiment, String noteCategory, String featureSource, String model,
                      String promptName, String promptVersion, String promptSha256) {

    public static NoteRow of(CsvRows.Row r) {
        double s = r.number("note_sentiment");
        if (s != -1 && s != 0 && s != 1) {
            throw r.error("note_sentiment", "must be -1, 0 or 1");
        }
        return new NoteRow(r.text("order_id"), (int) s, r.text("note_category"), r.text("feature_source"), r.text("model"),
                optional(r, "prompt_name"), optional(r, "prompt_version"), optional(r, "prompt_sha256"));
    }

    private static String optional(CsvRows.Row r, String column) {
        return r.has(column) ? r.text(column) : null;
    }

    /** {@code name@version#sha256} of the prompt, or the model alone when no prompt was pinned. */
    public String promptId() {
        return promptName == null ? "(no prompt) " + model : promptName + "@" + promptVersion + "#" + promptSha256;
    }
}
