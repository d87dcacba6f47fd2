package com.orderintel.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.orderintel.dataset.DataException;
import com.orderintel.registry.ManifestCodec;
import com.orderintel.registry.ModelManifest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The output directory of {@code train}: {@code manifest.yaml}, the artifact and {@code metrics.json}; the unit
 * that {@code publish} uploads and {@code evaluate} reads.
 */
public final class ModelPackage {

    public static final String METRICS_FILE = "metrics.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelPackage() {
    }

    /** Writes the artifact, then the manifest (with metrics) and metrics.json; returns the written manifest. */
    public static ModelManifest write(Path dir, TrainedModel<?> trained) {
        ModelManifest manifest = trained.manifest();
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(manifest.artifact().file()), trained.artifact());
            Files.write(dir.resolve(ManifestCodec.FILE_NAME), ManifestCodec.write(manifest));
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("model", manifest.name());
            metrics.put("version", manifest.version());
            metrics.put("algorithm", manifest.algorithm().name());
            metrics.put("metrics", manifest.metrics());
            JSON.writeValue(dir.resolve(METRICS_FILE).toFile(), metrics);
            return manifest;
        } catch (IOException e) {
            throw new DataException("cannot write model to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Reads a package's manifest and checks the artifact beside it is the one the manifest names. */
    public static ModelManifest read(Path dir) {
        Path m = dir.resolve(ManifestCodec.FILE_NAME);
        if (!Files.isRegularFile(m)) {
            throw new DataException(dir + ": not a trained model directory (no " + ManifestCodec.FILE_NAME + ")");
        }
        try {
            return ManifestCodec.read(Files.readAllBytes(m), m.toString());
        } catch (IOException e) {
            throw new DataException("cannot read " + m + ": " + e.getMessage(), e);
        }
    }
}
