package com.orderintel.advisor.inference;

import com.orderintel.advisor.inference.OipPayloads.RequestInput;
import com.orderintel.advisor.inference.OipPayloads.RequestOutput;

import java.util.List;
import java.util.Map;

/**
 * An input tensor as inference reads it: the REST OIP's JSON tensor (its elements a JSON tree, checked one by one)
 * or one that a binary transport has decoded into a primitive array (gRPC's typed and raw contents), so both meet the
 * same checks in {@link Tensors} without binary elements being turned into JSON nodes first.
 */
public sealed interface TensorInput permits RequestInput, TensorInput.Decoded {

    String name();

    List<Long> shape();

    String datatype();

    /**
     * Elements already decoded by the transport, flat and row-major: {@code double[]} for every numeric datatype,
     * {@code String[]} for BYTES, {@code boolean[]} for BOOL.
     */
    record Decoded(String name, List<Long> shape, String datatype, Object data) implements TensorInput { }

    /** An inference request as inference reads it, whichever transport decoded it. */
    interface Request {
        String id();

        Map<String, Object> parameters();

        List<? extends TensorInput> inputs();

        List<RequestOutput> outputs();
    }
}
