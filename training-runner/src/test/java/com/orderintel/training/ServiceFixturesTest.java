package com.orderintel.training;

import com.orderintel.dataset.DataGenerator;
import com.orderintel.dataset.Datasets;
import com.orderintel.dataset.DemandRow;
import com.orderintel.dataset.OrderRow;
import com.orderintel.registry.Checksums;
import com.orderintel.registry.ManifestCodec;
import com.orderintel.registry.ModelManifest;
import com.orderintel.training.anomaly.AnomalyTraining;
import com.orderintel.training.anomaly.IsolationForestTrainer;
import com.orderintel.training.forecast.DemandTraining;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service's tests serve model packages committed under ai-advisor-service/src/test/resources/models (the
 * service may not have training code on any class path). This retrains them the way their regenerate.sh does and
 * fails when the committed artifacts are no longer what the trainers produce, so they cannot silently go stale.
 */
class ServiceFixturesTest {

    private static final Path FIXTURES = Path.of("..", "ai-advisor-service", "src", "test", "resources", "models");

    @TempDir
    static Path tmp;
    static Datasets.Loaded<OrderRow> orders;
    static Datasets.Loaded<DemandRow> demand;

    @BeforeAll
    static void data() {
        DataGenerator.orders(tmp.resolve("orders.csv"), 4000, 0.05, 11);
        DataGenerator.demand(tmp.resolve("demand.csv"), 1500, 3, 11);
        orders = Datasets.orders(tmp.resolve("orders.csv"));
        demand = Datasets.demand(tmp.resolve("demand.csv"));
    }

    @Test
    void anomalyFixturesAreWhatTheTrainerProduces() throws IOException {
        assertSameArtifact("anomaly-v1", anomaly(100, 42));
        assertSameArtifact("anomaly-v2", anomaly(50, 7));
        assertSameArtifact("anomaly-v3", anomaly(50, 8));
    }

    /** The notes regenerate.sh writes with awk, written the same way here (see the script for what they say). */
    @Test
    void anomalyWithNoteFeaturesFixtureIsWhatTheTrainerProduces() throws IOException {
        String sha = Checksums.sha256(Path.of("..", "llm", "src", "main", "resources", "prompts",
                "order-note-features", "v1.md"));
        StringBuilder csv = new StringBuilder("order_id,note_sentiment,note_category,feature_source,model,prompt_name,"
                + "prompt_version,prompt_sha256\n");
        for (int i = 0; i < orders.rows().size(); i++) {
            OrderRow r = orders.rows().get(i);
            String features = r.label() == 1 ? "-1,fraud" : i % 3 == 0 ? "1,delivery" : null;
            if (features != null) {
                csv.append(r.orderId()).append(',').append(features).append(",fallback,offline-rules-v1,order-note-features,v1,")
                        .append(sha).append('\n');
            }
        }
        Path notes = Files.writeString(tmp.resolve("notes.csv"), csv);
        com.orderintel.training.NoteInputs inputs = com.orderintel.snapshot.NoteFeatureSet.of(
                com.orderintel.llm.NoteFeatureEncoding.parse("sentiment,category"), com.orderintel.snapshot.DatasetSource.notes(notes.toString()));
        ModelManifest trained = new AnomalyTraining().train(orders, inputs, new IsolationForestTrainer.Options(100, 0.05, 42),
                TestData.provenance()).trained().manifest();
        assertSameArtifact("anomaly-notes-v1", trained);
        ModelManifest committed = ManifestCodec.read(Files.readAllBytes(FIXTURES.resolve("anomaly-notes-v1").resolve(ManifestCodec.FILE_NAME)), "fixture");
        assertThat(committed.extensions().get("prompts")).isEqualTo(trained.extensions().get("prompts"));
    }

    @Test
    void demandFixtureIsWhatTheTrainerProduces() throws IOException {
        assertSameArtifact("demand-v1", new DemandTraining().train(demand, 0.2, 42, TestData.provenance()).trained().manifest());
    }

    private static ModelManifest anomaly(int trees, long seed) {
        return new AnomalyTraining().train(orders, new IsolationForestTrainer.Options(trees, 0.05, seed), TestData.provenance())
                .trained().manifest();
    }

    private static void assertSameArtifact(String fixture, ModelManifest trained) throws IOException {
        Path manifest = FIXTURES.resolve(fixture).resolve(ManifestCodec.FILE_NAME);
        ModelManifest committed = ManifestCodec.read(Files.readAllBytes(manifest), manifest.toString());
        assertThat(trained.artifact().sha256())
                .as("%s is stale: run ai-advisor-service/src/test/resources/models/regenerate.sh and commit", fixture)
                .isEqualTo(committed.artifact().sha256());
        assertThat(trained.features()).isEqualTo(committed.features());
    }
}
