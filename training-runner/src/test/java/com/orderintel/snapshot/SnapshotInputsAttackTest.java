package com.orderintel.snapshot;

import com.orderintel.dataset.DataException;
import com.orderintel.dataset.Datasets;
import com.orderintel.dataset.InputLimits;
import com.orderintel.dataset.OrderRow;
import com.orderintel.registry.Checksums;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Training inputs from someone with write access to a dataset store: a snapshot manifest whose file names leave the
 * snapshot directory (or lack a sha256, or are symlinks out of it), and Parquet files whose footer or page headers
 * declare sizes the file does not have. Each is refused, naming the file, before a byte of it is parsed or a buffer
 * of the declared size is allocated; no error quotes more than a short escaped excerpt of the content.
 */
@Tag("attack")
class SnapshotInputsAttackTest {

    private static final String SECRET = "DB_PASSWORD=hunter2-do-not-print-this-line-anywhere";
    private static final long CLAIM = 1_500_000_000L; // 1.5 GB

    @TempDir
    Path dir;

    private static final List<OrderRow> ROWS = IntStream.range(0, 20)
            .mapToObj(i -> new OrderRow("o-" + i, 1000 + i, 1 + i % 5, 0.25 + i / 100.0, i % 2)).toList();

    private Path snapshotDir() throws IOException {
        return Files.createDirectories(dir.resolve("store/datasets/shop/20261207T000000000Z"));
    }

    private static void manifest(Path snap, SnapshotManifest.FileEntry entry) {
        SnapshotManifests.write(new SnapshotManifest(1, "shop", snap.getFileName().toString(), Instant.parse("2026-12-07T00:00:00Z"),
                Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"), null,
                Map.of("orders", new SnapshotManifest.Part(ROWS.size(), List.of(entry), null, null, null, null, null))),
                snap.resolve(SnapshotManifest.FILE_NAME));
    }

    /** A file outside the snapshot whose first line is a secret (the reproduction: the error printed that line). */
    private Path victim() throws IOException {
        return Files.writeString(dir.resolve("store/datasets/victim.txt"), SECRET + "\nsecond line\n");
    }

    @Test
    void aManifestEntryOutsideTheSnapshotIsRefusedWithoutReadingIt() throws IOException {
        Path snap = snapshotDir();
        Path victim = victim();
        String sha = Checksums.sha256(victim); // the attacker can compute it: the name alone must be refused
        for (String name : List.of("../../victim.txt", victim.toString(), "file:" + victim, "%2e%2e/%2e%2e/victim.txt",
                "sub/../../../victim.txt", "./../../victim.txt", "..\\..\\victim.txt")) {
            for (String entrySha : new String[] {null, sha}) {
                manifest(snap, new SnapshotManifest.FileEntry(name, "csv", 2, 0, entrySha));
                assertThatThrownBy(() -> DatasetSource.orders(snap.toUri().toString())).as(name)
                        .isInstanceOf(DataException.class)
                        .hasMessageContaining(snap.resolve("manifest.yaml").toUri() + ": file '")
                        .hasMessageContaining("is not a plain name inside the snapshot directory")
                        .message().doesNotContain("hunter2", "DB_PASSWORD");
            }
        }
    }

    @Test
    void everyFileOfASnapshotNeedsASha256CheckedBeforeParsing() throws IOException {
        Path snap = snapshotDir();
        Path csv = snap.resolve("orders.csv");
        TableFiles.writeCsv(Table.ORDERS, ROWS, csv);
        manifest(snap, new SnapshotManifest.FileEntry("orders.csv", "csv", ROWS.size(), Files.size(csv), null));
        assertThatThrownBy(() -> DatasetSource.orders(snap.toUri().toString()))
                .hasMessageContaining("file 'orders.csv' has no sha256");
        manifest(snap, new SnapshotManifest.FileEntry("orders.csv", "csv", ROWS.size(), Files.size(csv), Checksums.sha256(csv)));
        Datasets.Loaded<OrderRow> loaded = DatasetSource.orders(snap.toUri().toString());
        assertThat(loaded.rows()).hasSize(ROWS.size());
        // replaced after the manifest was written (same size): refused on the sha256 before a row is parsed
        Files.writeString(csv, Files.readString(csv).replace("o-1,", "x-1,"));
        assertThatThrownBy(() -> DatasetSource.orders(snap.toUri().toString()))
                .hasMessageContaining("does not match the snapshot manifest");
    }

