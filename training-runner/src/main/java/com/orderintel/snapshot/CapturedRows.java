package com.orderintel.snapshot;

import com.orderintel.dataset.DemandRow;
import com.orderintel.dataset.OrderRow;

import java.time.Instant;
import java.util.List;

/**
 * The captured training rows of a window with the trust and first-capture rules already applied, and what the rules
 * left out: what {@link SnapshotExport} checks and writes. {@link CapturedData} answers it with SQL in PostgreSQL;
 * a Spark job answers it from partitioned reads of the same tables (or a Parquet copy), with the same rules.
 */
public interface CapturedRows {

    /** Trusted scorings in the window, of them imputed, and anonymous scorings (not training rows). */
    record Counts(long scored, long imputed, long untrusted) { }

    /**
     * Keys (orders, product-days) captured by trusted sources with different features: the first capture is the
     * training row ({@code example}: the smallest such key); {@code anonymous}: keys also scored anonymously (ignored).
     */
    record Conflicts(long trustedRecaptures, String example, long anonymous) { }

    /** The labelled orders, in capture order (scored_at, prediction_id). */
    List<OrderRow> orders(Instant since, Instant until);

    Counts orderCounts(Instant since, Instant until);

    Conflicts orderConflicts(Instant since, Instant until);

    /** Product-days with an actual, ordered by date then product. */
    List<DemandRow> demand(Instant since, Instant until);

    long demandDays(Instant since, Instant until);

    Conflicts demandConflicts(Instant since, Instant until);

    /** Note features, in capture order of the order's first note-carrying trusted scoring. */
    List<NoteRow> notes(Instant since, Instant until);

    /** How a part's rows were selected, recorded in the manifest ({@code query}): the SQL as run, or its equivalent. */
    String query(String part);
}
