package com.orderintel.spark;

import com.orderintel.registry.FileSystemModelStore;
import com.orderintel.registry.ManifestCodec;
import com.orderintel.registry.ModelManifest;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One local[2] session for every test class of the JVM (a session takes seconds to start), made the way the CLI makes
 * its own; and the model packages the real training runner made for the service's tests, published into a registry.
 */
public final class LocalSpark {

    private static SparkSession session;

    private LocalSpark() {
    }

    public static synchronized SparkSession session() {
        if (session == null) {
            session = SparkJobs.session("local[2]");
            session.conf().set("spark.sql.shuffle.partitions", "2");
        }
        return session;
    }

    /** Publishes the service's fixture package {@code name} (e.g. anomaly-v1) into {@code registry}; returns its MODEL_URI. */
    public static String publish(Path registry, String name) {
        Path pkg = Path.of("..", "ai-advisor-service", "src", "test", "resources", "models", name).toAbsolutePath().normalize();
        try {
            ModelManifest m = ManifestCodec.read(Files.readAllBytes(pkg.resolve(ManifestCodec.FILE_NAME)), pkg.toString());
            FileSystemModelStore.at(registry).publish(m, pkg.resolve(m.artifact().file()));
            return "file://" + registry.toAbsolutePath() + "/" + m.version() + "/" + m.name();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
