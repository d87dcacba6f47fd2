package com.orderintel.snapshot;

import com.orderintel.dataset.DataException;
import com.orderintel.dataset.DemandRow;
import com.orderintel.dataset.OrderRow;
import com.orderintel.registry.Checksums;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * {@code dataset export}: reads labelled orders and demand actuals captured in PostgreSQL, checks them, and writes
 * an immutable snapshot {@code <out>/datasets/<name>/<snapshotId>/} holding each part as CSV and Parquet plus
 * {@code manifest.yaml}. Data files are uploaded first and the manifest last (created exclusively), so a snapshot
 * that has a manifest is complete and is never replaced.
 */
public final class SnapshotExport {

    /** Snapshot ids sort in time order (they name the "previous" snapshot). */
    static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    public record Options(String name, Instant since, Instant until, URI out, String snapshotId, Set<String> parts,
                          long minRows, QualityChecks.Limits limits) {
        public Options {
            if (name == null || !name.matches("[a-z0-9][a-z0-9._-]{0,62}")) {
                throw new DataException("--name must be lower-case letters, digits, '.', '_' or '-' (got '" + name + "')");
            }
            if (!since.isBefore(until)) {
                throw new DataException("--since " + since + " must be before --until " + until);
            }
            if (snapshotId != null && !snapshotId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
                throw new DataException("--snapshot-id must be letters, digits, '.', '_' or '-' (got '" + snapshotId + "')");
            }
            if (parts.isEmpty() || !Set.of(SnapshotManifest.ORDERS, SnapshotManifest.DEMAND, SnapshotManifest.NOTES)
                    .containsAll(parts)) {
                throw new DataException("--parts must name orders, demand and/or notes, got " + parts);
            }
            if (minRows < 2) {
                throw new DataException("--min-rows must be at least 2 (training needs 2 rows), got " + minRows);
            }
            if (!(limits.maxPositiveRate() > 0 && limits.maxPositiveRate() <= 1) || !(limits.maxPsi() > 0)) {
                throw new DataException("--max-positive-rate must be in (0, 1] and --max-psi above 0");
            }
        }
    }

    public record Result(URI snapshot, SnapshotManifest manifest) { }

    /** Every part had fewer rows than --min-rows: nothing was written (the nightly job then trains on generated data). */
    public static final class NotEnoughData extends DataException {
        NotEnoughData(String message) {
            super(message);
        }
    }

    private final CapturedRows data;
    private final Clock clock;
    private final PrintWriter progress;

    public SnapshotExport(DataSource dataSource, Clock clock, PrintWriter progress) {
        this(new CapturedData(dataSource), clock, progress);
    }

    /** An export of rows read elsewhere (e.g. by Spark) with the same rules: the same checks, files and manifest. */
    public SnapshotExport(CapturedRows data, Clock clock, PrintWriter progress) {
        this.data = data;
        this.clock = clock;
        this.progress = progress;
    }

