package com.orderintel.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * The private RabbitMQ, PostgreSQL and Redis that {@code e2e-tests/faults.sh} started for the fault-injection suite
 * ({@code e2e-tests/faults/infra.sh}: own ports, data dirs, node name and cookie, never the machine's shared
 * services), the faults the tests inject into them, and the one-line figures each scenario reports.
 */
final class FaultInfra {

    static final Path DIR = Path.of(required("FAULTS_DIR"));
    static final Path SCRIPT = Processes.ROOT.resolve("e2e-tests/faults/infra.sh");
    /** A service start takes ~5 s on an idle 2-core machine and over 2 minutes when other builds load it 10x. */
    static final java.time.Duration READY = java.time.Duration.ofMinutes(5);

    private FaultInfra() {
    }

    private static String required(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + " is not set: run the fault-injection suite with bash e2e-tests/faults.sh");
        }
        return v;
    }

    static int rabbitPort() {
        return Integer.parseInt(required("FAULTS_RABBIT_PORT"));
    }

    static int postgresPort() {
        return Integer.parseInt(required("FAULTS_PG_PORT"));
    }

    static int redisPort() {
        return Integer.parseInt(required("FAULTS_REDIS_PORT"));
    }

    static String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort() + "/" + database;
    }

    /** A fresh database on the suite's PostgreSQL, named {@code prefix} and 8 random hex digits; returns its name. */
    static String createDatabase(String prefix) throws java.sql.SQLException {
        String db = prefix + java.util.UUID.randomUUID().toString().substring(0, 8);
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
             java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + db);
        }
        return db;
    }

    /** Runs one fault action of infra.sh (bounded to 2 minutes) and fails the test if it fails; returns its output. */
    static String inject(String action, String... args) {
        return inject(Duration.ofMinutes(2), action, args);
    }

    /** {@link #inject(String, String...)} with a bound of its own (a cluster boots three nodes). */
    static String inject(Duration bound, String action, String... args) {
        List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString(), DIR.toString(), action));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            // read while it runs: a full pipe would block the script
            java.util.concurrent.CompletableFuture<byte[]> output = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            if (!p.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("infra.sh " + action + " did not finish in " + bound);
            }
            String out = new String(output.join(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("infra.sh " + action + " exited with " + p.exitValue() + ":\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run infra.sh " + action + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during infra.sh " + action, e);
        }
    }

    /** The cluster's nodes and AMQP ports, as infra.sh cluster-up wrote them to DIR/cluster.env (same order). */
    record Cluster(List<String> nodes, int[] ports) {
        static Cluster read() throws IOException {
            Map<String, String> env = new LinkedHashMap<>();
            for (String line : Files.readAllLines(DIR.resolve("cluster.env"))) {
                String kv = line.replaceFirst("^export ", "");
                int eq = kv.indexOf('=');
                env.put(kv.substring(0, eq), kv.substring(eq + 1).replace("\"", ""));
            }
            return new Cluster(List.of(env.get("CLUSTER_NODES").split(" ")),
                    java.util.Arrays.stream(env.get("CLUSTER_PORTS").split(" ")).mapToInt(Integer::parseInt).toArray());
        }
    }

    /** A scenario's figures, in order; {@link #report} prints them as one line. */
    static Map<String, Object> figures() {
        return new LinkedHashMap<>();
    }

    /**
     * Prints {@code FAULTS <scenario> k=v ...} and appends it to {@code FAULTS_DIR/figures.txt}, which faults.sh
     * prints at the end (surefire keeps test output in files). Called before the assertions, so a failing scenario
     * still reports what it measured.
     */
    static void report(String scenario, Map<String, Object> figures) {
        StringJoiner line = new StringJoiner(" ", "FAULTS " + scenario + " ", "");
        figures.forEach((k, v) -> line.add(k + "=" + v));
        System.out.println(line);
        try {
            Files.writeString(DIR.resolve("figures.txt"), Instant.now() + " " + line + System.lineSeparator(),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the figures: " + e.getMessage(), e);
        }
    }
}
