#!/usr/bin/env bash
# Training and scoring benchmarks (results go to docs/benchmarks.md). Usage: training-runner/bench.sh [jmh-args...]
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
select_jdk25
mvn -B -q -ntp -pl training-runner -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
CP="training-runner/target/test-classes:training-runner/target/classes:model-registry/target/classes:datasets/target/classes:batch-inference/target/classes:$(cat training-runner/target/bench.classpath)"
JAVA="java --enable-native-access=ALL-UNNAMED -Xmx4g"
echo "== training (100k rows, median of 5)"
$JAVA -cp "$CP" com.orderintel.bench.TrainingBenchmark 100000 5
echo "== scoring (JMH)"
$JAVA -cp "$CP" org.openjdk.jmh.Main com.orderintel.bench.ScoringBenchmark "$@"
