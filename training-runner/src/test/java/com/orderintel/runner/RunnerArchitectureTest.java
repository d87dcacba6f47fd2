package com.orderintel.runner;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Dependencies run one way in the training runner: the CLI ({@code runner}) uses the trainers ({@code training})
 * and the libraries; trainers know no CLI; dataset snapshots ({@code snapshot}) know neither CLI nor trainers; the libraries know neither; no package cycles anywhere.
 */
class RunnerArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar")) // other modules' test-jars
            .importPackages("com.orderintel");

    @Test
    void noPackageCycles() {
        slices().matching("com.orderintel.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void trainersKnowNoCli() {
        noClasses().that().resideInAPackage("com.orderintel.training..").should().dependOnClassesThat()
                .resideInAnyPackage("com.orderintel.runner..", "picocli..").check(CLASSES);
    }

    @Test
    void snapshotsKnowNoCliNorTrainers() {
        noClasses().that().resideInAPackage("com.orderintel.snapshot..").should().dependOnClassesThat()
                .resideInAnyPackage("com.orderintel.runner..", "picocli..", "com.orderintel.training.anomaly..",
                        "com.orderintel.training.forecast..", "smile..").check(CLASSES);
    }

    @Test
    void librariesKnowNoTrainingCode() {
        noClasses().that().resideInAnyPackage("com.orderintel.registry..", "com.orderintel.anomaly..",
                        "com.orderintel.forecast..", "com.orderintel.models..", "com.orderintel.llm..", "com.orderintel.prompt..",
                        "com.orderintel.dataset..", "com.orderintel.store..", "com.orderintel.shadow..", "com.orderintel.batch..")
                .should().dependOnClassesThat().resideInAnyPackage("com.orderintel.training..", "com.orderintel.runner..",
                        "com.orderintel.snapshot..", "com.orderintel.prompteval..", "smile..", "picocli..", "ml.dmlc..",
                        "org.tribuo..")
                .check(CLASSES);
    }
}
