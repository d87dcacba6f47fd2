#!/usr/bin/env bash
# Batch inference benchmark: 1,000,000 generated orders scored by the anomaly model and upserted into
# PostgreSQL (127.0.0.1:5432) in a throw-away database. Usage: training-runner/bench-batch.sh [rows] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
select_jdk25
ensure_services
ROWS=${1:-1000000}
RUNS=${2:-3}
mvn -B -q -ntp -DskipTests -pl training-runner -am package
R=(java --enable-native-access=ALL-UNNAMED -jar training-runner/target/training-runner-0.1.0-SNAPSHOT-exec.jar)
WORK=$(mktemp -d)
DB="bench_batch_$$"
trap 'psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres >/dev/null; rm -rf "$WORK"' EXIT
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB" postgres
"${R[@]}" generate orders --rows 100000 --seed 1 --out "$WORK/train.csv" >/dev/null
"${R[@]}" generate orders --rows "$ROWS" --seed 2 --out "$WORK/orders.csv" >/dev/null
"${R[@]}" train anomaly --data "$WORK/train.csv" --model-out "$WORK/model" --model-version bench >/dev/null
"${R[@]}" publish --model-dir "$WORK/model" --registry "file://$WORK/registry" >/dev/null
for i in $(seq 1 "$RUNS"); do
  "${R[@]}" infer --model-uri "file://$WORK/registry/bench/order-anomaly" --data "$WORK/orders.csv" \
    --jdbc-url "jdbc:postgresql://127.0.0.1:5432/$DB" --user postgres --run-id "bench-$i" --chunk-size 20000 | tail -n 1
done
