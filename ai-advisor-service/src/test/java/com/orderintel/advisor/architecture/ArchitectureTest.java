package com.orderintel.advisor.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shape the platform holds to, checked on the service's own class path (the service and every library it
 * ships) and on the sources of all modules: no training code reaches the service, no package cycles, no Java
 * package in two modules.
 */
class ArchitectureTest {

    /** The service and the libraries it ships: model-registry, datasets, llm, models, capture-store, batch-inference. */
    static JavaClasses shipped;

    @BeforeAll
    static void importClasses() {
        shipped = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar")) // other modules' test-jars
                .importPackages("com.orderintel");
        assertThat(shipped.stream().map(c -> c.getPackageName()).distinct())
                .as("the import saw the service and its libraries")
                .contains("com.orderintel.advisor.serving", "com.orderintel.registry", "com.orderintel.batch",
                        "com.orderintel.dataset", "com.orderintel.llm", "com.orderintel.prompt", "com.orderintel.anomaly",
                        "com.orderintel.forecast", "com.orderintel.models", "com.orderintel.store", "com.orderintel.shadow");
    }

    @Test
    void noTrainingLibraryOrTrainingCodeReachesTheService() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("smile..", "picocli..", "org.tribuo..",
                        "ml.dmlc..", "org.apache.spark..", "com.orderintel.training..", "com.orderintel.runner..",
                        "com.orderintel.snapshot..", "com.orderintel.prompteval..")
                .because("the service jar ships no training code (Smile is GPL-3.0; picocli is the CLI's)")
                .check(shipped);
        // ... and they are not even on its class path (which is what the jar ships)
        for (String trainingClass : List.of("smile.anomaly.IsolationForest", "picocli.CommandLine",
                "com.orderintel.training.ModelPackage", "com.orderintel.runner.TrainingRunner")) {
            assertThatThrownBy(() -> Class.forName(trainingClass)).as(trainingClass).isInstanceOf(ClassNotFoundException.class);
        }
    }

    @Test
    void noCyclesBetweenTheServicesPackages() {
        slices().matching("com.orderintel.advisor.(*)..").should().beFreeOfCycles().check(shipped);
    }

    @Test
    void noCyclesBetweenTheLibrariesPackages() {
        slices().matching("com.orderintel.(*)..").should().beFreeOfCycles().check(shipped);
    }

    /**
     * The library modules, bottom up: model-registry and datasets know none of ours; llm knows the registry;
     * models knows registry, llm and datasets; capture-store knows datasets; batch-inference knows all of those; the
     * service sits on top. A package of a module may be used only by the modules above it.
     */
    @Test
    void theLibrariesDependOneWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("registry").definedBy("com.orderintel.registry..")
                .layer("datasets").definedBy("com.orderintel.dataset..")
                .layer("llm").definedBy("com.orderintel.llm..", "com.orderintel.prompt..")
                .layer("models").definedBy("com.orderintel.anomaly..", "com.orderintel.forecast..", "com.orderintel.models..")
                .layer("capture-store").definedBy("com.orderintel.store..", "com.orderintel.shadow..")
                .layer("batch-inference").definedBy("com.orderintel.batch..")
                .layer("service").definedBy("com.orderintel.advisor..")
                .whereLayer("service").mayNotBeAccessedByAnyLayer()
                .whereLayer("batch-inference").mayOnlyBeAccessedByLayers("service")
                .whereLayer("capture-store").mayOnlyBeAccessedByLayers("batch-inference", "service")
                .whereLayer("models").mayOnlyBeAccessedByLayers("batch-inference", "service")
                .whereLayer("llm").mayOnlyBeAccessedByLayers("models", "batch-inference", "service")
                .whereLayer("datasets").mayOnlyBeAccessedByLayers("models", "capture-store", "batch-inference", "service")
                .whereLayer("registry").mayOnlyBeAccessedByLayers("llm", "models", "batch-inference", "service")
                .check(shipped);
    }

    /** One Flyway location, capture-store's; in the service only the start-up step migrates it. */
    @Test
    void theSchemaHasOneOwnerAndIsMigratedAtStartUpOnly() throws IOException {
        noClasses().that().resideOutsideOfPackage("com.orderintel.store..").should().dependOnClassesThat()
                .resideInAPackage("org.flywaydb..").check(shipped);
        noClasses().that().resideInAPackage("com.orderintel..").and().resideOutsideOfPackage("com.orderintel.advisor.store..")
                .should().callMethod(com.orderintel.store.Schema.class, "migrate", javax.sql.DataSource.class)
                .because("the service migrates once, when it makes its DataSource (StartupMigration)")
                .check(shipped);
        List<String> locations = new ArrayList<>();
        try (Stream<Path> modules = Files.list(Path.of("..").toAbsolutePath().normalize())) {
            modules.filter(m -> Files.isDirectory(m.resolve("src/main/resources/db/migration")))
                    .forEach(m -> locations.add(m.getFileName().toString()));
        }
        assertThat(locations).as("modules with Flyway migrations").containsExactly("capture-store");
    }

    @Test
    void theWebPackageKnowsNoFeature() {
        noClasses().that().resideInAPackage("com.orderintel.advisor.web..").should().dependOnClassesThat()
                .resideInAnyPackage("com.orderintel.advisor.model..", "com.orderintel.advisor.serving..",
                        "com.orderintel.advisor.events..", "com.orderintel.advisor.anomaly..",
                        "com.orderintel.advisor.forecast..", "com.orderintel.advisor.inference..")
                .because("web holds the HTTP conventions every feature uses (problems, validation), not features")
                .check(shipped);
    }

    @Test
    void everyEntryPointScoresThroughTheServingPipeline() {
        // Only the pipeline (and model loading/validation, the batch library's direct scorer for the CLI) call a
        // model's scoring methods; REST, OIP, events and batch in the service go through ServingPipeline.
        noClasses().that().resideInAPackage("com.orderintel.advisor..")
                .and().resideOutsideOfPackages("com.orderintel.advisor.serving..", "com.orderintel.advisor.model..")
                .should().callMethod(com.orderintel.anomaly.AnomalyDetector.class, "score", com.orderintel.anomaly.OrderMetrics.class)
                .orShould().callMethod(com.orderintel.anomaly.AnomalyDetector.class, "scoreBatch", List.class)
                .orShould().callMethod(com.orderintel.forecast.DemandForecaster.class, "predict", com.orderintel.forecast.DemandQuery.class)
                .orShould().callMethod(com.orderintel.forecast.DemandForecaster.class, "predictBatch", List.class)
                .check(shipped);
    }

    @Test
    void noJavaPackageLivesInTwoModules() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Map<String, Set<String>> modulesByPackage = new TreeMap<>();
        // top-level modules and the ones nested a level deeper (model-registry/server)
        try (Stream<Path> modules = Files.walk(root, 2)) {
            for (Path module : modules.filter(m -> !m.equals(root) && Files.isRegularFile(m.resolve("pom.xml"))
                    && !root.relativize(m).toString().contains("node_modules")).toList()) {
                for (String kind : List.of("main", "test")) {
                    Path sources = module.resolve("src").resolve(kind).resolve("java");
                    if (!Files.isDirectory(sources)) {
                        continue;
                    }
                    try (Stream<Path> files = Files.walk(sources)) {
                        files.filter(f -> f.toString().endsWith(".java")).forEach(f -> modulesByPackage
                                .computeIfAbsent(sources.relativize(f.getParent()).toString().replace('/', '.'),
                                        k -> new TreeSet<>()).add(root.relativize(module).toString()));
                    }
                }
            }
        }
        assertThat(modulesByPackage).as("packages found in the modules' sources")
                .containsKeys("com.orderintel.advisor.serving", "com.orderintel.training", "com.orderintel.registry",
                        "com.orderintel.registryserver.console");
        List<String> split = new ArrayList<>();
        modulesByPackage.forEach((pkg, modules) -> {
            if (modules.size() > 1) {
                split.add(pkg + " in " + modules);
            }
        });
        assertThat(split).as("packages split across modules").isEmpty();
    }
}
