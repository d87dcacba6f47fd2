#!/usr/bin/env bash
# Events benchmark against the broker's own ceiling, in one run on one machine (order.created in, order.monitoring out).
# Each run: (1) the ceiling probe (EventsLoad.java probe: the service's broker work alone on the RabbitMQ client:
# persistent events in, manual acks at the service's prefetch, a confirmed persistent alert for the anomalous share,
# no scoring, no capture); (2) every service jar in SERVICE_JARS in turn (alternating, same run), each as its own
# process with capture on to a throw-away PostgreSQL database, offered RATE events/s (default FRACTION x the ceiling
# just measured), each followed by the probe again, and prints one BENCH line: throughput, p50/p99 end-to-end
# (publish -> alert received), ratio_to_broker_ceiling (to the mean of the probes just before and just after it: the
# broker's own rate on this kind of machine moves by 2x within minutes), the service's CPU microseconds per event
# (its /proc/PID/stat utime+stime over the measured window), lost alerts and capture rows / dropped.
# After each service run the probe also runs open-loop at the service's offered rate (FLOOR=0 skips it):
# broker_only_p50_ms/p99_ms, the latency the broker alone gives at that rate on this machine (at 80 % of the
# closed-loop ceiling it is well over 50 ms here), so the service's p99 is read against it.
# The warm-up (WARMUP, default 150,000 events) ramps from a quarter of the rate to the rate, so a slow start leaves no
# backlog for the measured window. With 30,000 unramped events the C2 compiler was a third of the service's CPU in
# the window; with 150,000 it is still about a quarter on two cores (docs/benchmarks.md), so CPU per event includes it.
#   FRACTION=0.8 RUNS=3 bash ai-advisor-service/load/events-benchmark.sh          # 80 % of the ceiling
#   FRACTION=1.3 bash ai-advisor-service/load/events-benchmark.sh                 # above the ceiling
#   SERVICE_JARS="/tmp/before.jar ai-advisor-service/target/ai-advisor-service-0.1.0-SNAPSHOT.jar" ...  # side by side
# Other knobs: RATE (fixed offered rate), EVENTS, WARMUP, ANOMALOUS_EVERY, QUEUE_TYPE (quorum|classic), CAPTURE,
# SERVICE_JAVA_OPTS (SERVICE_JAVA_OPTS_<n> for the n-th entry of SERVICE_JARS only: one jar twice with two GCs),
# JFR=DIR (a flight recording of each service run there), PROFILE=DIR (async-profiler, tools.profiler:async-profiler
# from Maven Central, CPU samples of every thread incl. GC and JIT; writes the measured window of the n-th service run
# as a flame graph DIR/<n>-<jar>.html and collapsed stacks DIR/<n>-<jar>.collapsed).
# Needs RabbitMQ on 127.0.0.1:5672 (guest) and PostgreSQL on 127.0.0.1:5432 (trust). Build first:
#   mvn -B -pl ai-advisor-service,training-runner -am package -DskipTests
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
java="$JAVA_HOME/bin/java"
RUNS="${RUNS:-1}"; FRACTION="${FRACTION:-0.8}"; RATE="${RATE:-}"
export EVENTS="${EVENTS:-100000}" WARMUP="${WARMUP:-150000}" ANOMALOUS_EVERY="${ANOMALOUS_EVERY:-10}"
export QUEUE_TYPE="${QUEUE_TYPE:-quorum}"
CAPTURE="${CAPTURE:-true}"
SERVICE_JARS="${SERVICE_JARS:-$(ls "$root"/ai-advisor-service/target/ai-advisor-service-*.jar | grep -v -- '-plain\.jar$' | head -1)}"
runner="$(ls "$root"/training-runner/target/training-runner-*-exec.jar)"
work="$(mktemp -d)"
pid=""; db=""; names=()
exchanges=()
cleanup() {
  set +e
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  [ -n "$db" ] && psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" postgres
  forget
  rm -rf "$work"
}
# deletes this run's queues and exchanges at the broker
forget() {
  [ ${#names[@]} -gt 0 ] || [ ${#exchanges[@]} -gt 0 ] || return 0
  DELETE_QUEUES="$(IFS=,; echo "${names[*]}")" DELETE_EXCHANGES="$(IFS=,; echo "${exchanges[*]}")" load delete || true
  names=(); exchanges=()
}
trap cleanup EXIT

# the load tool runs as a single source file on the client the service itself ships
mkdir -p "$work/lib"
(cd "$work/lib" && unzip -o -j -q "$(echo "$SERVICE_JARS" | awk '{print $1}')" 'BOOT-INF/lib/amqp-client-*.jar' 'BOOT-INF/lib/slf4j-api-*.jar')
load() { "$java" -Xmx1g -cp "$work/lib/*" "$here/EventsLoad.java" "$@" 2>/dev/null; }
profiler=""
if [ -n "${PROFILE:-}" ]; then
  mkdir -p "$PROFILE"
  ap="${ASYNC_PROFILER_VERSION:-4.2}"
  m2="$HOME/.m2/repository/tools/profiler"
  [ -f "$m2/async-profiler/$ap/async-profiler-$ap.jar" ] || mvn -B -q -ntp dependency:get -Dtransitive=false -Dartifact="tools.profiler:async-profiler:$ap"
  [ -f "$m2/jfr-converter/$ap/jfr-converter-$ap.jar" ] || mvn -B -q -ntp dependency:get -Dtransitive=false -Dartifact="tools.profiler:jfr-converter:$ap"
  (cd "$work" && unzip -o -j -q "$m2/async-profiler/$ap/async-profiler-$ap.jar" 'linux-x64/libasyncProfiler.so')
  profiler="$work/libasyncProfiler.so"; converter="$m2/jfr-converter/$ap/jfr-converter-$ap.jar"
fi
# one probe run (queues and exchange of its own, deleted after): as fast as the broker takes them (the ceiling) or,
# given a rate, open-loop at it; prints its RESULT line on stderr and its sustained events/s on stdout
probe() {
  local s="bench-$$-$run-probe-$1" out
  names=("probe.$s" "alerts.$s"); exchanges=("order.exchange.$s")
  out=$(EXCHANGE="order.exchange.$s" QUEUE="probe.$s" ALERTS_QUEUE="alerts.$s" RATE="${2:-0}" load probe | grep '^RESULT')
  forget
  echo "PROBE run=$run $(sed 's/ window_epoch_ms=.*//' <<<"$out")" >&2
  [ -n "$out" ] || { echo "the probe gave no result" >&2; exit 1; }
  sed -E 's/.* throughput=([0-9]+).*/\1/' <<<"$out"
}

"$java" -jar "$runner" generate orders --rows 20000 --seed 7 --out "$work/orders.csv" >/dev/null
"$java" -jar "$runner" train anomaly --data "$work/orders.csv" --model-out "$work/model" --model-version bench >/dev/null
"$java" -jar "$runner" publish --model-dir "$work/model" --registry "file://$work/registry" >/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# the first probe after the broker idled measured at about half of the next ones (3,558-6,330 vs 9,373-11,924
# events/s, minutes apart): one short probe first, not counted
run=0
EVENTS=30000 WARMUP=10000 probe warm >/dev/null 2>&1 || true
for run in $(seq 1 "$RUNS"); do
  before=$(probe 0)
  rate="${RATE:-$(python3 -c "print(int($before * $FRACTION))")}"
  n=0
  for jar in $SERVICE_JARS; do
    n=$((n + 1))
    s="bench-$$-$run-$n-$(basename "$jar" .jar | tr -c 'a-zA-Z0-9\n' '-')"
    opts_n="SERVICE_JAVA_OPTS_$n"; opts="${!opts_n:-${SERVICE_JAVA_OPTS:--Xmx1g -XX:+UseSerialGC}}"
    q="ai-advisor.order-created.$s"
    names=("$q" "$q.dlq" "alerts.$s"); exchanges=("order.exchange.$s" "ai-advisor.dlx.$s")
    port=$(free_port)
    capture_args=()
    if [ "$CAPTURE" = true ]; then
      db="advisor_bench_$$_$run"
      psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $db" postgres
      capture_args=(--spring.datasource.url="jdbc:postgresql://127.0.0.1:5432/$db" --spring.datasource.username=postgres)
    fi
    jfr=()
    [ -n "${JFR:-}" ] && mkdir -p "$JFR" && jfr=("-XX:StartFlightRecording=filename=$JFR/$s.jfr,settings=profile")
    [ -n "$profiler" ] && jfr+=("-agentpath:$profiler=start,event=ctimer,interval=1ms,file=$work/$s.ap.jfr")
    MODEL_URI_ANOMALY="file://$work/registry/bench/order-anomaly" "$java" $opts "${jfr[@]}" \
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
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
    [ -n "$db" ] && psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" postgres && db=""
    forget
    if [ -n "$profiler" ]; then
      window=$(grep -oE 'window_epoch_ms=[0-9]+-[0-9]+' <<<"$result" | cut -d= -f2)
      for format in html collapsed; do
        "$java" -jar "$converter" --cpu --from "${window%-*}" --to "${window#*-}" -o "$format" \
          --title "events, $(basename "$jar"), measured window" "$work/$s.ap.jfr" "$PROFILE/$n-$(basename "$jar" .jar).$format" >/dev/null
      done
    fi
    after=$(probe "$n")
    # the broker alone at the same offered rate (open loop): the latency floor the service's p99 stands on
    floor=""
    if [ "${FLOOR:-1}" = 1 ]; then
      floor_line=$(probe "floor-$n" "$rate" 2>&1 >/dev/null)
      echo "$floor_line"
      floor=$(grep -oE 'p50_ms=[^ ]+ p99_ms=[^ ]+' <<<"$floor_line" | sed 's/^/broker_only_/; s/ / broker_only_/')
    fi
    ceiling=$(( (before + after) / 2 ))
    ratio=$(python3 -c "print(f'{$throughput / $ceiling:.2f}')")
    echo "BENCH run=$run jar=$(basename "$jar") java_opts=\"$opts\" queue_type=$QUEUE_TYPE ceiling=$ceiling probes=$before,$after offered=$rate throughput=$throughput ratio_to_broker_ceiling=$ratio $(grep -oE 'p50_ms=[^ ]+ p99_ms=[^ ]+ max_ms=[^ ]+' <<<"$result") $floor $(grep -oE 'cpu_us_per_event=[^ ]+' <<<"$result") $(grep -oE 'lost=[^ ]+ duplicate_alerts=[^ ]+' <<<"$result")$capture dead_letters=${dlq:-?} $(grep -oE 'alert_bytes=[^ ]+' <<<"$result") $(grep -oE 'p99_per_step_ms=[^ ]+' <<<"$result")"
    before=$after
  done
done
