package com.orderintel.training;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A manifest's {@code libraries} name each training library's real version, read from its jar. */
class ProvenanceTest {

    @Test
    void everyTrainingLibraryHasItsJarsVersion() {
        Map<String, String> libs = Provenance.currentLibraries();
        assertThat(libs).containsKeys("java", "smile-core", "xgboost4j", "tribuo-math", "jackson-databind");
        for (String lib : new String[] {"smile-core", "xgboost4j", "tribuo-math", "jackson-databind"}) {
            // Smile's jars have no pom.properties, only a manifest version: it used to show as "unknown"
            assertThat(libs.get(lib)).as(lib).matches("\\d+\\.\\d+(\\.\\d+)?([.-].+)?");
        }
        assertThat(libs.get("java")).isEqualTo(Runtime.version().toString());
    }

    @Test
    void aClassFromABuildDirectoryIsUnknownNotAnError() {
        assertThat(Provenance.libraryVersion(ProvenanceTest.class, "com.orderintel", "no-such-artifact")).isEqualTo("unknown");
    }
}
