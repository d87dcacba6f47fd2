package com.orderintel.runner;

import com.orderintel.dataset.DataException;
import com.orderintel.registry.FileSystemModelStore;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ModelStore;
import com.orderintel.registry.ModelUri;
import com.orderintel.registry.RegistryException;
import com.orderintel.training.ModelPackage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** A published model's manifest in brief: what, from which data and commit, how good, which bytes. */
@Command(name = "show", description = "Summarise a model's manifest: algorithm, metrics, dataset, features, checksums "
        + "(-o json: the whole manifest).")
final class ShowCommand implements Runnable {

    @Parameters(index = "0", paramLabel = "MODEL_URI",
            description = "A MODEL_URI (file:///reg/order-anomaly@production, s3://bucket/prefix/<version>/<name>) "
                    + "or a directory written by 'train'.")
    String target;
    @Option(names = "--verify", description = "Also fetch the artifact and check its size and sha256 against the manifest.")
    boolean verify;
    @picocli.CommandLine.Mixin
    OutputOption output;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        ModelManifest m;
        String where;
        List<String> aliases = List.of();
        if (!target.contains("://") && Files.isDirectory(Path.of(target))) {
            m = ModelPackage.read(Path.of(target));
            where = Path.of(target).toAbsolutePath().normalize().toString();
            if (verify) { // checksums only: show must work for any artifact format
                Path artifact = Path.of(target).resolve(m.artifact().file());
                try {
                    FileSystemModelStore.verifyBytes(new ModelUri(Path.of(target).toUri().toString(), m.name(), m.version(), null), m,
                            Files.readAllBytes(artifact));
                } catch (java.io.IOException e) {
                    throw new DataException("cannot read artifact " + artifact + ": " + e.getMessage(), e);
                }
            }
        } else {
            ModelUri uri = ModelUri.parse(target);
            try (ModelStore store = RegistryOption.open(uri.location())) {
                ModelUri exact = uri.isAlias() ? uri.withVersion(store.resolveAlias(uri.name(), uri.alias()).orElseThrow(() ->
                        new RegistryException(RegistryException.Reason.NOT_FOUND, "alias '" + uri.alias() + "' of model '"
                                + uri.name() + "' is not set in registry " + store.location()))) : uri;
                m = verify ? store.load(exact).manifest() : store.manifest(exact);
                where = exact.toString();
                aliases = store.aliases(m.name()).aliasesOf(m.version());
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("uri", where);
            json.put("aliases", aliases);
            json.put("artifact_verified", verify);
            json.put("manifest", m);
            out.println(Json.write(json));
            return;
        }
        out.printf("%s %s (%s, %s)%n", m.name(), m.version(), m.algorithm().name(), m.task().name().toLowerCase(Locale.ROOT));
        row(out, "uri", where);
        row(out, "aliases", aliases.isEmpty() ? "-" : String.join(", ", aliases));
        row(out, "created", m.createdAt() + (m.gitCommit() == null ? "" : "  commit " + m.gitCommit()));
        if (m.dataset() != null) {
            row(out, "dataset", m.dataset().uri() + "  rows " + m.dataset().rows() + "  sha256 " + m.dataset().sha256());
        }
        row(out, "artifact", m.artifact().file() + "  " + m.artifact().format() + "  " + m.artifact().size() + " bytes  sha256 "
                + m.artifact().sha256() + (verify ? "  (verified)" : ""));
        if (m.algorithm().hyperParameters() != null) {
            row(out, "parameters", m.algorithm().hyperParameters().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(" ")));
        }
        if (m.libraries() != null) {
            row(out, "libraries", m.libraries().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", ")));
        }
        out.println("metrics:");
        if (m.metrics() != null) {
            m.metrics().forEach((k, v) -> out.printf(Locale.ROOT, "  %-18s %.6f%n", k, v));
        }
        out.println("features (model order):");
        out.printf("  %-18s %-11s %12s %12s %12s%n", "NAME", "TYPE", "MIN", "MEDIAN", "MAX");
        for (ModelManifest.FeatureSpec f : m.features() == null ? List.<ModelManifest.FeatureSpec>of() : m.features()) {
            if (f.categories() != null) {
                out.printf("  %-18s %-11s %d values: %s%n", f.name(), f.type(), f.categories().size(),
                        f.categories().size() <= 8 ? String.join(", ", f.categories())
                                : String.join(", ", f.categories().subList(0, 8)) + ", ...");
            } else {
                out.printf(Locale.ROOT, "  %-18s %-11s %12.4g %12.4g %12.4g%n", f.name(), f.type(), num(f.min()), num(f.median()), num(f.max()));
            }
        }
    }

    private static double num(Double d) {
        return d == null ? Double.NaN : d;
    }

    private static void row(PrintWriter out, String key, String value) {
        out.printf("  %-18s %s%n", key, value);
    }
}
