#!/usr/bin/env bash
# Events benchmark against the broker's own ceiling, in one run on one machine (order.created in, order.monitoring out).
# Each run: (1) the ceiling probe (EventsLoad.java probe: the service's broker work alone on the RabbitMQ client:
# persistent events in, manual acks at the service's prefetch, a confirmed persistent alert for the anomalous share,
# no scoring, no capture); (2) every service jar in SERVICE_JARS in turn (alternating, same run), each as its own
# process with capture on to a throw-away PostgreSQL database, offered RATE events/s (default FRACTION x the ceiling
# just measured), and prints one BENCH line: throughput, p50/p99 end-to-end (publish -> alert received),
# ratio_to_broker_ceiling, the service's CPU microseconds per event (its /proc/PID/stat utime+stime over the measured
# window), lost alerts and capture rows / dropped.
#   FRACTION=0.8 RUNS=3 bash ai-advisor-service/load/events-benchmark.sh          # 80 % of the ceiling
#   FRACTION=1.3 bash ai-advisor-service/load/events-benchmark.sh                 # above the ceiling
#   SERVICE_JARS="/tmp/before.jar ai-advisor-service/target/ai-advisor-service-0.1.0-SNAPSHOT.jar" ...  # side by side
# Other knobs: RATE (fixed offered rate), EVENTS, WARMUP, ANOMALOUS_EVERY, QUEUE_TYPE (quorum|classic), CAPTURE,
# SERVICE_JAVA_OPTS, JFR=DIR (record a flight recording of each service run there).
# Needs RabbitMQ on 127.0.0.1:5672 (guest) and PostgreSQL on 127.0.0.1:5432 (trust). Build first:
#   mvn -B -pl ai-advisor-service,training-runner -am package -DskipTests
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
java="$JAVA_HOME/bin/java"
RUNS="${RUNS:-1}"; FRACTION="${FRACTION:-0.8}"; RATE="${RATE:-}"
export EVENTS="${EVENTS:-100000}" WARMUP="${WARMUP:-30000}" ANOMALOUS_EVERY="${ANOMALOUS_EVERY:-10}"
export QUEUE_TYPE="${QUEUE_TYPE:-quorum}"
CAPTURE="${CAPTURE:-true}"
SERVICE_JARS="${SERVICE_JARS:-$(ls "$root"/ai-advisor-service/target/ai-advisor-service-*.jar | grep -v -- '-plain\.jar$' | head -1)}"
runner="$(ls "$root"/training-runner/target/training-runner-*-exec.jar)"
work="$(mktemp -d)"
pid=""; db=""; names=()
cleanup() {
  set +e
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  [ -n "$db" ] && psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" postgres
  for q in "${names[@]}"; do rabbitmqctl -q delete_queue "$q" >/dev/null 2>&1; done
  rm -rf "$work"
}
trap cleanup EXIT

# the load tool runs as a single source file on the client the service itself ships
mkdir -p "$work/lib"
(cd "$work/lib" && unzip -o -j -q "$(echo "$SERVICE_JARS" | awk '{print $1}')" 'BOOT-INF/lib/amqp-client-*.jar' 'BOOT-INF/lib/slf4j-api-*.jar')
load() { "$java" -Xmx1g -cp "$work/lib/*" "$here/EventsLoad.java" "$@" 2>/dev/null; }

"$java" -jar "$runner" generate orders --rows 20000 --seed 7 --out "$work/orders.csv" >/dev/null
"$java" -jar "$runner" train anomaly --data "$work/orders.csv" --model-out "$work/model" --model-version bench >/dev/null
"$java" -jar "$runner" publish --model-dir "$work/model" --registry "file://$work/registry" >/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

