package com.orderintel.advisor.feedback;

import org.springframework.stereotype.Component;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last {@code capacity} predictions, so feedback can be matched to what was predicted. A prediction id is
 * {@code <instance>-<sequence>}: the sequence picks the ring slot directly, which makes recording lock-free and
 * O(1) on the hot path (one atomic increment, one array write) and bounds memory without an eviction policy.
 * The random instance prefix makes ids from another replica or an earlier run miss instead of matching a
 * different prediction. A map-based cache (Caffeine) would need hashing and eviction bookkeeping per
 * prediction for no benefit here.
 */
@Component
public class PredictionLog {

    private final String instance = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicReferenceArray<Prediction> ring;

    public PredictionLog(FeedbackProperties properties) {
        this.ring = new AtomicReferenceArray<>(properties.capacity());
    }

    /** Records a demand prediction and returns its id. */
    public String demand(String model, String version, double predicted) {
        long seq = sequence.getAndIncrement();
        ring.lazySet(slot(seq), new Prediction(seq, model, version, Kind.DEMAND, predicted, false));
        return id(seq);
    }

    /** Records an anomaly prediction and returns its id. */
    public String anomaly(String model, String version, boolean anomalous, double score) {
        long seq = sequence.getAndIncrement();
        ring.lazySet(slot(seq), new Prediction(seq, model, version, Kind.ANOMALY, score, anomalous));
        return id(seq);
    }

    /** The prediction with this id if it is still in the window, else null. */
    public Prediction find(String predictionId) {
        if (predictionId == null || !predictionId.startsWith(instance + "-")) {
            return null;
        }
        long seq;
        try {
            seq = Long.parseLong(predictionId.substring(instance.length() + 1));
        } catch (NumberFormatException e) {
            return null;
        }
        if (seq < 0) {
            return null;
        }
        Prediction p = ring.get(slot(seq));
        return p != null && p.sequence() == seq ? p : null;
    }

    /** Marks feedback as received; false if it already was (feedback counts once per prediction). */
    public boolean claimFeedback(Prediction p) {
        return !p.feedbackReceived() && ring.compareAndSet(slot(p.sequence()), p, p.withFeedback());
    }

    private int slot(long seq) {
        return (int) (seq % ring.length());
    }

    private String id(long seq) {
        return instance + "-" + seq;
    }

    public enum Kind { DEMAND, ANOMALY }

    /** What was predicted: the demand value, or the anomaly score and flag. */
    public record Prediction(long sequence, String model, String version, Kind kind, double value, boolean anomalous,
                             boolean feedbackReceived) {
        Prediction(long sequence, String model, String version, Kind kind, double value, boolean anomalous) {
            this(sequence, model, version, kind, value, anomalous, false);
        }

        Prediction withFeedback() {
            return new Prediction(sequence, model, version, kind, value, anomalous, true);
        }
    }
}
