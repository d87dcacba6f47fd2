package com.orderintel.llm;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Prices per million tokens by model name (prompt and completion priced apart, as providers bill), to estimate the
 * cost of calls. A model not in the table costs 0 and is reported as unpriced rather than guessed.
 */
public final class TokenPrices {

    /** US dollars per million prompt and completion tokens. */
    public record Price(double promptPerMillion, double completionPerMillion) {
        public Price {
            if (!(promptPerMillion >= 0) || !(completionPerMillion >= 0) || Double.isInfinite(promptPerMillion)
                    || Double.isInfinite(completionPerMillion)) {
                throw new IllegalArgumentException("token prices must be finite and not negative");
            }
        }
    }

    private final Map<String, Price> byModel;

    public TokenPrices(Map<String, Price> byModel) {
        this.byModel = Map.copyOf(byModel);
    }

    /**
     * Parses {@code model=prompt/completion[,model=prompt/completion...]}, e.g.
     * {@code gpt-4o-mini=0.15/0.60,text-embedding-3-small=0.02/0}; a malformed entry is refused naming it.
     */
    public static TokenPrices parse(String table) {
        Map<String, Price> prices = new LinkedHashMap<>();
        if (table == null || table.isBlank()) {
            return new TokenPrices(prices);
        }
        for (String entry : table.split(",")) {
            String e = entry.strip();
            int eq = e.indexOf('=');
            int slash = e.indexOf('/', eq + 1);
            if (eq <= 0 || slash < 0) {
                throw new IllegalArgumentException("price entry '" + e + "' must be model=prompt/completion (US dollars "
                        + "per million tokens), e.g. gpt-4o-mini=0.15/0.60");
            }
            try {
                prices.put(e.substring(0, eq).strip(), new Price(Double.parseDouble(e.substring(eq + 1, slash).strip()),
                        Double.parseDouble(e.substring(slash + 1).strip())));
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("price entry '" + e + "': prices must be numbers");
            }
        }
        return new TokenPrices(prices);
    }

    public boolean priced(String model) {
        return byModel.containsKey(model);
    }

    /** Estimated US dollars for these tokens of this model (0 when the model has no price). */
    public double cost(String model, Usage usage) {
        Price p = byModel.get(model);
        if (p == null) {
            return 0;
        }
        return (usage.promptTokens() * p.promptPerMillion() + usage.completionTokens() * p.completionPerMillion()) / 1e6;
    }

    public Map<String, Price> asMap() {
        return byModel;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        byModel.forEach((m, p) -> s.append(s.isEmpty() ? "" : ",").append(m).append('=')
                .append(String.format(Locale.ROOT, "%s/%s", p.promptPerMillion(), p.completionPerMillion())));
        return s.toString();
    }
}
