#!/usr/bin/env bash
# Batch inference benchmark: 1,000,000 generated orders scored by the anomaly model and upserted into
# PostgreSQL (127.0.0.1:5432) in a throw-away database. Usage: training-runner/bench-batch.sh [rows] [runs]
# BASELINE_JAR=/path/to/an/older/training-runner-exec.jar runs that build too, alternating with this one run by run
# (each in its own database, same input, model and chunk size), and prints both medians and their ratio.
# CHUNK_SIZE (default 20000) is passed to both.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
select_jdk25
ensure_services
ROWS=${1:-1000000}
RUNS=${2:-3}
CHUNK=${CHUNK_SIZE:-20000}
mvn -B -q -ntp -DskipTests -pl training-runner -am package
JAR=training-runner/target/training-runner-0.1.0-SNAPSHOT-exec.jar
R=(java --enable-native-access=ALL-UNNAMED -jar "$JAR")
WORK=$(mktemp -d)
DB="bench_batch_$$"
trap 'for d in "$DB" "${DB}_base"; do psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $d WITH (FORCE)" postgres >/dev/null; done; rm -rf "$WORK"' EXIT
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB" postgres
"${R[@]}" generate orders --rows 100000 --seed 1 --out "$WORK/train.csv" >/dev/null
"${R[@]}" generate orders --rows "$ROWS" --seed 2 --out "$WORK/orders.csv" >/dev/null
"${R[@]}" train anomaly --data "$WORK/train.csv" --model-out "$WORK/model" --model-version bench >/dev/null
"${R[@]}" publish --model-dir "$WORK/model" --registry "file://$WORK/registry" >/dev/null
if [ -n "${BASELINE_JAR:-}" ]; then
  psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE ${DB}_base" postgres
fi

# infer LABEL JAR DB RUN_ID: one run; prints the summary line and appends its seconds to $WORK/LABEL.times
infer() {
  local line
  line=$(java --enable-native-access=ALL-UNNAMED -jar "$2" infer --model-uri "file://$WORK/registry/bench/order-anomaly" \
    --data "$WORK/orders.csv" --jdbc-url "jdbc:postgresql://127.0.0.1:5432/$3" --user postgres --run-id "$4" \
    --chunk-size "$CHUNK" | tail -n 1)
  echo "$1 (load $(cut -d' ' -f1 /proc/loadavg)): $line"
  sed -E 's/.* in ([0-9.]+) s .*/\1/' <<<"$line" >>"$WORK/$1.times"
}
median() { sort -n "$1" | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

for i in $(seq 1 "$RUNS"); do
  if [ -n "${BASELINE_JAR:-}" ]; then
    infer baseline "$BASELINE_JAR" "${DB}_base" "bench-$i"
  fi
  infer current "$JAR" "$DB" "bench-$i"
done
echo "median: current $(median "$WORK/current.times") s"
if [ -n "${BASELINE_JAR:-}" ]; then
  awk -v b="$(median "$WORK/baseline.times")" -v c="$(median "$WORK/current.times")" \
    'BEGIN {printf "median: baseline %s s; baseline / current = %.2fx\n", b, b / c}'
fi
