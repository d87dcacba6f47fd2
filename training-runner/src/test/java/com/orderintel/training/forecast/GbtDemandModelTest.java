package com.orderintel.training.forecast;

import com.orderintel.training.TestData;

import com.orderintel.forecast.DemandQuery;
import com.orderintel.forecast.GbtDemandFeatures;
import com.orderintel.forecast.GbtDemandModel;
import com.orderintel.forecast.ProductProfile;
import com.orderintel.forecast.UnknownProductException;

import com.orderintel.dataset.DataGenerator;
import com.orderintel.dataset.Datasets;
import com.orderintel.dataset.DemandRow;
import com.orderintel.registry.ModelCodecs;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.RegistryException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smile.data.DataFrame;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The gradient-boosted demand model: Smile equivalence of the flat form, quality, codec round trip, corruption. */
class GbtDemandModelTest {

    /** Small enough for a unit test (about a second), big enough for real trees. */
    static final GbtDemandTrainer.Options OPTIONS = new GbtDemandTrainer.Options(60, 20, 16, 5, 0.1, 0.7, 42);

    static Datasets.Loaded<DemandRow> data;
    static DemandTraining.Result<GbtDemandModel> gbt;

    @BeforeAll
    static void train(@TempDir Path dir) {
        Path csv = dir.resolve("demand.csv");
        DataGenerator.demand(csv, 3000, 3, 7);
        data = Datasets.demand(csv);
        gbt = new DemandTraining().trainGbt(data, 0.2, OPTIONS, TestData.provenance());
    }

    @Test
    void flatTreesPredictExactlyWhatSmilesEnsemblePredicts() {
        GbtDemandTrainer.Fitted fitted = new GbtDemandTrainer().fit(data.rows().subList(0, 2000), OPTIONS);
        List<String> names = new ArrayList<>(GbtDemandFeatures.NAMES);
        names.add("demand");
        // Training rows plus queries outside the training range (future dates, extreme basket values).
        List<double[]> probes = new ArrayList<>(Arrays.asList(fitted.x()));
        for (DemandRow r : data.rows().subList(2000, 2300)) {
            probes.add(fitted.features(new DemandQuery(r.date().plusYears(1), r.productId(), r.avgBasketValue() * 3, r.promoFlag())));
        }
        double[][] rows = probes.stream().map(x -> Arrays.copyOf(x, x.length + 1)).toArray(double[][]::new);
        double[] smile = fitted.smile().predict(DataFrame.of(rows, names.toArray(String[]::new)));
        for (int i = 0; i < probes.size(); i++) {
            assertThat(fitted.trees().predict(probes.get(i))).as("row %d", i).isEqualTo(smile[i]);
        }
        assertThat(fitted.trees().trees()).isEqualTo(OPTIONS.trees());
    }

    @Test
    void servingComputesTheSameFeaturesTheTrainerTrainedOn() {
        List<DemandRow> train = data.rows().subList(0, 2000);
        GbtDemandTrainer.Fitted fitted = new GbtDemandTrainer().fit(train, OPTIONS);
        for (int i = 0; i < train.size(); i++) {
            assertThat(fitted.features(GbtDemandTrainer.query(train.get(i)))).isEqualTo(fitted.x()[i]);
        }
    }

    @Test
    void lagFeaturesUseOnlyEarlierObservationsOfTheSameProduct() {
        ProductProfile p = new ProductProfile(20, new double[] {20, 20, 20, 20, 20, 20, 20}, 1.5,
                new int[] {100, 101, 102, 105}, new double[] {10, 20, 30, 40});
        double[] prefix = p.prefixSums();
        double[] x = new double[6];
        p.write(LocalDate.ofEpochDay(102), prefix, x, 0);
        assertThat(x).containsExactly(20, 20, 1.5, 20, 15, 15); // lag_1 = day 101, rolling over days 100-101
        p.write(LocalDate.ofEpochDay(400), prefix, x, 0);
        assertThat(x).containsExactly(20, 20, 1.5, 40, 25, 25); // after the history: latest known values
        p.write(LocalDate.ofEpochDay(50), prefix, x, 0);
        assertThat(x).containsExactly(20, 20, 1.5, 20, 20, 20); // before the history: the product mean
    }

