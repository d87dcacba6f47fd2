package com.orderintel.advisor.feedback;

import org.springframework.stereotype.Component;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.function.IntToDoubleFunction;

/**
 * This replica's last {@code capacity} predictions, so feedback can be matched to what was predicted even before
 * capture has written it to the shared store (or when there is none). A prediction id is
 * {@code <instance>-<sequence>-<secret>}: the sequence picks the ring slot directly, which keeps recording
 * lock-free and O(1) on the hot path (one atomic increment, one array write) and bounds memory without an eviction
 * policy; the random instance prefix makes ids of another replica or run miss; the per-prediction secret makes ids
 * unguessable, so nobody can walk the sequence and give feedback for someone else's prediction. The secret is
 * AES-128 of the sequence under a random per-instance key (a pseudo-random permutation): seeing any number of one's
 * own ids tells nothing about another sequence's secret. (A seeded SplittableRandom, used before, is not: its
 * output function is invertible, so one observed secret gave away every later one.)
 *
 * <p>Memory is bounded in bytes, not only in slots: a slot holds one small record whose model name and version are
 * shared with the loaded model, and a key of at most {@value #MAX_KEY_CHARS} characters (an identifier is at most 128;
 * a demand key adds the day). A longer key is not kept (feedback then keys the label by the prediction id): the entry
 * points refuse such ids, so this only guards the ring against a path that forgot to. Worst case about 450 bytes a
 * slot, 45 MB for the default 100,000 slots.
 */
@Component
public class PredictionLog {

    /** Longest key kept with a prediction (the identifier limit, 128, plus a demand key's "|yyyy-MM-dd"). */
    static final int MAX_KEY_CHARS = 160;
    private static final HexFormat HEX = HexFormat.of();
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final SecureRandom random = new SecureRandom();
    private final String instance = HEX.toHexDigits(random.nextInt());
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicReferenceArray<Prediction> ring;
    /**
     * One AES cipher per stripe (a Cipher is not thread-safe; with virtual threads a ThreadLocal would make one per
     * request): the sequence picks the stripe, so concurrent predictions rarely meet on a lock.
     */
    private final Cipher[] stripes;

    public PredictionLog(FeedbackProperties properties) {
        this.ring = new AtomicReferenceArray<>(properties.capacity());
        byte[] key = new byte[16];
        random.nextBytes(key);
        this.stripes = new Cipher[Integer.highestOneBit(4 * Runtime.getRuntime().availableProcessors() - 1) << 1];
        try {
            for (int i = 0; i < stripes.length; i++) {
                stripes[i] = Cipher.getInstance("AES/ECB/NoPadding"); // one block: the raw permutation
                stripes[i].init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is part of every Java runtime", e);
        }
    }

    /** A demand prediction is for one product on one day: the key its actual is reported by. */
    public static String demandKey(String productId, java.time.LocalDate date) {
        return productId + "|" + date;
    }

    /**
     * Records a demand prediction for {@code key} (product and day) and returns its id; {@code trusted}: it came from
     * a trusted source (only those take feedback).
     */
    public String demand(String model, String version, String key, double predicted, boolean trusted) {
        return record(model, version, Kind.DEMAND, key, predicted, false, trusted);
    }

    /** Records an anomaly prediction for {@code key} (the order id, may be null) and returns its id. */
    public String anomaly(String model, String version, String key, boolean anomalous, double score, boolean trusted) {
        return record(model, version, Kind.ANOMALY, key, score, anomalous, trusted);
    }

    private String record(String model, String version, Kind kind, String key, double value, boolean anomalous,
                          boolean trusted) {
        long seq = sequence.getAndIncrement();
        long secret = secret(seq);
        String kept = key != null && key.length() <= MAX_KEY_CHARS ? key : null;
        ring.lazySet(slot(seq), new Prediction(seq, secret, model, version, kind, kept, value, anomalous, trusted, false));
        return instance + "-" + seq + "-" + HEX.toHexDigits(secret);
    }

    /** Records the anomaly predictions of one batch; their ids in order (see {@link #recordAll}). */
    public List<String> anomalies(String model, String version, int n, IntFunction<String> key, IntPredicate anomalous,
                                  IntToDoubleFunction score, boolean trusted) {
        return recordAll(model, version, Kind.ANOMALY, n, key, score, anomalous, trusted);
    }

    /** Records the demand predictions of one batch; their ids in order (see {@link #recordAll}). */
    public List<String> demands(String model, String version, int n, IntFunction<String> key, IntToDoubleFunction predicted,
                                boolean trusted) {
        return recordAll(model, version, Kind.DEMAND, n, key, predicted, i -> false, trusted);
    }

    /**
     * A batch as {@link #record} would record it one by one, but with one sequence range and one AES call over all
     * the blocks (ECB encrypts every block on its own, so each secret is the same as alone).
     */
    private List<String> recordAll(String model, String version, Kind kind, int n, IntFunction<String> key,
                                   IntToDoubleFunction value, IntPredicate anomalous, boolean trusted) {
        long first = sequence.getAndAdd(n);
        byte[] blocks = new byte[16 * n];
        for (int i = 0; i < n; i++) {
            LONG.set(blocks, 16 * i, first + i);
        }
        Cipher aes = stripes[(int) first & (stripes.length - 1)];
        try {
            synchronized (aes) {
                aes.doFinal(blocks, 0, blocks.length, blocks, 0);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES of whole blocks cannot fail", e);
        }
        List<String> ids = new ArrayList<>(n);
        StringBuilder id = new StringBuilder(instance.length() + 40).append(instance).append('-');
        int prefix = id.length();
        for (int i = 0; i < n; i++) {
            long seq = first + i;
            long secret = (long) LONG.get(blocks, 16 * i);
            String k = key.apply(i);
            String kept = k != null && k.length() <= MAX_KEY_CHARS ? k : null;
            ring.lazySet(slot(seq), new Prediction(seq, secret, model, version, kind, kept, value.applyAsDouble(i),
                    anomalous.test(i), trusted, false));
            id.setLength(prefix);
            HEX.formatHex(id.append(seq).append('-'), blocks, 16 * i, 16 * i + 8);
            ids.add(id.toString());
        }
        return ids;
    }

    /** The first 64 bits of AES_key(seq). */
    private long secret(long seq) {
        byte[] block = new byte[16];
        LONG.set(block, 0, seq);
        Cipher aes = stripes[(int) seq & (stripes.length - 1)];
        try {
            synchronized (aes) {
                aes.doFinal(block, 0, 16, block, 0);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES of one block cannot fail", e);
        }
        return (long) LONG.get(block, 0);
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

    /** What was predicted for which key: the demand value, or the anomaly score and flag; whether the source was trusted. */
    public record Prediction(long sequence, long secret, String model, String version, Kind kind, String key, double value,
                             boolean anomalous, boolean trusted, boolean feedbackReceived) {
        Prediction withFeedback() {
            return new Prediction(sequence, secret, model, version, kind, key, value, anomalous, trusted, true);
        }
    }
}
