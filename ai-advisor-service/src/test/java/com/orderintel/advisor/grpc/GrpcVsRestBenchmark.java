package com.orderintel.advisor.grpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderintel.advisor.grpc.v2.GRPCInferenceServiceGrpc;
import com.orderintel.advisor.grpc.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import com.orderintel.advisor.grpc.v2.ModelInferRequest;
import com.orderintel.advisor.support.ServingTestBase;
import com.orderintel.dataset.OrderRow;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * gRPC vs REST JSON (both the Open Inference Protocol, order-anomaly, named FP64 tensors) in one run, alternating:
 * single record and 1,000-record batch, a Java client with a bounded number of calls and a bounded time per
 * scenario and round. Both clients send pre-built requests and keep the replies as bytes (the scores of both are
 * compared once, outside the timing); CPU per call is the whole process's (client and server share the cores). Tagged benchmark (not in CI):
 * {@code mvn -B -ntp -o -pl ai-advisor-service -am verify -Djacoco.skip=true -Dtest=GrpcVsRestBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -Dsurefire.excludedGroups=} ; results in
 * target/grpc-vs-rest.md and docs/benchmarks.md.
 */
@Tag("benchmark")
class GrpcVsRestBenchmark extends ServingTestBase {

    private static final int CLIENTS = Integer.getInteger("bench.clients", 4);
    /** gRPC channels (HTTP/2 connections), callers spread over them; REST's client opens one connection per caller. */
    private static final int CHANNELS = Integer.getInteger("bench.channels", 1);
    private static final Duration WARMUP = Duration.ofSeconds(Long.getLong("bench.warmupSeconds", 3));
    private static final Duration MEASURE = Duration.ofSeconds(Long.getLong("bench.seconds", 8));
    private static final int MAX_CALLS = Integer.getInteger("bench.maxCalls", 200_000);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 2);
    /** Only the scenarios whose name contains this (e.g. "1,000" for the batches); all when empty. */
    private static final String ONLY = System.getProperty("bench.only", "");
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final List<ToDoubleFunction<OrderRow>> FEATURES = GrpcTestClient.FEATURES;

    @Autowired
    GrpcServer server;

    @LocalServerPort
    int httpPort;

    @Test
    void grpcAgainstRestJson() throws Exception {
        awaitReady();
        List<ManagedChannel> channels = new ArrayList<>();
        for (int c = 0; c < CHANNELS; c++) {
            channels.add(NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build());
        }
        ManagedChannel channel = channels.getFirst();
        HttpClient rest = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI infer = URI.create("http://127.0.0.1:" + httpPort + "/v2/models/order-anomaly/infer");
        try {
            GRPCInferenceServiceBlockingStub stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
            List<OrderRow> one = MODELS.orderRows.subList(0, 1);
            List<OrderRow> batch = MODELS.orderRows.subList(0, 1000);
            ModelInferRequest grpcOne = GrpcInferenceTest.named(one, null, false);
            ModelInferRequest grpcBatch = GrpcInferenceTest.named(batch, null, false);
            String restOne = restJson(one);
            String restBatch = restJson(batch);
            // once, outside the timing: both transports answer the batch with the same scores
            assertThat(stub.modelInfer(grpcBatch).getOutputsList().stream().filter(o -> o.getName().equals("anomaly_score"))
                    .findFirst().orElseThrow().getContents().getFp64ContentsList())
                    .containsExactlyElementsOf(restScores(json.readTree(post(rest, infer, restBatch))));
            List<Scenario> scenarios = List.of(
                    new Scenario("gRPC, 1 record", () -> grpc(pick(channels), grpcOne)),
                    new Scenario("REST JSON, 1 record", () -> post(rest, infer, restOne).length),
                    new Scenario("gRPC, 1,000 records", () -> grpc(pick(channels), grpcBatch)),
                    new Scenario("REST JSON, 1,000 records", () -> post(rest, infer, restBatch).length));
            StringBuilder table = new StringBuilder("| round | scenario | calls | calls/s | records/s | p50 ms | p99 ms "
                    + "| CPU ms/call | client ms/call |\n|---|---|---|---|---|---|---|---|---|\n");
            for (int round = 1; round <= ROUNDS; round++) {
                for (Scenario s : scenarios) {
                    if (!s.name.contains(ONLY)) {
                        continue;
                    }
                    run(s, WARMUP);
                    Result r = run(s, MEASURE);
                    int records = s.name.contains("1,000") ? 1000 : 1;
                    table.append(String.format("| %d | %s | %,d | %,.0f | %,.0f | %.2f | %.2f | %.3f | %.3f |%n", round,
                            s.name, r.calls, r.perSecond, r.perSecond * records, r.p50, r.p99, r.cpuMs, r.clientCpuMs));
                    assertThat(r.errors).as(s.name + " errors").isZero();
                }
            }
            String text = "clients " + CLIENTS + ", gRPC channels " + CHANNELS + ", warm-up " + WARMUP.toSeconds() + " s, measured " + MEASURE.toSeconds()
                    + " s per scenario and round, at most " + MAX_CALLS + " calls, load avg "
                    + Files.readString(Path.of("/proc/loadavg")).strip() + "\n\n" + table;
            Files.writeString(Path.of("target/grpc-vs-rest.md"), text);
            System.out.println(text);
        } finally {
            for (ManagedChannel c : channels) {
                c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * ModelInfer with the reply kept as bytes, as the REST client keeps its body: neither client parses the answer in
     * the timed loop, so the client's share of the two cores is transport only on both sides.
     */
    private static final MethodDescriptor<ModelInferRequest, byte[]> INFER_AS_BYTES = GRPCInferenceServiceGrpc
            .getModelInferMethod().toBuilder(ProtoUtils.marshaller(ModelInferRequest.getDefaultInstance()),
                    new MethodDescriptor.Marshaller<byte[]>() {
                        @Override
                        public InputStream stream(byte[] value) {
                            return new ByteArrayInputStream(value);
                        }

                        @Override
                        public byte[] parse(InputStream stream) {
                            try {
                                return stream.readAllBytes();
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }
                    }).build();

    /** A caller's channel: the callers are pool threads, spread over the channels by thread id. */
    private static ManagedChannel pick(List<ManagedChannel> channels) {
        return channels.get((int) (Thread.currentThread().threadId() % channels.size()));
    }

    private static int grpc(ManagedChannel channel, ModelInferRequest request) {
        return ClientCalls.blockingUnaryCall(channel, INFER_AS_BYTES, CallOptions.DEFAULT, request).length;
    }

    private static byte[] post(HttpClient client, URI uri, String body) throws Exception {
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
        }
        return r.body();
    }

    private static List<Double> restScores(JsonNode response) {
        for (JsonNode o : response.get("outputs")) {
            if (o.get("name").asText().equals("anomaly_score")) {
                List<Double> scores = new ArrayList<>();
                o.get("data").forEach(v -> scores.add(v.doubleValue()));
                return scores;
            }
        }
        throw new AssertionError("no anomaly_score in " + response);
    }

    private String restJson(List<OrderRow> rows) {
        return GrpcTestClient.restRequest(json, rows).toString();
    }

    private record Scenario(String name, Callable<Integer> call) { }

    /**
     * {@code cpuMs}: CPU time of the whole process (server and client share it) per call; {@code clientCpuMs}: CPU time
     * of the calling threads alone per call (the client's own encoding and decoding; its transport threads are not in it).
     */
    private record Result(long calls, long errors, double perSecond, double p50, double p99, double cpuMs,
                          double clientCpuMs) { }

    /** CLIENTS callers in a closed loop until the time or the call budget runs out; latencies of every call. */
    private static Result run(Scenario s, Duration time) throws Exception {
        long end = System.nanoTime() + time.toNanos();
        int budget = MAX_CALLS / CLIENTS;
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<long[]>> futures = new ArrayList<>();
        long cpu0 = OS.getProcessCpuTime();
        long start = System.nanoTime();
        for (int c = 0; c < CLIENTS; c++) {
            futures.add(pool.submit(() -> {
                long[] lat = new long[budget + 2];
                long cpuStart = THREADS.getCurrentThreadCpuTime();
                int n = 0;
                long errors = 0;
                while (n < budget && System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    try {
                        s.call.call();
                    } catch (Exception e) {
                        errors++;
                    }
                    lat[n++] = System.nanoTime() - t0;
                }
                long[] out = Arrays.copyOf(lat, n + 2);
                out[n] = errors;
                out[n + 1] = THREADS.getCurrentThreadCpuTime() - cpuStart;
                return out;
            }));
        }
        List<Long> all = new ArrayList<>();
        long errors = 0;
        long clientCpu = 0;
        for (Future<long[]> f : futures) {
            long[] r = f.get(time.toSeconds() + 60, TimeUnit.SECONDS);
            for (int i = 0; i < r.length - 2; i++) {
                all.add(r[i]);
            }
            errors += r[r.length - 2];
            clientCpu += r[r.length - 1];
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long cpu = OS.getProcessCpuTime() - cpu0;
        pool.shutdown();
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        int calls = Math.max(sorted.length, 1);
        return new Result(sorted.length, errors, sorted.length / seconds, percentile(sorted, 0.50), percentile(sorted, 0.99),
                cpu / 1e6 / calls, clientCpu / 1e6 / calls);
    }

    private static double percentile(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1e6;
    }
}
