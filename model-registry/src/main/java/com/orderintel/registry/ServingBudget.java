package com.orderintel.registry;

import java.util.function.UnaryOperator;

/**
 * The most heap one model's serving form may take. A model's artifact can be small and still expand a lot when it
 * is built (e.g. a 36 MB isolation forest of 30,000 chain trees, padded to complete trees for fast scoring, takes
 * gigabytes), so each
 * codec computes what its serving form will take from the artifact's header and tree shapes and calls
 * {@link #check} <em>before</em> it allocates that form; {@link ModelLoader} also checks the manifest's declared
 * artifact size before a byte of the artifact is read (those bytes are held whole while the model is decoded).
 * A model above the budget is refused with {@code TOO_LARGE}, naming what it would take and the setting.
 *
 * <p>From {@code MODEL_MAX_SERVING_BYTES} (environment or same-named system property, which wins), default 64 MiB:
 * our models take about 1 MB to serve, and a replica holds up to four (two served, two shadows) plus a set being
 * reloaded, which stays well inside the chart's heap (75 % of 1536 Mi). The service also reads it as
 * {@code advisor.models.max-serving-bytes}.
 */
public record ServingBudget(long maxBytes) {

    public static final String VARIABLE = "MODEL_MAX_SERVING_BYTES";
    public static final ServingBudget DEFAULT = new ServingBudget(64L << 20);

    public ServingBudget {
        if (maxBytes < 1) {
            throw new IllegalArgumentException(VARIABLE + " must be a positive number of bytes, not " + maxBytes);
        }
    }

    public static ServingBudget fromEnvironment() {
        return fromLookup(name -> {
            String v = System.getProperty(name);
            return v != null ? v : System.getenv(name);
        });
    }

    static ServingBudget fromLookup(UnaryOperator<String> lookup) {
        String v = lookup.apply(VARIABLE);
        if (v == null || v.isBlank()) {
            return DEFAULT;
        }
        try {
            long n = Long.parseLong(v.strip());
            if (n > 0) {
                return new ServingBudget(n);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(VARIABLE + " must be a positive number of bytes, not '" + v.strip() + "'");
    }

    /**
     * Refuses ({@code TOO_LARGE}) when the serving form of {@code what} would take more than the budget.
     *
     * @param bytes  the estimate, computed before allocating
     * @param shape  what the estimate is made of, for the message (e.g. "30000 trees of depth 12 ...")
     */
    public void check(long bytes, String what, String shape) {
        if (bytes > maxBytes || bytes < 0) { // negative: an overflowed estimate, certainly too large
            throw new RegistryException(RegistryException.Reason.TOO_LARGE, what + " is too large to serve: it would take "
                    + (bytes < 0 ? "more than " + Long.MAX_VALUE : bytes) + " bytes of memory (" + shape
                    + "), above the serving budget of " + maxBytes + " bytes (" + VARIABLE
                    + ", advisor.models.max-serving-bytes in the service)");
        }
    }

    /** Refuses a manifest whose declared artifact size is above the budget, before the artifact is read. */
    public void checkArtifact(ModelManifest manifest) {
        check(manifest.artifact().size(), "artifact of model '" + manifest.name() + "' version '" + manifest.version() + "'",
                "the artifact's own bytes, as its manifest declares them");
    }
}
