#!/usr/bin/env bash
# End to end: train an order-anomaly model with the training-runner jar, publish it to a temp filesystem
# registry, start the packaged service jar on it (loopback, port 18080), run anomaly-load.sh, stop the service.
# Serial GC by default: on 2 cores it gave the best tail latency (no concurrent GC threads competing with
# request threads); override with SERVICE_JAVA_OPTS.
# CAPTURE=true: the service also captures every scored record to a throw-away PostgreSQL database on 127.0.0.1:5432
# (the MLOps loop's capture path); the script prints how many rows reached it.
# EXPLAIN_COMPARE=true: anomaly-load.sh also runs explain off / on side by side (see there).
# Build first: mvn -B -pl ai-advisor-service -am package -DskipTests
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
java="$JAVA_HOME/bin/java"
runner="$(ls "$root"/training-runner/target/training-runner-*-exec.jar)"
service="$(ls "$root"/ai-advisor-service/target/ai-advisor-service-*.jar | grep -v -- "-plain\.jar$" | head -1)"
work="$(mktemp -d)"
pid=""
db=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  [ -n "$db" ] && psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" postgres
  rm -rf "$work"
}
trap cleanup EXIT
capture_args=()
if [ "${CAPTURE:-false}" = true ]; then
  db="advisor_bench_$$"
  psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $db" postgres
  capture_args=(--spring.datasource.url="jdbc:postgresql://127.0.0.1:5432/$db" --spring.datasource.username=postgres)
fi

"$java" -jar "$runner" generate orders --rows 100000 --seed 7 --out "$work/orders.csv"
"$java" -jar "$runner" train anomaly --data "$work/orders.csv" --model-out "$work/model" --model-version bench
"$java" -jar "$runner" publish --model-dir "$work/model" --registry "file://$work/registry"

MODEL_URI="file://$work/registry/bench/order-anomaly" "$java" ${SERVICE_JAVA_OPTS:--Xmx1g -XX:+UseSerialGC} -jar "$service" \
  --server.port=18080 --server.address=127.0.0.1 --advisor.grpc.port=0 \
  --logging.level.root=WARN "${capture_args[@]}" >"$work/service.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do
  curl -fsS http://127.0.0.1:18080/actuator/health/readiness >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS http://127.0.0.1:18080/actuator/health/readiness >/dev/null || { cat "$work/service.log"; exit 1; }
BASE_URL=http://127.0.0.1:18080 "$here/anomaly-load.sh"
if [ -n "$db" ]; then
  sleep 2 # the capture writer flushes every 200 ms
  echo "captured rows: $(psql -tA -h 127.0.0.1 -U postgres -c 'SELECT count(*) FROM scored_orders' "$db"), dropped: $(curl -s http://127.0.0.1:18080/actuator/prometheus | grep '^advisor_capture_dropped_total' | awk '{print $2}')"
fi