    @Test
    void beatsTheOlsBaselineOnTheSameSplit() {
        DemandTraining.Result<?> ols = new DemandTraining().train(data, 0.2, 42, TestData.provenance());
        assertThat(gbt.metrics().n()).isEqualTo(ols.metrics().n()).isEqualTo(600);
        assertThat(gbt.metrics().r2()).isGreaterThan(0.9).isGreaterThan(ols.metrics().r2() + 0.1);
        assertThat(gbt.metrics().mae()).isLessThan(ols.metrics().mae() / 2);
        assertThat(gbt.trained().manifest().algorithm().name()).isEqualTo("gbt");
        assertThat(gbt.trained().manifest().features()).extracting(ModelManifest.FeatureSpec::name)
                .containsSubsequence(GbtDemandFeatures.NAMES).endsWith("product_id");
    }

    @Test
    void artifactRoundTripsThroughTheRegisteredCodec() {
        GbtDemandModel decoded = (GbtDemandModel) ModelCodecs.decode(manifest(gbt.trained().artifact().length), gbt.trained().artifact());
        assertThat(decoded.products()).containsExactlyInAnyOrder("SKU-001", "SKU-002", "SKU-003");
        for (DemandRow r : data.rows()) {
            DemandQuery q = GbtDemandTrainer.query(r);
            assertThat(decoded.predict(q)).isEqualTo(gbt.model().predict(q));
            DemandQuery future = new DemandQuery(r.date().plusDays(900), r.productId(), r.avgBasketValue(), r.promoFlag());
            assertThat(decoded.predict(future)).isEqualTo(gbt.model().predict(future));
        }
        assertThatThrownBy(() -> decoded.predict(new DemandQuery(LocalDate.of(2024, 1, 1), "SKU-404", 80, 0)))
                .isInstanceOf(UnknownProductException.class).hasMessageContaining("SKU-404");
    }

    @Test
    void sameSeedSameArtifact() {
        byte[] again = new DemandTraining().trainGbt(data, 0.2, OPTIONS, TestData.provenance()).trained().artifact();
        assertThat(again).isEqualTo(gbt.trained().artifact());
    }

    @Test
    void corruptArtifactsAreRefusedWithAClearError() {
        byte[] good = gbt.trained().artifact();
        ModelManifest m = manifest(good.length);
        assertThatThrownBy(() -> ModelCodecs.decode(m, Arrays.copyOf(good, good.length / 2)))
                .isInstanceOf(RegistryException.class).hasMessageContaining("demand-forecast").hasMessageContaining("truncated");
        byte[] magic = good.clone();
        magic[0] = 'X';
        assertThatThrownBy(() -> ModelCodecs.decode(m, magic))
                .isInstanceOf(RegistryException.class).hasMessageContaining("bad magic number");
        assertThatThrownBy(() -> ModelCodecs.decode(m, "{\"features\":[]}".getBytes()))
                .isInstanceOf(RegistryException.class).hasMessageContaining("is corrupt");
        byte[] trailing = Arrays.copyOf(good, good.length + 3);
        assertThatThrownBy(() -> ModelCodecs.decode(m, trailing))
                .isInstanceOf(RegistryException.class).hasMessageContaining("trailing bytes");
        // A child index pointing back up the tree would make serving loop forever: refused at load.
        byte[] cyclic = good.clone();
        int firstNode = firstNodeOffset(good);
        java.nio.ByteBuffer.wrap(cyclic).putInt(firstNode + 4 + 8, 0);
        assertThatThrownBy(() -> ModelCodecs.decode(m, cyclic))
                .isInstanceOf(RegistryException.class).hasMessageContaining("node 0 has an invalid feature or children");
    }

    /** Offset of node 0 in the artifact: header, feature names, base, shrinkage, roots, node count. */
    private static int firstNodeOffset(byte[] a) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(a);
        int pos = 8;
        int p = b.getInt(pos);
        pos += 4;
        for (int i = 0; i < p; i++) {
            pos += 2 + (b.getShort(pos) & 0xFFFF);
        }
        pos += 16;
        int trees = b.getInt(pos);
        pos += 4 + 4 * trees;
        return pos + 4;
    }

    private static ModelManifest manifest(long size) {
        return new ModelManifest(1, "demand-forecast", "test", ModelManifest.Task.REGRESSION, null, "demand", null, null,
                null, null, null, new ModelManifest.ArtifactRef("model.gbt", GbtDemandModel.FORMAT, "x", size), null, null);
    }
}
