package com.orderintel.advisor.llm;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Offline stand-in for the chat model: keyword rules for the category, the first sentence as the summary. */
public final class RuleBasedSummarizer {

    /** Checked in order; the first category with a matching keyword wins. */
    private static final Map<String, Pattern> RULES = new LinkedHashMap<>();

    static {
        RULES.put("fraud", Pattern.compile("\\b(fraud|chargeback|stolen|suspicious|scam)"));
        RULES.put("payment", Pattern.compile("\\b(pay|payment|card|invoice|refund|charged|billing)"));
        RULES.put("return", Pattern.compile("\\b(return|exchange|broken|damaged|defect|wrong (item|size))"));
        RULES.put("delivery", Pattern.compile("\\b(deliver|delivery|shipping|ship|courier|parcel|door|address|late)"));
        RULES.put("product", Pattern.compile("\\b(size|colour|color|stock|product|item)"));
    }

    public static final int MAX_SUMMARY_CHARS = 160;

    public Summary summarize(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        String category = RULES.entrySet().stream().filter(e -> e.getValue().matcher(lower).find())
                .map(Map.Entry::getKey).findFirst().orElse("other");
        String first = text.strip().split("(?<=[.!?])\\s+", 2)[0].replaceAll("\\s+", " ");
        String summary = first.length() <= MAX_SUMMARY_CHARS ? first : first.substring(0, MAX_SUMMARY_CHARS - 1) + "…";
        return new Summary(summary, category);
    }

    /** A summary and one of {@link Summary#CATEGORIES}. */
    public record Summary(String summary, String category) {
        public static final java.util.Set<String> CATEGORIES =
                java.util.Set.of("delivery", "payment", "return", "product", "fraud", "other");
    }
}
