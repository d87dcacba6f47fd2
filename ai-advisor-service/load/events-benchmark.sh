#!/usr/bin/env bash
# Events load benchmark (order.created in, order.monitoring out): runs EventsLoadBenchmark against the RabbitMQ on 127.0.0.1:5672 RUNS times
# and prints each run's figures and the median throughput and end-to-end p99.
#   RATE=5000 ANOMALOUS_EVERY=10 RUNS=3 EVENTS=100000 bash ai-advisor-service/load/events-benchmark.sh
# RATE=0 offers events as fast as the harness can publish (the ceiling); ANOMALOUS_EVERY=1 makes every event
# alert (worst case). CAPTURE=true also captures every scored event to a throw-away PostgreSQL database
# (127.0.0.1:5432) and checks none was dropped.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
RUNS="${RUNS:-3}"; RATE="${RATE:-5000}"; ANOMALOUS_EVERY="${ANOMALOUS_EVERY:-10}"
EVENTS="${EVENTS:-100000}"; WARMUP="${WARMUP:-50000}"; CAPTURE="${CAPTURE:-false}"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
for run in $(seq 1 "$RUNS"); do
  (cd "$root" && mvn -B -q -pl ai-advisor-service -am test -Dtest=EventsLoadBenchmark -Dsurefire.excludedGroups= \
      -Dsurefire.failIfNoSpecifiedTests=false -Dbench.events="$EVENTS" -Dbench.warmup="$WARMUP" -Dbench.capture="$CAPTURE" \
      -Dbench.rate="$RATE" -Dbench.anomalous-every="$ANOMALOUS_EVERY" >/dev/null) || { echo "run $run failed (see ai-advisor-service/target/surefire-reports)"; exit 1; }
  # the BENCH lines are the test's standard output, kept in its surefire XML report
  grep -o 'BENCH[^&<]*' "$root"/ai-advisor-service/target/surefire-reports/TEST-*EventsLoadBenchmark.xml | tee -a "$out"
done
python3 - "$out" <<'PY'
import re, statistics, sys
lines = [l for l in open(sys.argv[1]) if l.startswith('BENCH rate=')]
tp = [float(re.search(r'throughput=(\d+)', l).group(1)) for l in lines]
p99 = [float(re.search(r'p99=([\d.]+)ms', l).group(1)) for l in lines]
print(f"median of {len(lines)} runs: throughput {statistics.median(tp):.0f} events/s, end-to-end p99 {statistics.median(p99):.1f} ms")
PY
