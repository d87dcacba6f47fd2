package com.orderintel.advisor.capture;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Where the capture package's writers set aside a record the database refused ({@code capture_quarantine}, Flyway
 * V9), so it never blocks the records around it: with the target table, the prediction id, the SQLSTATE and the
 * database's reason, and the record itself as storable text. Counted in {@code advisor_capture_quarantined_total}
 * and logged once per record.
 */
final class Quarantine {

    private static final Logger log = LoggerFactory.getLogger(Quarantine.class);
    private static final String INSERT = "INSERT INTO capture_quarantine (target_table, prediction_id, sqlstate, reason, "
            + "record, instance) VALUES (?, ?, ?, ?, ?, ?)";
    private static final int MAX_RECORD_CHARS = 4000;

    private final DataSource dataSource;
    private final String instance;
    private final Duration retryBackoff;
    private final MeterRegistry registry;
    private final Counter unstorable;

    Quarantine(DataSource dataSource, String instance, Duration retryBackoff, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.instance = instance;
        this.retryBackoff = retryBackoff;
        this.registry = registry;
        this.unstorable = Counter.builder("advisor.capture.dropped").tag("reason", "unstorable")
                .description("refused records that not even the quarantine table could take").register(registry);
    }

    /**
     * Whether the database refused what a record holds, so retrying the same rows cannot succeed (SQLSTATE class 22
     * data exception, 23 constraint violation, 54 program limit such as an index row too large), as opposed to being
     * away, busy or out of resources (08, 53, 57, 40 ...), which a retry outlives.
     */
    static boolean refused(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
    }

    /**
     * Stores the refused {@code record} with the reason, retried while the database is away and {@code running};
     * if even that is refused (or the writer stops), counts it in {@code advisor_capture_dropped_total{reason="unstorable"}}.
     */
    void put(String table, String predictionId, Object record, SQLException refusal, BooleanSupplier running)
            throws InterruptedException {
        String reason = storable(firstLine(refusal), 1000);
        String id = storable(predictionId, 200);
        while (true) {
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
                ps.setString(1, table);
                ps.setString(2, id);
                ps.setString(3, String.valueOf(refusal.getSQLState()));
                ps.setString(4, reason);
                ps.setString(5, storable(String.valueOf(record), MAX_RECORD_CHARS));
                ps.setString(6, storable(instance, 200));
                ps.executeUpdate();
                Counter.builder("advisor.capture.quarantined").tag("table", table)
                        .description("captured records the database refused, set aside in capture_quarantine")
                        .register(registry).increment();
                log.warn("capture: record {} for {} refused by the database ({}), quarantined: {}", id, table,
                        refusal.getSQLState(), reason);
                return;
            } catch (SQLException | RuntimeException e) {
                if (e instanceof SQLException sql && refused(sql) || !running.getAsBoolean()) {
                    unstorable.increment();
                    log.warn("capture: record {} for {} refused by the database ({}) and not quarantined: {}", id, table,
                            reason, firstLine(e));
                    return;
                }
                log.warn("capture: quarantining a refused record failed, retrying in {}: {}", retryBackoff, firstLine(e));
                Thread.sleep(retryBackoff.toMillis());
            }
        }
    }

    /**
     * Text PostgreSQL can store, at most {@code max} characters: control characters, backslashes and unpaired
     * surrogates written as a backslash, 'u' and four hex digits, as in Java source.
     */
    static String storable(String s, int max) {
        if (s == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), max) + 16);
        int i = 0;
        for (; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                    || Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
            if (c == '\\' || Character.isISOControl(c) || Character.isSurrogate(c) && !paired) {
                b.append(String.format("\\u%04X", (int) c));
            } else {
                b.append(c);
            }
        }
        if (i < s.length()) {
            b.append("...(").append(s.length()).append(" chars)");
        }
        return b.toString();
    }

    static String firstLine(Exception e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
    }
}
