package com.orderintel.advisor.capture;

import com.orderintel.advisor.scheduling.DrainingWorker;
import com.orderintel.advisor.llm.EnrichmentService;
import com.orderintel.advisor.llm.LlmMetrics;
import com.orderintel.advisor.llm.NoteEnrichment;
import com.orderintel.advisor.serving.NoteCapture;
import com.orderintel.advisor.serving.Source;
import com.orderintel.prompt.PromptParser;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Enriches the notes of scored orders (sentiment, category: {@link EnrichmentService#noteFeatures}) and stores them
 * in {@code order_note_enrichments} (Flyway V5), off the request thread: the entry point only offers to a bounded
 * queue; one background thread enriches (provider behind the circuit breaker, else the offline rules) and writes in
 * batches. A full queue drops and counts ({@code advisor_llm_note_enrichments_total{outcome="dropped"}}), so a slow
 * provider can never slow scoring. A batch the database refuses for what a record holds is split until that record is
 * alone, which goes to {@code capture_quarantine} with the reason ({@link Quarantine}); the others are stored.
 */
public final class NoteEnrichmentWriter extends DrainingWorker implements NoteCapture {

    private static final Logger log = LoggerFactory.getLogger(NoteEnrichmentWriter.class);
    private static final String INSERT = "INSERT INTO order_note_enrichments (prediction_id, order_id, source, note_sha256, "
            + "note_chars, sentiment, category, feature_source, model, prompt_name, prompt_version, prompt_sha256, instance, "
            + "enriched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (prediction_id) DO NOTHING";

    record Note(Source source, String predictionId, String orderId, String text) {
        /** Without the text: it may hold personal data and is never stored, not even in the quarantine. */
        @Override
        public String toString() {
            return "Note[source=" + source + ", predictionId=" + predictionId + ", orderId=" + orderId + ", chars="
                    + text.length() + "]";
        }
    }

    private record Enriched(Note note, NoteEnrichment enrichment, Instant at) { }

    private final DataSource dataSource;
    private final EnrichmentService enrichment;
    private final NoteCaptureProperties properties;
    private final String instance;
    private final LlmMetrics metrics;
    private final ArrayBlockingQueue<Note> queue;
    private final Quarantine quarantine;

    public NoteEnrichmentWriter(DataSource dataSource, EnrichmentService enrichment, NoteCaptureProperties properties,
                                String instance, LlmMetrics metrics, MeterRegistry registry) {
        super("note-enrichment", properties.retryBackoff());
        this.dataSource = dataSource;
        this.enrichment = enrichment;
        this.properties = properties;
        this.instance = instance;
        this.metrics = metrics;
        this.queue = new ArrayBlockingQueue<>(properties.bufferCapacity());
        this.quarantine = new Quarantine(dataSource, instance, properties.retryBackoff(), registry);
        Gauge.builder("advisor.capture.notes.buffered", queue, ArrayBlockingQueue::size)
                .description("order notes waiting to be enriched and stored").register(registry);
    }

    @Override
    public void note(Source source, String predictionId, String orderId, String note) {
        if (note == null || note.isBlank()) {
            return;
        }
        if (note.length() > EnrichmentService.MAX_TEXT_CHARS) {
            note = note.substring(0, EnrichmentService.MAX_TEXT_CHARS); // the REST adapter refuses longer; events are cut
        }
        if (!queue.offer(new Note(source, predictionId, orderId, note))) {
            metrics.noteEnrichment("none", "dropped");
        }
    }

    @Override
    protected void drain() {
        List<Note> notes = new ArrayList<>(properties.batchSize());
        while (isRunning() || !queue.isEmpty()) {
            try {
                Note first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                notes.add(first);
                queue.drainTo(notes, properties.batchSize() - 1);
                List<Enriched> batch = new ArrayList<>(notes.size());
                for (Note n : notes) {
                    try {
                        batch.add(new Enriched(n, enrichment.noteFeatures(n.text()), Instant.now()));
                    } catch (RuntimeException e) {
                        metrics.noteEnrichment("none", "failed");
                        log.warn("note enrichment failed for prediction {}: {}", n.predictionId(), e.getMessage());
                    }
                }
                notes.clear();
                writeWithRetry(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void writeWithRetry(List<Enriched> batch) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                write(batch);
                batch.forEach(e -> metrics.noteEnrichment(e.enrichment().source().wire(), "stored"));
                return;
            } catch (SQLException | RuntimeException e) {
                if (e instanceof SQLException sql && Quarantine.refused(sql)) {
                    isolate(batch, sql);
                    return;
                }
                String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
                if (!isRunning() || attempt >= properties.maxWriteAttempts()) {
                    batch.forEach(x -> metrics.noteEnrichment(x.enrichment().source().wire(), "failed"));
                    log.warn("note enrichment: {} rows not stored after {} attempts: {}", batch.size(), attempt, reason);
                    return;
                }
                log.warn("note enrichment: writing {} rows failed, retrying in {}: {}", batch.size(),
                        properties.retryBackoff(), reason);
                Thread.sleep(properties.retryBackoff().toMillis());
            }
        }
    }

    /** Writes the halves of a refused batch on their own; a refused single enrichment goes to the quarantine. */
    private void isolate(List<Enriched> batch, SQLException refusal) throws InterruptedException {
        if (batch.size() == 1) {
            Enriched e = batch.getFirst();
            metrics.noteEnrichment(e.enrichment().source().wire(), "failed");
            quarantine.put("order_note_enrichments", e.note().predictionId(), e, refusal, this::isRunning);
            return;
        }
        int half = batch.size() / 2;
        writeWithRetry(new ArrayList<>(batch.subList(0, half)));
        writeWithRetry(new ArrayList<>(batch.subList(half, batch.size())));
    }

    private void write(List<Enriched> batch) throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            c.setAutoCommit(false);
            try {
                for (Enriched e : batch) {
                    NoteEnrichment x = e.enrichment();
                    ps.setString(1, e.note().predictionId());
                    ps.setString(2, e.note().orderId());
                    ps.setString(3, e.note().source().label());
                    ps.setString(4, PromptParser.sha256(e.note().text().getBytes(StandardCharsets.UTF_8)));
                    ps.setInt(5, e.note().text().length());
                    ps.setString(6, x.features().sentiment());
                    ps.setString(7, x.features().category());
                    ps.setString(8, x.source().wire());
                    ps.setString(9, x.model());
                    ps.setString(10, x.prompt() == null ? null : x.prompt().name());
                    ps.setString(11, x.prompt() == null ? null : x.prompt().version());
                    ps.setString(12, x.prompt() == null ? null : x.prompt().sha256());
                    ps.setString(13, instance);
                    ps.setTimestamp(14, Timestamp.from(e.at()));
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Notes waiting (tests and the gauge). */
    public int buffered() {
        return queue.size();
    }
}
