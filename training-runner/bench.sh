#!/usr/bin/env bash
# Whole-process training and in-process batch scoring, project beside scikit-learn in the same run (results go to
# docs/benchmarks.md). Each job runs RUNS times, project and scikit-learn interleaved; the table gives medians and
# the ratio (project time / scikit-learn time; for throughput, project rows/s / scikit-learn rows/s).
# Usage: training-runner/bench.sh            RUNS=5 by default; JMH=1 also runs the JMH ScoringBenchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
select_jdk25
RUNS=${RUNS:-5}
ensure_debs python3-sklearn python3-pandas bc >&2 # scikit-learn 1.2.1, the Python experiments' library
# One reactor build (with -am): on a fresh machine the sibling modules are in no local repository.
mvn -B -q -ntp -pl training-runner -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$PWD/training-runner/target/bench.classpath" -Dmdep.includeScope=test >&2
CP="training-runner/target/test-classes:training-runner/target/classes:model-registry/target/classes:datasets/target/classes:llm/target/classes:models/target/classes:capture-store/target/classes:batch-inference/target/classes:$(cat training-runner/target/bench.classpath)"
R=training-runner/bin/training-runner
PY="/usr/bin/python3 training-runner/bench/sklearn_bench.py" # Debian's python, where python3-sklearn lives
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
$R --build-aot-cache
$R generate demand --rows 100000 --products 20 --seed 42 --out "$WORK/demand.csv" --expected >/dev/null
$R generate orders --rows 100000 --anomaly-rate 0.05 --seed 42 --out "$WORK/orders.csv" >/dev/null

# seconds of wall time of one command; its stdout goes to $WORK/last
timed() { local s e; s=$(date +%s%N); "$@" >"$WORK/last" 2>"$WORK/err" || { cat "$WORK/err" >&2; return 1; }; e=$(date +%s%N); echo "scale=3; ($e - $s) / 1000000000" | bc; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
metric() { grep -o "$1[= ] *[0-9.]*" "$WORK/last" | head -1 | grep -o '[0-9.]*$'; }

declare -A T Q
job() { # name, project command..., --, sklearn job
  local name=$1; shift; local proj=() ; while [[ $1 != -- ]]; do proj+=("$1"); shift; done; shift
  for i in $(seq 1 "$RUNS"); do
    T[$name,p]+="$(timed "${proj[@]}") "; Q[$name,p]="$(metric mae || metric precision)"
    [[ -n ${Q[$name,floor]:-} ]] || Q[$name,floor]="$(metric mae_floor || true)"
    if [[ $1 != none ]]; then T[$name,s]+="$(timed $PY "$1" "$2") "; Q[$name,s]="$(metric mae || metric precision)"; fi
  done
}
job ols $R train demand --data "$WORK/demand.csv" --model-out "$WORK/ols" --model-version bench -- demand-ols "$WORK/demand.csv"
job anomaly $R train anomaly --data "$WORK/orders.csv" --model-out "$WORK/if" --model-version bench -- anomaly "$WORK/orders.csv"
job xgb $R train demand --algorithm xgboost --data "$WORK/demand.csv" --model-out "$WORK/xgb" --model-version bench -- demand-hgb "$WORK/demand.csv"
RUNS_SAVED=$RUNS; RUNS=1
job xgbtime $R train demand --algorithm xgboost --split time --data "$WORK/demand.csv" --model-out "$WORK/xgbt" --model-version bench -- none x
RUNS=$RUNS_SAVED

JSC=$(java --enable-native-access=ALL-UNNAMED -Xmx4g -cp "$CP" com.orderintel.bench.BatchScoringBench "$WORK/orders.csv" 1000000 7 2>/dev/null | grep rows_per_s)
SSC=$($PY score-batch "$WORK/orders.csv" 1000000)

row() { # name, label
  local p s; p=$(echo ${T[$1,p]} | tr ' ' '\n' | median)
  if [[ -n ${T[$1,s]:-} ]]; then s=$(echo ${T[$1,s]} | tr ' ' '\n' | median); else s=; fi
  printf '| %s | %s s | %s | %s | %s | %s |\n' "$2" "$p" "${s:+$s s}" "${s:+$(echo "scale=2; $p / $s" | bc)}" \
    "${Q[$1,p]:-}${Q[$1,floor]:+ (floor ${Q[$1,floor]})}" "${Q[$1,s]:-}"
}
echo
echo "Date $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p')), load average $(cut -d' ' -f1-3 /proc/loadavg), runs $RUNS"
echo
echo "| job (100k rows, whole process) | project | scikit-learn | ratio | project MAE / precision | scikit-learn MAE / precision |"
echo "|---|---|---|---|---|---|"
row ols "train demand (OLS per product) vs LinearRegression per product"
row anomaly "train anomaly (200 trees) vs IsolationForest fit + predict"
row xgb "train demand --algorithm xgboost vs HistGradientBoosting (400 iterations, depth 6)"
row xgbtime "train demand --algorithm xgboost --split time (1 run)"
p=$(echo "$JSC" | grep -o 'rows_per_s=[0-9]*' | cut -d= -f2); s=$(echo "$SSC" | cut -d= -f2)
printf '| batch anomaly scoring, 1M rows in-process (rows/s, median of 7) | %s | %s | %s | identical to per-row scores | |\n' "$p" "$s" "$(echo "scale=1; $p / $s" | bc)x"
if [[ ${JMH:-0} == 1 ]]; then
  java --enable-native-access=ALL-UNNAMED -Xmx4g -cp "$CP" org.openjdk.jmh.Main com.orderintel.bench.ScoringBenchmark -wi 3 -i 5 -f 1 -w 2s -r 2s
fi