    @Test
    void aSymlinkOutOfTheSnapshotIsRefused() throws IOException {
        Path snap = snapshotDir();
        Path outside = dir.resolve("outside.csv");
        TableFiles.writeCsv(Table.ORDERS, ROWS, outside);
        Files.createSymbolicLink(snap.resolve("orders.csv"), outside);
        manifest(snap, new SnapshotManifest.FileEntry("orders.csv", "csv", ROWS.size(), Files.size(outside), Checksums.sha256(outside)));
        assertThatThrownBy(() -> DatasetSource.orders(snap.toUri().toString()))
                .hasMessageContaining("orders.csv: resolves to a path outside the snapshot directory");
    }

    /** The bytes of a file with its Thrift footer edited. */
    private static byte[] editFooter(byte[] file, Consumer<FileMetaData> edit) throws IOException {
        int footerLength = ByteBuffer.wrap(file, file.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int footerStart = file.length - 8 - footerLength;
        FileMetaData md = Util.readFileMetaData(new ByteArrayInputStream(file, footerStart, footerLength));
        edit.accept(md);
        ByteArrayOutputStream footer = new ByteArrayOutputStream();
        Util.writeFileMetaData(md, footer);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(file, 0, footerStart);
        footer.writeTo(out);
        out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(footer.size()).array());
        out.write("PAR1".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private Path ordersParquet() throws IOException {
        Path p = snapshotDir().resolve("orders.parquet");
        TableFiles.writeParquet(Table.ORDERS, ROWS, p);
        return p;
    }

    @Test
    void aSmallParquetFileWhoseFooterClaimsGigabyteChunksIsRefusedInA256MegabyteHeap() throws Exception {
        Path p = ordersParquet();
        Files.write(p, editFooter(Files.readAllBytes(p), md -> {
            for (RowGroup rg : md.getRow_groups()) {
                rg.setTotal_byte_size(CLAIM * rg.getColumnsSize());
                for (ColumnChunk c : rg.getColumns()) {
                    c.getMeta_data().setTotal_compressed_size(CLAIM).setTotal_uncompressed_size(CLAIM);
                }
            }
        }));
        assertThat(Files.size(p)).isLessThan(4096);
        // in a JVM of its own with a 256 MB heap: before, parquet-mr allocated the declared chunk sizes (OutOfMemoryError)
        String out = probe(p);
        assertThat(out).doesNotContain("OutOfMemoryError", "heap space");
        assertThat(out).contains("refused: " + p.toUri() + ": malformed Parquet: column 'order_id' declares " + CLAIM
                + " bytes at offset 4, beyond the file's data (bytes 4 to ");
    }

    @Test
    void declaredSizesAndRowsOverTheBudgetAndPageHeadersThatOutgrowTheirChunkAreRefused() throws IOException {
        Path p = ordersParquet();
        byte[] honest = Files.readAllBytes(p);
        String source = p.toString();
        InputLimits limits = InputLimits.DEFAULT;
        assertThat(TableFiles.readParquet(Table.ORDERS, p, source, limits)).hasSize(ROWS.size());
        assertThatThrownBy(() -> TableFiles.readParquet(Table.ORDERS, p, source, new InputLimits(1024, 65536, 1 << 20, 100, 1000)))
                .hasMessageStartingWith(source + ": malformed Parquet: column ")
                .hasMessageContaining("uncompressed bytes").hasMessageContaining("DATASET_PARQUET_MAX_BYTES");
        assertThatThrownBy(() -> TableFiles.readParquet(Table.ORDERS, p, source, new InputLimits(1024, 65536, 1 << 20, 1 << 20, 10)))
                .hasMessageContaining("declares 20 rows").hasMessageContaining("DATASET_PARQUET_MAX_ROWS");
        // a footer claiming billions of rows (each column's values as well)
        Files.write(p, editFooter(honest, md -> md.getRow_groups().forEach(rg -> rg.setNum_rows(CLAIM))));
        assertThatThrownBy(() -> TableFiles.readParquet(Table.ORDERS, p, source, limits))
                .hasMessageContaining("declares " + CLAIM + " rows");
        // a page header claiming a 1.5 GB page inside an honest-looking chunk
        Files.write(p, withFirstPageClaiming(honest, CLAIM));
        assertThatThrownBy(() -> TableFiles.readParquet(Table.ORDERS, p, source, limits))
                .hasMessageContaining("a page declares " + CLAIM + " uncompressed bytes");
    }

    /** The file with the first page header of the first column re-written to declare {@code uncompressed}; offsets after it shifted. */
    private static byte[] withFirstPageClaiming(byte[] file, long uncompressed) throws IOException {
        int footerLength = ByteBuffer.wrap(file, file.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int footerStart = file.length - 8 - footerLength;
        FileMetaData md = Util.readFileMetaData(new ByteArrayInputStream(file, footerStart, footerLength));
        ColumnMetaData first = md.getRow_groups().getFirst().getColumns().getFirst().getMeta_data();
        int at = (int) (first.isSetDictionary_page_offset() ? Math.min(first.getDictionary_page_offset(), first.getData_page_offset())
                : first.getData_page_offset());
        ByteArrayInputStream in = new ByteArrayInputStream(file, at, footerStart - at);
        PageHeader h = Util.readPageHeader(in);
        int oldLength = footerStart - at - in.available();
        h.setUncompressed_page_size((int) Math.min(uncompressed, Integer.MAX_VALUE));
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        Util.writePageHeader(h, header);
        long delta = header.size() - oldLength;
        first.setTotal_compressed_size(first.getTotal_compressed_size() + delta);
        for (RowGroup rg : md.getRow_groups()) {
            for (ColumnChunk c : rg.getColumns()) {
                ColumnMetaData m = c.getMeta_data();
                if (m.getData_page_offset() > at) {
                    m.setData_page_offset(m.getData_page_offset() + delta);
                }
                if (m.isSetDictionary_page_offset() && m.getDictionary_page_offset() > at) {
                    m.setDictionary_page_offset(m.getDictionary_page_offset() + delta);
                }
                if (c.getFile_offset() > at) {
                    c.setFile_offset(c.getFile_offset() + delta);
                }
                if (c.isSetColumn_index_offset()) {
                    c.setColumn_index_offset(c.getColumn_index_offset() + delta);
                }
                if (c.isSetOffset_index_offset()) {
                    c.setOffset_index_offset(c.getOffset_index_offset() + delta);
                }
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(file, 0, at);
        header.writeTo(body);
        body.write(file, at + oldLength, footerStart - at - oldLength);
        ByteArrayOutputStream footer = new ByteArrayOutputStream();
        Util.writeFileMetaData(md, footer);
        footer.writeTo(body);
        body.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(footer.size()).array());
        body.write("PAR1".getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }

    /** Loads the file as training data in a JVM with a 256 MB heap; returns what it printed. */
    private static String probe(Path data) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Probe.class.getName(), data.toUri().toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("probe finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    public static final class Probe {
        public static void main(String[] args) {
            try {
                System.out.println("read " + DatasetSource.orders(args[0]).rows().size());
            } catch (DataException e) {
                System.out.println("refused: " + e.getMessage());
            }
        }
    }
}
