package com.orderintel.advisor.grpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderintel.advisor.support.ServingTestBase;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Python client (Debian's python3-grpcio) against the running service: stubs generated at test time from the same
 * src/main/proto/third_party/kserve/grpc_predict_v2.proto with grpc_tools.protoc, then every RPC, typed FP64 and raw little-endian FP32
 * [N, 3] contents, and NOT_FOUND for an unknown model. Skipped, saying why, when python3-grpcio is not installed
 * (.ci/run installs it).
 */
class GrpcPythonClientTest extends ServingTestBase {

    private static final String PYTHON = "/usr/bin/python3";

    @Autowired
    GrpcServer server;

    @Test
    void pythonClientGeneratedFromTheProtoCallsEveryRpc(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(run(dir, List.of(PYTHON, "-c", "import grpc, grpc_tools")).exit == 0,
                "python3-grpcio / python3-grpc-tools are not installed (apt-get install -y python3-grpcio "
                        + "python3-grpc-tools): the Python client test is skipped");
        awaitReady();
        Path protoDir = Path.of("src/main/proto/third_party/kserve").toAbsolutePath();
        Result gen = run(dir, List.of(PYTHON, "-m", "grpc_tools.protoc", "-I" + protoDir, "--python_out=" + dir,
                "--grpc_python_out=" + dir, protoDir.resolve("grpc_predict_v2.proto").toString()));
        assertThat(gen.exit).as(gen.output).isZero();
        Path script = dir.resolve("oip_client.py");
        try (InputStream in = getClass().getResourceAsStream("/grpc/oip_client.py")) {
            Files.copy(in, script);
        }
        Result client = run(dir, List.of(PYTHON, script.toString(), dir.toString(), "127.0.0.1:" + server.port()));
        assertThat(client.exit).as(client.output).isZero();
        String last = client.output.strip().lines().reduce((a, b) -> b).orElse("");
        JsonNode out = json.readTree(last);
        assertThat(out.get("live").asBoolean()).isTrue();
        assertThat(out.get("ready").asBoolean()).isTrue();
        assertThat(out.get("model_ready").asBoolean()).isTrue();
        assertThat(out.get("server").asText()).isEqualTo("ai-advisor-service");
        assertThat(out.get("inputs").toString()).contains("avg_processing_ms", "item_count", "payment_score");
        assertThat(out.get("id").asText()).isEqualTo("py-1");
        assertThat(out.get("typed_scores")).hasSize(2);
        assertThat(out.get("raw_fp32_scores")).hasSize(2);
        // the REST OIP's scores for the same two orders
        JsonNode rest = json.readTree(post("/v2/models/order-anomaly/infer", """
                {"inputs": [{"name": "input-0", "shape": [2, 3], "datatype": "FP64",
                             "data": [420.0, 3.0, 0.92, 9800.0, 41.0, 0.05]}]}""").getBody());
        JsonNode restScores = null;
        for (JsonNode o : rest.get("outputs")) {
            if (o.get("name").asText().equals("anomaly_score")) {
                restScores = o.get("data");
            }
        }
        assertThat(out.get("typed_scores")).isEqualTo(restScores);
        assertThat(out.get("unknown_model").asText()).isEqualTo("NOT_FOUND");
        assertThat(out.get("unknown_model_message").asText()).contains("model 'no-such-model' not found");
    }

    private record Result(int exit, String output) { }

    private static Result run(Path dir, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readNBytes(1 << 20);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, "timed out: " + new String(out, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