    public Result run(Options o) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String id = o.snapshotId() != null ? o.snapshotId() : ID.format(now);
        URI series = SnapshotStorage.resolve(SnapshotStorage.resolve(o.out(), "datasets"), o.name());
        URI snapshot = URI.create(SnapshotStorage.resolve(series, id) + "/");
        Path work = tempDir();
        try (SnapshotStorage storage = SnapshotStorage.forUri(o.out())) {
            if (storage.exists(SnapshotStorage.resolve(snapshot, SnapshotManifest.FILE_NAME))) {
                throw new DataException("snapshot " + snapshot + " already exists; snapshots are never overwritten");
            }
            Previous previous = previous(storage, series, id, work.resolve("previous"));
            Map<String, SnapshotManifest.Part> parts = new LinkedHashMap<>();
            List<String> problems = new ArrayList<>();
            List<Path> files = new ArrayList<>();
            if (o.parts().contains(SnapshotManifest.ORDERS)) {
                parts.put(SnapshotManifest.ORDERS, orders(o, previous, work, files, problems));
            }
            if (o.parts().contains(SnapshotManifest.DEMAND)) {
                parts.put(SnapshotManifest.DEMAND, demand(o, previous, work, files, problems));
            }
            if (o.parts().contains(SnapshotManifest.NOTES)) {
                parts.put(SnapshotManifest.NOTES, notes(o, work, files));
            }
            if (!problems.isEmpty()) {
                throw new DataException("quality checks failed, snapshot " + o.name() + "/" + id + " not written: "
                        + String.join("; ", problems));
            }
            if (files.isEmpty()) {
                throw new NotEnoughData("not enough data for a snapshot between " + o.since() + " and " + o.until() + ": "
                        + String.join("; ", parts.values().stream().map(SnapshotManifest.Part::skipped).toList()));
            }
            SnapshotManifest manifest = new SnapshotManifest(SnapshotManifest.SCHEMA_VERSION, o.name(), id, now, o.since(),
                    o.until(), previous == null ? null : previous.manifest().snapshotId(), parts);
            Path manifestFile = work.resolve(SnapshotManifest.FILE_NAME);
            SnapshotManifests.write(manifest, manifestFile);
            for (Path f : files) {
                storage.put(SnapshotStorage.resolve(snapshot, f.getFileName().toString()), f, false);
            }
            storage.put(SnapshotStorage.resolve(snapshot, SnapshotManifest.FILE_NAME), manifestFile, true);
            return new Result(snapshot, manifest);
        } finally {
            deleteTree(work);
        }
    }

    private SnapshotManifest.Part orders(Options o, Previous previous, Path work, List<Path> files, List<String> problems) {
        CapturedRows.Counts counts = data.orderCounts(o.since(), o.until());
        List<OrderRow> raw = data.orders(o.since(), o.until());
        QualityChecks.Deduplicated<OrderRow> d = QualityChecks.deduplicate(SnapshotManifest.ORDERS, raw, OrderRow::orderId,
                o.limits().duplicates());
        List<OrderRow> rows = d.rows();
        long positives = rows.stream().filter(r -> r.label() != null && r.label() == 1).count();
        Map<String, Object> labels = new LinkedHashMap<>();
        labels.put("scored", counts.scored());
        labels.put("labelled", rows.size());
        labels.put("coverage", ratio(rows.size(), counts.scored()));
        labels.put("positives", positives);
        labels.put("positiveRate", ratio(positives, rows.size()));
        Map<String, Long> excluded = excluded(counts.imputed(), d);
        excluded.put("untrusted", counts.untrusted());
        Map<String, Object> conflicts = conflicts("orders", data.orderConflicts(o.since(), o.until()));
        progress.printf(Locale.ROOT, "orders: %d scored, %d labelled (coverage %.3f), %d anomalous%n", counts.scored(),
                rows.size(), ratio(rows.size(), counts.scored()), positives);
        if (counts.untrusted() > 0) {
            progress.printf(Locale.ROOT, "orders: %d anonymous scorings left out (not training rows)%n", counts.untrusted());
        }
        if (rows.size() < o.minRows()) {
            return new SnapshotManifest.Part(rows.size(), null, data.query(SnapshotManifest.ORDERS), labels, excluded, null,
                    "orders: " + rows.size() + " labelled rows, fewer than --min-rows " + o.minRows(), conflicts);
        }
        problems.addAll(d.problems());
        problems.addAll(QualityChecks.ordersSchema(rows));
        problems.addAll(QualityChecks.labelBalance(rows, o.limits().maxPositiveRate()));
        Map<String, Double> drift = drift(Table.ORDERS, previous, rows, o, problems);
        return new SnapshotManifest.Part(rows.size(), write(Table.ORDERS, rows, work, files), data.query(SnapshotManifest.ORDERS), labels,
                excluded, drift, null, conflicts);
    }

    private SnapshotManifest.Part demand(Options o, Previous previous, Path work, List<Path> files, List<String> problems) {
        long days = data.demandDays(o.since(), o.until());
        List<DemandRow> raw = data.demand(o.since(), o.until());
        Function<DemandRow, Object> key = r -> r.productId() + "@" + r.date();
        QualityChecks.Deduplicated<DemandRow> d = QualityChecks.deduplicate(SnapshotManifest.DEMAND, raw, key, o.limits().duplicates());
        List<DemandRow> rows = d.rows();
        Map<String, Object> labels = new LinkedHashMap<>();
        labels.put("forecastDays", days);
        labels.put("withActuals", rows.size());
        labels.put("coverage", ratio(rows.size(), days));
        Map<String, Object> conflicts = conflicts("demand", data.demandConflicts(o.since(), o.until()));
        progress.printf(Locale.ROOT, "demand: %d forecast product-days, %d with actuals (coverage %.3f)%n", days, rows.size(),
                ratio(rows.size(), days));
        if (rows.size() < o.minRows()) {
            return new SnapshotManifest.Part(rows.size(), null, data.query(SnapshotManifest.DEMAND), labels, null, null,
                    "demand: " + rows.size() + " product-days with actuals, fewer than --min-rows " + o.minRows(), conflicts);
        }
        problems.addAll(d.problems());
        problems.addAll(QualityChecks.demandSchema(rows));
        Map<String, Double> drift = drift(Table.DEMAND, previous, rows, o, problems);
        return new SnapshotManifest.Part(rows.size(), write(Table.DEMAND, rows, work, files), data.query(SnapshotManifest.DEMAND), labels,
                null, drift, null, conflicts);
    }

    /**
     * Note features of the captured orders. {@code labels} records how many came from the provider and from the
     * offline rules and, per prompt version ({@code name@version#sha256}), how many rows it made: a model trained with
     * these features records the same in its manifest.
     */
    private SnapshotManifest.Part notes(Options o, Path work, List<Path> files) {
        List<NoteRow> rows = data.notes(o.since(), o.until());
        Map<String, Object> labels = new LinkedHashMap<>();
        Map<String, Long> bySource = new java.util.TreeMap<>();
        Map<String, Long> byPrompt = new java.util.TreeMap<>();
        for (NoteRow r : rows) {
            bySource.merge(r.featureSource(), 1L, Long::sum);
            byPrompt.merge(r.promptId(), 1L, Long::sum);
        }
        labels.put("enriched", rows.size());
        labels.put("featureSources", bySource);
        labels.put("prompts", byPrompt);
        progress.printf(Locale.ROOT, "notes: %d orders with note features %s%n", rows.size(), bySource);
        if (rows.isEmpty()) {
            return new SnapshotManifest.Part(0, null, data.query(SnapshotManifest.NOTES), labels, null, null,
                    "notes: no captured order carried a note");
        }
        return new SnapshotManifest.Part(rows.size(), write(Table.NOTES, rows, work, files), data.query(SnapshotManifest.NOTES), labels,
                null, null, null);
    }

    /**
     * The manifest's {@code conflicts} of a part, printed as one line when there are any: keys captured by trusted
     * sources with different features (resolved by the first capture, not a failure) and keys also scored anonymously.
     */
    private Map<String, Object> conflicts(String part, CapturedRows.Conflicts c) {
        String rule = part.equals("orders") ? "first trusted capture" : "latest trusted forecast";
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rule", rule);
        out.put("trustedRecaptures", c.trustedRecaptures());
        if (c.example() != null) {
            out.put("example", c.example());
        }
        out.put("alsoScoredAnonymously", c.anonymous());
        if (c.trustedRecaptures() > 0 || c.anonymous() > 0) {
            progress.printf(Locale.ROOT, "%s: conflicts resolved by the %s: %d key(s) captured by trusted sources with "
                    + "different features%s; %d key(s) also scored anonymously (ignored)%n", part, rule,
                    c.trustedRecaptures(), c.example() == null ? "" : " (e.g. " + c.example() + ")", c.anonymous());
        }
        return out;
    }

    private static Map<String, Long> excluded(long imputed, QualityChecks.Deduplicated<?> d) {
        Map<String, Long> excluded = new LinkedHashMap<>();
        excluded.put("imputed", imputed);
        excluded.put("exactDuplicates", d.exactDuplicates());
        excluded.put("superseded", d.superseded());
        return excluded;
    }

    private <T> Map<String, Double> drift(Table<T> table, Previous previous, List<T> rows, Options o, List<String> problems) {
        if (previous == null || previous.manifest().part(table.name()) == null) {
            return null;
        }
        List<T> before = previous.read(table);
        Map<String, Double> psi = QualityChecks.drift(table, before, rows);
        progress.printf(Locale.ROOT, "%s: drift against %s: %s%n", table.name(), previous.manifest().snapshotId(), psi);
        problems.addAll(QualityChecks.driftProblems(table.name(), previous.manifest().snapshotId(), psi, o.limits().maxPsi()));
        return psi;
    }

    private static <T> List<SnapshotManifest.FileEntry> write(Table<T> table, List<T> rows, Path work, List<Path> files) {
        Path csv = work.resolve(table.name() + ".csv");
        Path parquet = work.resolve(table.name() + ".parquet");
        TableFiles.writeCsv(table, rows, csv);
        TableFiles.writeParquet(table, rows, parquet);
        files.add(csv);
        files.add(parquet);
        return List.of(entry(csv, "csv", rows.size()), entry(parquet, "parquet", rows.size()));
    }

    private static SnapshotManifest.FileEntry entry(Path file, String format, long rows) {
        try {
            return new SnapshotManifest.FileEntry(file.getFileName().toString(), format, rows, Files.size(file), Checksums.sha256(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The newest complete snapshot of the series before this one, with a way to read its parts. */
    private record Previous(SnapshotStorage storage, URI dir, SnapshotManifest manifest, Path scratch) {
        <T> List<T> read(Table<T> table) {
            SnapshotManifest.FileEntry f = manifest.part(table.name()).file("parquet");
            URI manifestUri = SnapshotStorage.resolve(dir, SnapshotManifest.FILE_NAME);
            URI uri = SnapshotFiles.resolve(manifestUri, f);
            Path local = SnapshotFiles.fetch(storage, uri, scratch, f);
            SnapshotFiles.verify(manifestUri, uri, local, f);
            return TableFiles.readParquet(table, local, uri.toString());
        }
    }

    private static Previous previous(SnapshotStorage storage, URI series, String id, Path scratch) {
        List<String> older = storage.children(series).stream().filter(c -> c.compareTo(id) < 0)
                .sorted(Comparator.reverseOrder()).toList();
        for (String candidate : older) {
            URI dir = SnapshotStorage.resolve(series, candidate);
            URI manifest = SnapshotStorage.resolve(dir, SnapshotManifest.FILE_NAME);
            if (storage.exists(manifest)) { // a directory without a manifest is an interrupted export: not a snapshot
                return new Previous(storage, dir,
                        SnapshotManifests.read(SnapshotManifests.fetch(storage, manifest, scratch), manifest.toString()),
                        scratch);
            }
        }
        return null;
    }

    /** --since / --until: an ISO date (UTC midnight) or an instant. */
    public static Instant instant(String option, String text) {
        String t = text.strip();
        try {
            if (t.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            throw new DataException(option + " '" + text + "' is not an ISO date (2026-11-01) or instant (2026-11-01T00:00:00Z)");
        }
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : Math.round(1e6 * a / (double) b) / 1e6;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("snapshot-");
        } catch (IOException e) {
            throw new DataException("cannot create a temporary directory: " + e.getMessage(), e);
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp directory left behind is harmless
        }
    }
}
