package com.orderintel.advisor.feedback;

import org.springframework.stereotype.Component;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * This replica's last {@code capacity} predictions, so feedback can be matched to what was predicted even before
 * capture has written it to the shared store (or when there is none). A prediction id is
 * {@code <instance>-<sequence>-<secret>}: the sequence picks the ring slot directly, which keeps recording
 * lock-free and O(1) on the hot path (one atomic increment, one array write) and bounds memory without an eviction
 * policy; the random instance prefix makes ids of another replica or run miss; the per-prediction secret (64 random
 * bits) makes ids unguessable, so nobody can walk the sequence and give feedback for someone else's prediction.
 */
@Component
public class PredictionLog {

    private static final HexFormat HEX = HexFormat.of();

    private final SecureRandom random = new SecureRandom();
    private final String instance = HEX.toHexDigits(random.nextInt());
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicReferenceArray<Prediction> ring;
    /** Secrets come from a per-instance seed stream: SecureRandom per prediction would cost microseconds. */
    private final java.util.SplittableRandom secrets = new java.util.SplittableRandom(random.nextLong());

    public PredictionLog(FeedbackProperties properties) {
        this.ring = new AtomicReferenceArray<>(properties.capacity());
    }

    /** A demand prediction is for one product on one day: the key its actual is reported by. */
    public static String demandKey(String productId, java.time.LocalDate date) {
        return productId + "|" + date;
    }

    /** Records a demand prediction for {@code key} (product and day) and returns its id. */
    public String demand(String model, String version, String key, double predicted) {
        return record(model, version, Kind.DEMAND, key, predicted, false);
    }

    /** Records an anomaly prediction for {@code key} (the order id, may be null) and returns its id. */
    public String anomaly(String model, String version, String key, boolean anomalous, double score) {
        return record(model, version, Kind.ANOMALY, key, score, anomalous);
    }

    private String record(String model, String version, Kind kind, String key, double value, boolean anomalous) {
        long seq = sequence.getAndIncrement();
        long secret;
        synchronized (secrets) { // SplittableRandom is not thread-safe; the lock is held for one nextLong
            secret = secrets.nextLong();
        }
        ring.lazySet(slot(seq), new Prediction(seq, secret, model, version, kind, key, value, anomalous, false));
        return instance + "-" + seq + "-" + HEX.toHexDigits(secret);
    }

    /** The prediction with this id if it is still in the window, else null. */
    public Prediction find(String predictionId) {
        if (predictionId == null || !predictionId.startsWith(instance + "-")) {
            return null;
        }
        String rest = predictionId.substring(instance.length() + 1);
        int dash = rest.indexOf('-');
        if (dash < 1 || rest.length() - dash - 1 != 16) {
            return null;
        }
        long seq;
        long secret;
        try {
            seq = Long.parseLong(rest.substring(0, dash));
            secret = Long.parseUnsignedLong(rest.substring(dash + 1), 16);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (seq < 0) {
            return null;
        }
        Prediction p = ring.get(slot(seq));
        return p != null && p.sequence() == seq && p.secret() == secret ? p : null;
    }

    /** Marks feedback as received; false if it already was (feedback counts once per prediction). */
    public boolean claimFeedback(Prediction p) {
        return !p.feedbackReceived() && ring.compareAndSet(slot(p.sequence()), p, p.withFeedback());
    }

    private int slot(long seq) {
        return (int) (seq % ring.length());
    }

    public enum Kind { DEMAND, ANOMALY }

    /** What was predicted for which key: the demand value, or the anomaly score and flag. */
    public record Prediction(long sequence, long secret, String model, String version, Kind kind, String key, double value,
                             boolean anomalous, boolean feedbackReceived) {
        Prediction withFeedback() {
            return new Prediction(sequence, secret, model, version, kind, key, value, anomalous, true);
        }
    }
}
