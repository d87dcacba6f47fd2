package com.orderintel.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The platform's real jars run as processes, the way an operator runs them. */
final class Processes {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    static final Path RUNNER_JAR = ROOT.resolve("training-runner/target/training-runner-0.1.0-SNAPSHOT-exec.jar");
    /** The service jar; {@code -De2e.service.jar=...} runs a scenario against another build (e.g. to measure "before"). */
    static final Path SERVICE_JAR = Path.of(System.getProperty("e2e.service.jar",
            ROOT.resolve("ai-advisor-service/target/ai-advisor-service-0.1.0-SNAPSHOT.jar").toString()));
    static final Path REGISTRY_SERVER_JAR = ROOT.resolve("model-registry/server/target/registry-server-0.1.0-SNAPSHOT.jar");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Processes() {
    }

    /** The result of one CLI run. */
    record Run(int exitCode, String output) { }

    /** Runs the training runner with {@code env}, bounded to 5 minutes; output is stdout and stderr together. */
    static Run runner(Map<String, String> env, Path workDir, String... args) throws IOException, InterruptedException {
        return startRunner(env, workDir, args).await(5);
    }

    /** A runner started in the background (for faults injected while it works); output in {@code log}. */
    record Background(Process process, Path log, String args) {
        Run await(long minutes) throws IOException, InterruptedException {
            if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("runner " + args + " did not finish in " + minutes + " minutes:\n"
                        + Files.readString(log));
            }
            return new Run(process.exitValue(), Files.readString(log));
        }
    }

    static Background startRunner(Map<String, String> env, Path workDir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(JAVA.toString(), "--enable-native-access=ALL-UNNAMED", "-jar",
                RUNNER_JAR.toString()));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(workDir, "runner-", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        return new Background(p, log, String.join(" ", args));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static HttpResponse<String> get(String url, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET()
                .header("Authorization", "Bearer " + bearer);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> postJson(String url, String json) throws IOException, InterruptedException {
        return postJson(url, json, null);
    }

    static HttpResponse<String> postJson(String url, String json, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(b.timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The value of the first sample of {@code metric} whose labels contain every one of {@code labels}, or NaN. */
    static double scrape(String prometheusText, String metric, String... labels) {
        return prometheusText.lines()
                .filter(l -> l.startsWith(metric + "{") || l.startsWith(metric + " "))
                .filter(l -> java.util.Arrays.stream(labels).allMatch(l::contains))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElse(Double.NaN);
    }

    /**
     * One instance of a Spring Boot jar (by default ai-advisor-service): its own port, the given environment; stopped
     * (SIGTERM, then kill) on close.
     */
    static final class Service implements AutoCloseable {
        final String name;
        final int port;
        private final Process process;
        final Path log;

        Service(String name, Map<String, String> env, Path workDir) throws IOException {
            this(name, env, workDir, "512m");
        }

        /** With a heap of {@code maxHeap} ({@code -Xmx}, e.g. "768m"). */
        Service(String name, Map<String, String> env, Path workDir, String maxHeap) throws IOException {
            this(name, SERVICE_JAR, "PORT", advisorDefaults(name, env), workDir, maxHeap);
        }

        private Service(String name, Path jar, String portVariable, Map<String, String> env, Path workDir, String maxHeap)
                throws IOException {
            this.name = name;
            this.port = freePort();
            this.log = workDir.resolve(name + ".log");
            ProcessBuilder pb = new ProcessBuilder(JAVA.toString(), "--enable-native-access=ALL-UNNAMED", "-Xmx" + maxHeap,
                    "-jar", jar.toString()).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().putAll(env);
            pb.environment().put(portVariable, String.valueOf(port));
            this.process = pb.start();
        }

        /** The registry server (API and console) with {@code env} (REGISTRY_URI, REGISTRY_USERS, ...). */
        static Service registryServer(String name, Map<String, String> env, Path workDir) throws IOException {
            return new Service(name, REGISTRY_SERVER_JAR, "REGISTRY_PORT", env, workDir, "384m");
        }

        private static Map<String, String> advisorDefaults(String name, Map<String, String> env) {
            Map<String, String> all = new HashMap<>(env);
            // any free port for the gRPC server too, so instances side by side never fight over 8090
            all.putIfAbsent("ADVISOR_GRPC_PORT", "0");
            all.put("HOSTNAME", name);
            return all;
        }

        String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }

        /** Waits (bounded) until readiness is UP; fails with the log's tail otherwise. */
        void awaitReady(Duration timeout) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail());
                }
                try {
                    if (get(url("/actuator/health/readiness")).statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(250);
            }
            throw new IllegalStateException(name + " not ready within " + timeout + ":\n" + tail());
        }

        boolean alive() {
            return process.isAlive();
        }

        /** The process's peak resident set (VmHWM in /proc), in KB; -1 when unknown. */
        long peakRssKb() {
            try {
                return Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status")).stream()
                        .filter(l -> l.startsWith("VmHWM:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")))
                        .findFirst().orElse(-1);
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        String metrics() throws IOException, InterruptedException {
            return get(url("/actuator/prometheus")).body();
        }

        String tail() throws IOException {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }

        /** SIGKILL (what {@code destroyForcibly} sends on Linux): no shutdown hook, no drain; waits until it is gone. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