for run in $(seq 1 "$RUNS"); do
  s="bench-$$-$run-probe"
  names=("probe.$s" "alerts.$s")
  probe=$(EXCHANGE="order.exchange.$s" QUEUE="probe.$s" ALERTS_QUEUE="alerts.$s" RATE=0 load probe | grep '^RESULT')
  rabbitmqctl -q delete_exchange "order.exchange.$s" >/dev/null 2>&1 || true
  ceiling=$(sed -E 's/.* throughput=([0-9]+).*/\1/' <<<"$probe")
  echo "PROBE run=$run $probe" | sed 's/ p99_per_step_ms=.*//'
  rate="${RATE:-$(python3 -c "print(int($ceiling * $FRACTION))")}"
  for jar in $SERVICE_JARS; do
    s="bench-$$-$run-$(basename "$jar" .jar | tr -c 'a-zA-Z0-9\n' '-')"
    q="ai-advisor.order-created.$s"
    names=("$q" "$q.dlq" "alerts.$s")
    port=$(free_port)
    capture_args=()
    if [ "$CAPTURE" = true ]; then
      db="advisor_bench_$$_$run"
      psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $db" postgres
      capture_args=(--spring.datasource.url="jdbc:postgresql://127.0.0.1:5432/$db" --spring.datasource.username=postgres)
    fi
    jfr=()
    [ -n "${JFR:-}" ] && mkdir -p "$JFR" && jfr=("-XX:StartFlightRecording=filename=$JFR/$s.jfr,settings=profile")
    MODEL_URI_ANOMALY="file://$work/registry/bench/order-anomaly" "$java" ${SERVICE_JAVA_OPTS:--Xmx1g -XX:+UseSerialGC} "${jfr[@]}" \
      -jar "$jar" --server.port="$port" --server.address=127.0.0.1 --advisor.grpc.port=0 --logging.level.root=WARN \
      --advisor.events.enabled=true --advisor.events.exchange="order.exchange.$s" --advisor.events.queue="$q" \
      --advisor.events.dead-letter-exchange="ai-advisor.dlx.$s" --advisor.events.dead-letter-queue="$q.dlq" \
      --advisor.events.queue-type="$QUEUE_TYPE" "${capture_args[@]}" >"$work/service.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 240); do
      curl -fsS "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null 2>&1 && break
      sleep 0.5
    done
    curl -fsS "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null || { tail -50 "$work/service.log"; exit 1; }
    until rabbitmqctl -q list_queues name consumers 2>/dev/null | grep -q "^$q[[:space:]]*[1-9]"; do sleep 0.5; done
    result=$(EXCHANGE="order.exchange.$s" QUEUE="$q" ALERTS_QUEUE="alerts.$s" RATE="$rate" SERVICE_PID="$pid" \
      SERVICE_URL="http://127.0.0.1:$port" load service | grep '^RESULT' || true)
    [ -z "$result" ] && { echo "run $run $jar: the load tool gave no result"; tail -30 "$work/service.log"; exit 1; }
    capture=""
    if [ -n "$db" ]; then
      expected=$((EVENTS + WARMUP)); rows=0
      for _ in $(seq 1 100); do
        rows=$(psql -tA -h 127.0.0.1 -U postgres -c 'SELECT count(*) FROM scored_orders' "$db")
        [ "$rows" -ge "$expected" ] && break
        sleep 0.2
      done
      dropped=$(curl -s "http://127.0.0.1:$port/actuator/prometheus" | awk '/^advisor_capture_dropped_total/ {s += $2} END {print s + 0}')
      capture=" captured=$rows/$expected capture_dropped=$dropped"
    fi
    dlq=$(rabbitmqctl -q list_queues name messages 2>/dev/null | awk -v q="$q.dlq" '$1 == q {print $2}')
    throughput=$(sed -E 's/.* throughput=([0-9]+).*/\1/' <<<"$result")
    ratio=$(python3 -c "print(f'{$throughput / $ceiling:.2f}')")
    echo "BENCH run=$run jar=$(basename "$jar") queue_type=$QUEUE_TYPE ceiling=$ceiling offered=$rate throughput=$throughput ratio_to_broker_ceiling=$ratio $(grep -oE 'p50_ms=[^ ]+ p99_ms=[^ ]+ max_ms=[^ ]+' <<<"$result") $(grep -oE 'cpu_us_per_event=[^ ]+' <<<"$result") $(grep -oE 'lost=[^ ]+ duplicate_alerts=[^ ]+' <<<"$result")$capture dead_letters=${dlq:-?} $(grep -oE 'alert_bytes=[^ ]+ p99_per_step_ms=[^ ]+' <<<"$result")"
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
    [ -n "$db" ] && psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" postgres && db=""
    for n in "${names[@]}"; do rabbitmqctl -q delete_queue "$n" >/dev/null 2>&1 || true; done
    rabbitmqctl -q delete_exchange "order.exchange.$s" >/dev/null 2>&1 || true
    rabbitmqctl -q delete_exchange "ai-advisor.dlx.$s" >/dev/null 2>&1 || true
  done
done
