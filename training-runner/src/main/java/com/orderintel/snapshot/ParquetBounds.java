package com.orderintel.snapshot;

import com.orderintel.dataset.DataException;
import com.orderintel.dataset.Excerpt;
import com.orderintel.dataset.InputLimits;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What a Parquet file's footer and page headers declare, checked against the file's real length and
 * {@link InputLimits} before parquet-mr reads a column chunk: parquet-mr allocates a buffer of each chunk's declared
 * size, and a page's declared uncompressed size when it decompresses it, so a 1.5 KB file claiming 1.5 GB chunks
 * would otherwise cost the heap. Checked: every chunk lies inside the data part of the file (after the magic, before
 * the footer); declared uncompressed sizes add up to at most {@code DATASET_PARQUET_MAX_BYTES}; row and value counts
 * are at most {@code DATASET_PARQUET_MAX_ROWS}; each page header's sizes fit its chunk (compressed) and the chunk's
 * declared uncompressed size. Only headers are read (a few bytes per page).
 */
final class ParquetBounds {

    private static final int MAGIC = 4;      // "PAR1" at the start and at the end
    private static final int TRAILER = 8;    // footer length (4 bytes, little-endian) + "PAR1"

    private ParquetBounds() {
    }

    static void check(Path file, ParquetMetadata meta, InputLimits limits, String source) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = ch.size();
            ByteBuffer trailer = ByteBuffer.allocate(TRAILER).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(trailer, length - TRAILER);
            long footer = Integer.toUnsignedLong(trailer.getInt(0));
            long dataEnd = length - TRAILER - footer; // parquet-mr has checked that the footer lies within the file
            long rows = 0;
            long uncompressed = 0;
            for (BlockMetaData block : meta.getBlocks()) {
                if (block.getRowCount() < 0 || block.getRowCount() > limits.parquetMaxRows() - rows) {
                    throw tooMuch(source, "declares " + (rows + block.getRowCount()) + " rows", "at most "
                            + limits.parquetMaxRows() + " (limit DATASET_PARQUET_MAX_ROWS)");
                }
                rows += block.getRowCount();
                for (ColumnChunkMetaData c : block.getColumns()) {
                    String column = Excerpt.of(c.getPath().toDotString());
                    long start = c.getStartingPos();
                    long size = c.getTotalSize();
                    if (start < MAGIC || size < 0 || size > dataEnd - start) {
                        throw tooMuch(source, "column '" + column + "' declares " + size + " bytes at offset " + start,
                                "the file's data (bytes " + MAGIC + " to " + dataEnd + " of " + length + ")");
                    }
                    long u = c.getTotalUncompressedSize();
                    if (u < 0 || u > limits.parquetMaxBytes() - uncompressed) {
                        throw tooMuch(source, "column '" + column + "' declares " + u + " uncompressed bytes (" + (uncompressed + u)
                                + " in all)", "at most " + limits.parquetMaxBytes() + " (limit DATASET_PARQUET_MAX_BYTES)");
                    }
                    uncompressed += u;
                    if (c.getValueCount() < 0 || c.getValueCount() > limits.parquetMaxRows()) {
                        throw tooMuch(source, "column '" + column + "' declares " + c.getValueCount() + " values",
                                "at most " + limits.parquetMaxRows() + " (limit DATASET_PARQUET_MAX_ROWS)");
                    }
                    checkPages(ch, start, size, u, column, source);
                }
            }
        } catch (IOException e) {
            throw new DataException(source + ": not a readable Parquet file: " + Excerpt.message(e), e);
        }
    }

    /** Walks the page headers of one chunk: each page's bytes inside the chunk, its uncompressed size inside the chunk's. */
    private static void checkPages(FileChannel ch, long start, long size, long chunkUncompressed, String column, String source)
            throws IOException {
        ch.position(start);
        CountingInput in = new CountingInput(new BufferedInputStream(Channels.newInputStream(ch), 8192), size);
        long pagesUncompressed = 0;
        while (in.read < size) {
            PageHeader h;
            try {
                h = Util.readPageHeader(in);
            } catch (IOException | RuntimeException e) {
                throw new DataException(source + ": malformed Parquet: column '" + column + "': page header at byte "
                        + (start + in.read) + ": " + Excerpt.message(e), e);
            }
            long compressed = h.getCompressed_page_size();
            long plain = h.getUncompressed_page_size();
            if (compressed < 0 || compressed > size - in.read) {
                throw tooMuch(source, "column '" + column + "': a page declares " + compressed + " bytes",
                        "the " + (size - in.read) + " bytes left in its column chunk");
            }
            if (plain < 0 || plain > chunkUncompressed - pagesUncompressed) {
                throw tooMuch(source, "column '" + column + "': a page declares " + plain + " uncompressed bytes",
                        "the " + chunkUncompressed + " the column chunk declares in all");
            }
            pagesUncompressed += plain;
            in.skipFully(compressed);
        }
    }

    private static DataException tooMuch(String source, String what, String bound) {
        return new DataException(source + ": malformed Parquet: " + what + ", beyond " + bound + ": refused before reading");
    }

    /** An input stream that reads at most {@code limit} bytes and counts them. */
    private static final class CountingInput extends InputStream {
        private final InputStream in;
        private final long limit;
        long read;

        CountingInput(InputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            if (read >= limit) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                read++;
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (read >= limit) {
                return -1;
            }
            int n = in.read(buf, off, (int) Math.min(len, limit - read));
            if (n > 0) {
                read += n;
            }
            return n;
        }

        void skipFully(long n) throws IOException {
            long left = n;
            while (left > 0) {
                long s = in.skip(left);
                if (s <= 0) {
                    throw new java.io.EOFException("end of file inside a page");
                }
                left -= s;
                read += s;
            }
        }
    }
}
