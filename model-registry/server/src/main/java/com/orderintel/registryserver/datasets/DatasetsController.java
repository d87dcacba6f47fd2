package com.orderintel.registryserver.datasets;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** Dataset snapshots and their lineage (role read). */
@RestController
class DatasetsController {

    private final SnapshotCatalog catalog;

    DatasetsController(SnapshotCatalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping(path = "/api/v1/datasets", produces = MediaType.APPLICATION_JSON_VALUE)
    List<SnapshotCatalog.Snapshot> datasets() {
        return catalog.snapshots();
    }
}
