"""A Python Open Inference Protocol gRPC client (grpcio, stubs generated from the service's .proto at test time).

Usage: oip_client.py STUBS_DIR HOST:PORT. Prints one JSON object with what it saw; GrpcPythonClientTest checks it.
"""
import json
import struct
import sys

sys.path.insert(0, sys.argv[1])
import grpc  # noqa: E402
import grpc_predict_v2_pb2 as pb  # noqa: E402
import grpc_predict_v2_pb2_grpc as pbg  # noqa: E402

rows = [(420.0, 3.0, 0.92), (9800.0, 41.0, 0.05)]
with grpc.insecure_channel(sys.argv[2]) as channel:
    stub = pbg.GRPCInferenceServiceStub(channel)
    out = {
        "live": stub.ServerLive(pb.ServerLiveRequest(), timeout=30).live,
        "ready": stub.ServerReady(pb.ServerReadyRequest(), timeout=30).ready,
        "model_ready": stub.ModelReady(pb.ModelReadyRequest(name="order-anomaly"), timeout=30).ready,
        "server": stub.ServerMetadata(pb.ServerMetadataRequest(), timeout=30).name,
        "inputs": [t.name for t in stub.ModelMetadata(pb.ModelMetadataRequest(name="order-anomaly"), timeout=30).inputs],
    }
    typed = pb.ModelInferRequest(model_name="order-anomaly", id="py-1")
    t = typed.inputs.add(name="input-0", datatype="FP64", shape=[len(rows), 3])
    t.contents.fp64_contents.extend([v for r in rows for v in r])
    res = stub.ModelInfer(typed, timeout=30)
    out["typed_scores"] = [list(o.contents.fp64_contents) for o in res.outputs if o.name == "anomaly_score"][0]
    out["id"] = res.id

    raw = pb.ModelInferRequest(model_name="order-anomaly")
    raw.inputs.add(name="input-0", datatype="FP32", shape=[len(rows), 3])
    raw.raw_input_contents.append(struct.pack("<%df" % (3 * len(rows)), *[v for r in rows for v in r]))
    res = stub.ModelInfer(raw, timeout=30)
    out["raw_fp32_scores"] = [list(o.contents.fp64_contents) for o in res.outputs if o.name == "anomaly_score"][0]

    try:
        stub.ModelInfer(pb.ModelInferRequest(model_name="no-such-model"), timeout=30)
        out["unknown_model"] = "OK"
    except grpc.RpcError as e:
        out["unknown_model"] = e.code().name
        out["unknown_model_message"] = e.details()
print(json.dumps(out))
