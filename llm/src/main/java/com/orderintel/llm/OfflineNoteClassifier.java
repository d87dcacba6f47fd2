package com.orderintel.llm;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The deterministic stand-in for the chat model (provider {@code offline}): keyword rules for the category and a
 * small lexicon for the sentiment. Same text, same answer, on every machine, so training sets and tests built
 * from it are reproducible. Its figures on the golden set are the floor a provider prompt has to beat.
 */
public final class OfflineNoteClassifier {

    /** Identifies these rules wherever a feature made by them is recorded (bump when the rules change). */
    public static final String RULES_VERSION = "offline-rules-v1";

    /** Checked in order; the first category with a matching keyword wins. */
    private static final Map<String, Pattern> CATEGORY_RULES = new LinkedHashMap<>();

    static {
        CATEGORY_RULES.put("fraud", Pattern.compile("\\b(fraud|chargeback|stolen|suspicious|scam|did not place|didn't place|not authori[sz]ed|hacked|never (made|ordered))"));
        CATEGORY_RULES.put("payment", Pattern.compile("\\b(pay|payment|card|invoice|refund|charge|billing)"));
        CATEGORY_RULES.put("return", Pattern.compile("\\b(return|exchange|broken|damaged|defect|wrong (item|size))"));
        CATEGORY_RULES.put("delivery", Pattern.compile("\\b(deliver|shipping|ship|courier|parcel|door|address|late|arriv)"));
        CATEGORY_RULES.put("product", Pattern.compile("\\b(size|colour|color|stock|product|item|quality|fits?)"));
    }

    private static final Pattern NEGATIVE = Pattern.compile("\\b(late|broken|damaged|wrong|bad|terrible|awful"
            + "|worst|disappointed|disappointing|angry|upset|missing|lost|refund|complain\\w*|cancel\\w*|poor"
            + "|still waiting|problems?|issues?|fraud|stolen|scam|suspicious|chargeback|unacceptable|annoy\\w*|useless|cheap"
            + "|defect\\w*|leak\\w*)\\b");
    private static final Pattern POSITIVE = Pattern.compile("\\b(great|love|loved|lovely|thanks|thank you"
            + "|excellent|happy|fast\\w*|quick\\w*|amazing|good|nice|pleased|recommend|wonderful|fantastic|brilliant|best"
            + "|perfect\\w*|merry)\\b");
    /** "not good", "no problem": a negator right before a word flips it. */
    private static final Pattern NEGATED_POSITIVE = Pattern.compile("\\b(not|never|no|isn't|wasn't)\\s+(\\w+\\s+)?"
            + "(great|good|happy|fast|quick|nice|pleased|perfect)\\b");
    private static final Pattern NEGATED_NEGATIVE = Pattern.compile("\\bno (problem|problems|issue|issues|rush|worries)\\b");

    public NoteFeatures classify(String text) {
        return new NoteFeatures(sentiment(text), category(text));
    }

    public static String category(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return CATEGORY_RULES.entrySet().stream().filter(e -> e.getValue().matcher(lower).find())
                .map(Map.Entry::getKey).findFirst().orElse("other");
    }

    static String sentiment(String text) {
        String lower = text.toLowerCase(Locale.ROOT).replace('’', '\'');
        int negatedPositive = count(NEGATED_POSITIVE.matcher(lower));
        int negatedNegative = count(NEGATED_NEGATIVE.matcher(lower));
        int negative = count(NEGATIVE.matcher(lower)) - negatedNegative + negatedPositive;
        int positive = count(POSITIVE.matcher(lower)) - negatedPositive;
        int score = positive - negative;
        return score > 0 ? "positive" : score < 0 ? "negative" : "neutral";
    }

    private static int count(Matcher m) {
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
