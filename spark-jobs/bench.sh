#!/usr/bin/env bash
# Spark local[2] vs training-runner infer, side by side in one run (alternating, RUNS rounds): ROWS generated orders
# (default 10,000,000) scored by the same anomaly model package (the service's test fixture anomaly-v1), by
#   spark-csv      spark-jobs score --master local[2] --format csv
#   spark-parquet  spark-jobs score --master local[2] --format parquet
#   infer          training-runner infer into PostgreSQL (127.0.0.1:5432, a throw-away database; its only output)
# Each line: wall seconds of the whole command (JVM and Spark start-up included), rows/s, rows/s per core (wall x 2
# cores), and the command's own CPU seconds (user + sys, from /usr/bin/time) with rows per CPU second: the figure that
# stays comparable when other work shares the machine (infer's also leaves out PostgreSQL's own CPU).
# Usage: spark-jobs/bench.sh [rows] [runs]. Tagged as a benchmark by living here: not part of .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
select_jdk25
ensure_services
ROWS=${1:-10000000}
RUNS=${2:-1}
CORES=2
if [[ -z "${SKIP_BUILD:-}" ]]; then
  mvn -B -q -ntp -o -DskipTests -Djacoco.skip=true -pl spark-jobs,training-runner -am package
fi
WORK=$(mktemp -d)
# the measured builds are copies, so a rebuild during a long run changes nothing under it
mkdir -p "$WORK/spark-jobs/target" "$WORK/spark-jobs/bin"
cp -r spark-jobs/target/lib spark-jobs/target/spark-jobs-0.1.0-SNAPSHOT.jar "$WORK/spark-jobs/target/"
cp spark-jobs/bin/spark-jobs "$WORK/spark-jobs/bin/"
cp training-runner/target/training-runner-0.1.0-SNAPSHOT-exec.jar "$WORK/runner.jar"
RUNNER=(java --enable-native-access=ALL-UNNAMED -jar "$WORK/runner.jar")
SPARK_JOBS="$WORK/spark-jobs/bin/spark-jobs"
DB="bench_spark_$$"
trap 'psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres >/dev/null; rm -rf "$WORK"' EXIT
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB" postgres
"${RUNNER[@]}" generate orders --rows "$ROWS" --seed 2 --out "$WORK/orders.csv" >/dev/null
"${RUNNER[@]}" publish --model-dir ai-advisor-service/src/test/resources/models/anomaly-v1 --registry "file://$WORK/registry" >/dev/null
URI="file://$WORK/registry/v1/order-anomaly"
echo "input: $ROWS orders, $(du -h "$WORK/orders.csv" | cut -f1) CSV; machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

# timed LABEL CMD...: runs CMD, prints wall seconds and rows/s per core, appends the seconds to $WORK/LABEL.times
timed() {
  local label=$1 t0 t1 s
  shift
  t0=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$WORK/$label.cpu" "$@" >"$WORK/$label.out" 2>"$WORK/$label.err" \
    || { tail -20 "$WORK/$label.err"; exit 1; }
  t1=$(date +%s.%N)
  s=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}')
  cpu=$(awk '{printf "%.1f", $1 + $2}' "$WORK/$label.cpu")
  echo "$s" >>"$WORK/$label.times"
  echo "$cpu" >>"$WORK/$label.cputimes"
  awk -v l="$label" -v s="$s" -v n="$ROWS" -v c="$CORES" -v cpu="$cpu" -v ld="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN {printf "%-14s %7.1f s  %10.0f rows/s  %9.0f rows/s/core  cpu %6.1f s  %9.0f rows/cpu-s  (load %s)\n", l, s, n / s, n / s / c, cpu, n / cpu, ld}'
  tail -n 1 "$WORK/$label.out"
}
median() { sort -n "$1" | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

for i in $(seq 1 "$RUNS"); do
  timed spark-csv "$SPARK_JOBS" score --master 'local[2]' --model-uri "$URI" --data "$WORK/orders.csv" \
    --out "$WORK/out-csv" --format csv --run-id "bench-$i"
  timed infer "${RUNNER[@]}" infer --model-uri "$URI" --data "$WORK/orders.csv" \
    --jdbc-url "jdbc:postgresql://127.0.0.1:5432/$DB" --user postgres --run-id "bench-$i" --chunk-size 20000
  timed spark-parquet "$SPARK_JOBS" score --master 'local[2]' --model-uri "$URI" --data "$WORK/orders.csv" \
    --out "$WORK/out-parquet" --format parquet --run-id "bench-$i"
  echo "output: csv $(du -sh "$WORK/out-csv" | cut -f1), parquet $(du -sh "$WORK/out-parquet" | cut -f1)"
done
for l in spark-csv spark-parquet infer; do
  awk -v l="$l" -v s="$(median "$WORK/$l.times")" -v cpu="$(median "$WORK/$l.cputimes")" -v n="$ROWS" -v c="$CORES" \
    'BEGIN {printf "median %-14s %7.1f s  %9.0f rows/s/core  %9.0f rows/cpu-s\n", l, s, n / s / c, n / cpu}'
done
