package com.orderintel.runner;

import com.orderintel.dataset.DataException;
import com.orderintel.snapshot.QualityChecks;
import com.orderintel.snapshot.SnapshotExport;
import com.orderintel.snapshot.SnapshotStorage;
import picocli.CommandLine.Option;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * The options of a training snapshot (window, destination, parts and quality limits), one picocli mixin for every
 * command that builds one: {@code training-runner dataset export} and {@code spark-jobs build-dataset}.
 */
public class SnapshotOptions {

    @Option(names = "--since", required = true, description = "Start, inclusive: ISO date (UTC midnight) or instant.")
    String since;
    @Option(names = "--until", required = true, description = "End, exclusive: ISO date (UTC midnight) or instant.")
    String until;
    @Option(names = "--out", required = true, description = "Root: file:///dir or s3://bucket/prefix (snapshots go under datasets/<name>/).")
    String out;
    @Option(names = "--name", defaultValue = "shop", description = "Snapshot series (default ${DEFAULT-VALUE}); drift is checked against its previous snapshot.")
    String name;
    @Option(names = "--snapshot-id", description = "Snapshot id (default: the build time, yyyyMMdd'T'HHmmssSSS'Z').")
    String snapshotId;
    @Option(names = "--parts", split = ",", defaultValue = "orders,demand", description = "orders, demand and/or notes (note features of captured orders, with the prompt versions that made them; default ${DEFAULT-VALUE}).")
    List<String> parts;
    @Option(names = "--min-rows", defaultValue = "2", description = "A part with fewer labelled rows is left out (default ${DEFAULT-VALUE}).")
    long minRows;
    @Option(names = "--max-positive-rate", defaultValue = "0.5", description = "Most anomalous labels allowed (default ${DEFAULT-VALUE}).")
    double maxPositiveRate;
    @Option(names = "--max-psi", defaultValue = "0.25", description = "Largest PSI of a feature against the previous snapshot (default ${DEFAULT-VALUE}).")
    double maxPsi;
    @Option(names = "--duplicates", defaultValue = "fail", description = "A key captured twice with different values: fail or latest (default ${DEFAULT-VALUE}).")
    String duplicates;

    /** The checked options; a bad date, destination, name or policy is a {@link DataException} naming the option. */
    public SnapshotExport.Options options() {
        QualityChecks.Duplicates policy = switch (duplicates.strip().toLowerCase(Locale.ROOT)) {
            case "fail" -> QualityChecks.Duplicates.FAIL;
            case "latest" -> QualityChecks.Duplicates.LATEST;
            default -> throw new DataException("--duplicates must be fail or latest, got '" + duplicates + "'");
        };
        return new SnapshotExport.Options(name, SnapshotExport.instant("--since", since), SnapshotExport.instant("--until", until),
                SnapshotStorage.parse(out), snapshotId, new LinkedHashSet<>(parts.stream().map(String::strip).toList()),
                minRows, new QualityChecks.Limits(maxPositiveRate, maxPsi, policy));
    }
}
