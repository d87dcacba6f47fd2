package com.orderintel.llm;

import com.orderintel.registry.ModelManifest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How an anomaly model turns an order's note features into numbers, after the three order metrics. One definition
 * for the trainer and the service, so both build the same vector:
 * <ul>
 *   <li>{@code sentiment} -> {@code note_sentiment}: -1 negative, 0 neutral, 1 positive;</li>
 *   <li>{@code category} -> {@code note_category_<c>} for each of {@link NoteFeatures#CATEGORIES}: 1 for the note's
 *       category, else 0 (one-hot: the categories have no order a tree split could use).</li>
 * </ul>
 * An order without a note gets the neutral value: sentiment 0 and every category 0.
 * A model lists it in its manifest under {@code extensions.note_features: {features: [sentiment, category],
 * computed_by: offline-rules-v1, missing: neutral}}; {@code computed_by} names what makes the features at scoring time.
 */
public record NoteFeatureEncoding(List<Kind> kinds, String computedBy) {

    public static final String EXTENSION_KEY = "note_features";
    /** The only way this code computes note features at scoring time: the offline rules, synchronously. */
    public static final String COMPUTED_BY = OfflineNoteClassifier.RULES_VERSION;
    public static final int MAX_WIDTH = 1 + NoteFeatures.CATEGORIES.size();

    public enum Kind {
        SENTIMENT, CATEGORY;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final OfflineNoteClassifier RULES = new OfflineNoteClassifier();

    public NoteFeatureEncoding {
        if (kinds == null || kinds.isEmpty()) {
            throw new IllegalArgumentException("note features: name at least one of sentiment, category");
        }
        if (kinds.stream().distinct().count() != kinds.size()) {
            throw new IllegalArgumentException("note features: " + kinds + " names one twice");
        }
        kinds = List.copyOf(kinds);
    }

    /** Parses {@code sentiment,category} (the trainer's {@code --note-features}); an unknown word is named. */
    public static NoteFeatureEncoding parse(String csv) {
        List<Kind> kinds = new ArrayList<>();
        for (String w : csv == null ? new String[0] : csv.split(",")) {
            String word = w.strip().toLowerCase(Locale.ROOT);
            if (word.isEmpty()) {
                continue;
            }
            kinds.add(switch (word) {
                case "sentiment" -> Kind.SENTIMENT;
                case "category" -> Kind.CATEGORY;
                default -> throw new IllegalArgumentException("unknown note feature '" + w.strip() + "'; expected sentiment, category");
            });
        }
        return new NoteFeatureEncoding(kinds, COMPUTED_BY);
    }

    /** The feature names in model order (after the order metrics). */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (Kind k : kinds) {
            if (k == Kind.SENTIMENT) {
                names.add("note_sentiment");
            } else {
                NoteFeatures.CATEGORIES.forEach(c -> names.add("note_category_" + c));
            }
        }
        return names;
    }

    public int width() {
        int w = 0;
        for (Kind k : kinds) {
            w += k == Kind.SENTIMENT ? 1 : NoteFeatures.CATEGORIES.size();
        }
        return w;
    }

    /** Writes the encoding of {@code note} (null: no note, the neutral value) into {@code out} from {@code at}. */
    public void encode(NoteFeatures note, double[] out, int at) {
        int i = at;
        for (Kind k : kinds) {
            if (k == Kind.SENTIMENT) {
                out[i++] = note == null ? 0 : note.sentimentScore();
            } else {
                for (String c : NoteFeatures.CATEGORIES) {
                    out[i++] = note != null && note.category().equals(c) ? 1 : 0;
                }
            }
        }
    }

    /**
     * The note features the service computes at scoring time: the offline rules, synchronously (microseconds,
     * the same answer on every machine); null for a missing or blank note.
     */
    public static NoteFeatures offline(String note) {
        if (note == null || note.isBlank()) {
            return null;
        }
        // the capture path keeps at most this much of a note too; it also bounds the rules' cost per order
        return RULES.classify(note.length() > MAX_NOTE_CHARS ? note.substring(0, MAX_NOTE_CHARS) : note);
    }

    /** The longest note the service accepts (REST) or keeps (events). */
    public static final int MAX_NOTE_CHARS = 8_000;

    /** Whether this code can compute the features at scoring time (what a service checks before it serves a model). */
    public boolean computable() {
        return COMPUTED_BY.equals(computedBy);
    }

    public Map<String, Object> toExtension() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("features", kinds.stream().map(Kind::word).toList());
        m.put("computed_by", computedBy);
        m.put("missing", "neutral");
        return m;
    }

    /** The encoding a manifest declares, or null when the model uses no note features; a malformed entry is refused. */
    public static NoteFeatureEncoding fromManifest(ModelManifest manifest) {
        Map<String, Object> ext = manifest.extensions();
        Object v = ext == null ? null : ext.get(EXTENSION_KEY);
        if (v == null) {
            return null;
        }
        String where = "manifest extensions." + EXTENSION_KEY;
        if (!(v instanceof Map<?, ?> m) || !(m.get("features") instanceof List<?> features) || m.get("computed_by") == null) {
            throw new IllegalArgumentException(where + ": expected {features: [sentiment, category], computed_by}");
        }
        try {
            NoteFeatureEncoding parsed = parse(String.join(",", features.stream().map(String::valueOf).toList()));
            return new NoteFeatureEncoding(parsed.kinds(), m.get("computed_by").toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }
}
