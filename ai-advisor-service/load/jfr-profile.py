#!/usr/bin/env python3
"""Where the service's CPU goes, from a JDK Flight Recording (events-benchmark.sh JFR=DIR writes one per run).

    python3 ai-advisor-service/load/jfr-profile.py RECORDING.jfr [collapsed-stacks-out.txt]

Prints Markdown: (1) the share of execution samples by component, inclusive (a sample counts for the first
component rule matching any frame from the top of its stack down, so a frame deep in the Jackson parser called
from the listener counts as JSON), (2) the top frames by self samples. Optionally writes collapsed stacks
(frame;frame;... count) for any flame-graph renderer. Uses the JDK's own `jfr print`.
"""
import collections
import os
import re
import subprocess
import sys

JFR = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "jfr")

# first match wins, tested against each frame from the top of the stack down
COMPONENTS = [
    ("JSON (Jackson read/write)", r"com\.fasterxml\.jackson"),
    ("capture: COPY rows to PostgreSQL", r"com\.orderintel\.(batch\.CopyTable|advisor\.capture)|org\.postgresql"),
    ("metrics (Micrometer)", r"io\.micrometer"),
    ("logging", r"ch\.qos\.logback|org\.slf4j|org\.apache\.logging"),
    ("scoring (Isolation Forest, features)", r"com\.orderintel\.anomaly|com\.orderintel\.advisor\.events\.OrderScorer\.features"),
    ("prediction log (ids, AES)", r"com\.orderintel\.advisor\.feedback|javax\.crypto|com\.sun\.crypto"),
    ("drift monitor", r"com\.orderintel\.advisor\.metrics"),
    ("order claims (dedup)", r"com\.orderintel\.advisor\.events\.(ProcessedOrders|RedisOrderClaims)"),
    ("alert publish + confirms", r"com\.orderintel\.advisor\.events\.(ConfirmedPublisher|AlertPublisher)"),
    ("acks", r"com\.orderintel\.advisor\.events\.DeliveryAcks|ChannelN\.basicAck|ChannelN\.basicReject"),
    ("serving pipeline (rest)", r"com\.orderintel\.advisor\.serving"),
    ("events listener (rest)", r"com\.orderintel\.advisor\.events"),
    ("Spring AMQP container / message conversion", r"org\.springframework\.amqp"),
    ("RabbitMQ client (frames, socket I/O, dispatch)", r"com\.rabbitmq\.client"),
    ("HTTP (actuator scrapes)", r"org\.apache\.(catalina|coyote|tomcat)|org\.springframework\.web"),
    ("CompletableFuture / executors", r"java\.util\.concurrent\.(CompletableFuture|ThreadPool|ScheduledThreadPool)"),
]


def samples(path):
    out = subprocess.run([JFR, "print", "--events", "jdk.ExecutionSample", "--stack-depth", "128", path],
                         check=True, capture_output=True, text=True).stdout
    for block in out.split("jdk.ExecutionSample")[1:]:
        frames = re.findall(r"^\s+([\w$.<>]+\.[\w$<>]+)\(.*?line:", block, re.M)
        # start-up (the main thread building the context) is not the per-event cost
        if frames and not any(f.startswith("org.springframework.boot.loader.launch") for f in frames):
            yield frames


def main():
    path = sys.argv[1]
    by_component = collections.Counter()
    by_self = collections.Counter()
    collapsed = collections.Counter()
    n = 0
    for frames in samples(path):
        n += 1
        by_self[frames[0]] += 1
        collapsed[";".join(reversed(frames))] += 1
        for name, rule in COMPONENTS:
            if any(re.search(rule, f) for f in frames):
                by_component[name] += 1
                break
        else:
            by_component["other (JDK, GC-free VM code)"] += 1
    print(f"{n} execution samples in {os.path.basename(path)}\n")
    print("| component (inclusive, first rule from the top of the stack) | samples | share |")
    print("|---|---|---|")
    for name, c in by_component.most_common():
        print(f"| {name} | {c} | {100 * c / n:.1f} % |")
    print("\n| top frames (self) | samples | share |")
    print("|---|---|---|")
    for f, c in by_self.most_common(15):
        print(f"| `{f}` | {c} | {100 * c / n:.1f} % |")
    if len(sys.argv) > 2:
        with open(sys.argv[2], "w") as out:
            for stack, c in collapsed.most_common():
                out.write(f"{stack} {c}\n")


if __name__ == "__main__":
    main()
