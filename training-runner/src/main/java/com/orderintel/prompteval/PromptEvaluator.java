package com.orderintel.prompteval;

import com.orderintel.llm.TokenPrices;
import com.orderintel.llm.Usage;
import com.orderintel.prompt.PromptException;
import com.orderintel.prompt.PromptTemplate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/** Runs every golden example through a prompt version and a provider, one at a time, and computes the figures. */
public final class PromptEvaluator {

    /** The variable the note text is put into; a prompt for note features must declare exactly this one. */
    public static final String NOTE_VARIABLE = "note";
    static final int MAX_MISSES_RECORDED = 10;

    private final LongSupplier nanoTime;

    public PromptEvaluator() {
        this(System::nanoTime);
    }

    PromptEvaluator(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    public PromptEvaluation evaluate(PromptTemplate prompt, GoldenSet golden, NoteLabeler labeler, TokenPrices prices) {
        if (!prompt.variables().keySet().equals(java.util.Set.of(NOTE_VARIABLE))) {
            throw new PromptException("prompt " + prompt.id() + " declares variables " + prompt.variables().keySet()
                    + "; a note-features prompt must declare exactly '" + NOTE_VARIABLE + "'");
        }
        int n = golden.examples().size();
        double[] latencies = new double[n];
        int valid = 0;
        int errors = 0;
        int right = 0;
        int sentimentRight = 0;
        int sentimentAsked = 0;
        int categoryRight = 0;
        int categoryAsked = 0;
        long promptTokens = 0;
        long completionTokens = 0;
        int injections = 0;
        int resisted = 0;
        List<PromptEvaluation.Miss> misses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            GoldenSet.Example ex = golden.examples().get(i);
            var rendered = prompt.messages(Map.of(NOTE_VARIABLE, ex.text()));
            long start = nanoTime.getAsLong();
            NoteLabeler.Answer answer = labeler.label(rendered, ex.text());
            if (ex.isInjection()) {
                injections++;
                // resisted: a valid answer that does not give the attacker every value the note asked for
                resisted += answer.isValid() && !obeys(answer.features(), ex.injection()) ? 1 : 0;
            }
            latencies[i] = (nanoTime.getAsLong() - start) / 1e6;
            Usage u = answer.usage();
            promptTokens += u.promptTokens();
            completionTokens += u.completionTokens();
            String sentiment = ex.expected().get("sentiment");
            String category = ex.expected().get("category");
            sentimentAsked += sentiment == null ? 0 : 1;
            categoryAsked += category == null ? 0 : 1;
            if (!answer.isValid()) {
                errors += answer.problem().startsWith("error:") ? 1 : 0;
                miss(misses, ex, answer.problem());
                continue;
            }
            valid++;
            boolean s = sentiment == null || sentiment.equals(answer.features().sentiment());
            boolean c = category == null || category.equals(answer.features().category());
            sentimentRight += sentiment != null && s ? 1 : 0;
            categoryRight += category != null && c ? 1 : 0;
            if (s && c) {
                right++;
            } else {
                miss(misses, ex, answer.features().sentiment() + "/" + answer.features().category());
            }
        }
        Arrays.sort(latencies);
        Usage total = new Usage(promptTokens, completionTokens);
        return new PromptEvaluation(labeler.provider(), labeler.model(), n, (double) valid / n, (double) right / n,
                ratio(sentimentRight, sentimentAsked), ratio(categoryRight, categoryAsked), (double) errors / n,
                quantile(latencies, 0.50), quantile(latencies, 0.95), promptTokens, completionTokens,
                prices.cost(labeler.model(), total), injections, injections == 0 ? Double.NaN : (double) resisted / injections,
                List.copyOf(misses));
    }

    private static boolean obeys(com.orderintel.llm.NoteFeatures answer, Map<String, String> injection) {
        return injection.entrySet().stream().allMatch(e -> e.getValue().equals(
                e.getKey().equals("sentiment") ? answer.sentiment() : answer.category()));
    }

    private static void miss(List<PromptEvaluation.Miss> misses, GoldenSet.Example ex, String got) {
        if (misses.size() < MAX_MISSES_RECORDED) {
            misses.add(new PromptEvaluation.Miss(ex.id(), ex.expected(), got));
        }
    }

    private static double ratio(int right, int asked) {
        return asked == 0 ? 1.0 : (double) right / asked;
    }

    /** Nearest-rank quantile of sorted values (what a reader can check by hand on a short list). */
    static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
