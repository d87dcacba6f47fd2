package com.orderintel.registry;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * The framing shared by the binary model codecs (isolation forest, both tree ensembles): a body reads the model
 * from the artifact's bytes, nothing may follow it, and every failure (truncation, bad UTF-8, a count that does not
 * fit the bytes left, a value the model refuses) becomes a {@link RegistryException} ({@code CORRUPT_ARTIFACT})
 * naming the model, its version and what is wrong.
 */
public final class BinaryArtifacts {

    private BinaryArtifacts() {
    }

    /** What a codec reads after the common framing: its model, from the stream; {@code what} names the artifact. */
    @FunctionalInterface
    public interface Body<T> {
        T read(DataInputStream in, String what) throws IOException;
    }

    /** Decodes {@code artifact} with {@code body}, translating every failure as described above. */
    public static <T> T decode(ModelManifest manifest, byte[] artifact, Body<T> body) {
        String what = "artifact of model '" + manifest.name() + "' version '" + manifest.version() + "'";
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(artifact))) {
            T model = body.read(in, what);
            if (in.available() != 0) {
                throw corrupt(what, in.available() + " unexpected trailing bytes");
            }
            return model;
        } catch (java.io.UTFDataFormatException e) {
            throw corrupt(what, "a name is not valid modified UTF-8");
        } catch (IOException e) {
            throw corrupt(what, "it is truncated (" + artifact.length + " bytes)");
        } catch (RegistryException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw corrupt(what, e.getMessage());
        }
    }

    /** Refuses before allocating when fewer than {@code bytes} remain (a ByteArrayInputStream knows exactly). */
    public static void need(DataInputStream in, long bytes, String forWhat, String what) throws IOException {
        if (in.available() < bytes) {
            throw corrupt(what, "it is truncated or its header is wrong: " + forWhat + " need " + bytes + " bytes, "
                    + in.available() + " remain");
        }
    }

    /** Most nodes a tree-ensemble artifact may declare over all its trees. */
    public static final int MAX_TREE_NODES = 50_000_000;

    /**
     * The tree ensembles' shared layout after their headers: {@code trees} root indices (already bounded by the
     * caller), then the node count over all trees, bounded by {@link #MAX_TREE_NODES}. The bytes of the roots and
     * of the count are checked present before the roots are allocated.
     */
    public static TreeIndex readTreeIndex(DataInputStream in, int trees, String what) throws IOException {
        need(in, 4L * trees + 4, trees + " tree roots", what);
        int[] roots = new int[trees];
        for (int t = 0; t < trees; t++) {
            roots[t] = in.readInt();
        }
        int nodes = in.readInt();
        if (nodes <= 0 || nodes > MAX_TREE_NODES) {
            throw corrupt(what, "implausible node count " + nodes);
        }
        return new TreeIndex(roots, nodes);
    }

    /** Each tree's root index and the node count over all trees. */
    public record TreeIndex(int[] roots, int nodes) {
    }

    public static RegistryException corrupt(String what, String why) {
        return new RegistryException(RegistryException.Reason.CORRUPT_ARTIFACT, what + " is corrupt: " + why);
    }
}
