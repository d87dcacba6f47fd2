#!/usr/bin/env bash
# Regenerates the trained models the service tests serve. The service must not depend on training code (no Smile
# on its class path, not even in tests), so its tests use these packages, made by the real training runner.
# Training is seeded, so the artifacts are reproducible: training-runner's ServiceFixturesTest retrains them and
# fails when the committed bytes no longer match (then run this script and commit the result).
#   usage (from the repository root, after `mvn -pl training-runner -am package -DskipTests`):
#   bash ai-advisor-service/src/test/resources/models/regenerate.sh
set -euo pipefail
cd "$(dirname "$0")"
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
R="$JAVA --enable-native-access=ALL-UNNAMED -jar ../../../../../training-runner/target/training-runner-0.1.0-SNAPSHOT-exec.jar"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
$R generate orders --rows 4000 --anomaly-rate 0.05 --seed 11 --out "$tmp/orders.csv"
$R generate demand --rows 1500 --products 3 --seed 11 --out "$tmp/demand.csv"
rm -rf anomaly-v1 anomaly-v2 anomaly-v3 anomaly-notes-v1 demand-v1
$R train anomaly --data "$tmp/orders.csv" --model-out anomaly-v1 --contamination 0.05 --n-estimators 100 --random-state 42 --model-version v1
$R train anomaly --data "$tmp/orders.csv" --model-out anomaly-v2 --contamination 0.05 --n-estimators 50 --random-state 7 --model-version v2
$R train anomaly --data "$tmp/orders.csv" --model-out anomaly-v3 --contamination 0.05 --n-estimators 50 --random-state 8 --model-version v3
# note features as the offline rules read these notes: anomalous orders "I did not place this order, this is fraud"
# (negative, fraud), every third normal order "great fast delivery, thanks" (positive, delivery), the rest none
sha=$(sha256sum ../../../../../llm/src/main/resources/prompts/order-note-features/v1.md | cut -d' ' -f1)
awk -F, -v sha="$sha" 'NR == 1 { print "order_id,note_sentiment,note_category,feature_source,model,prompt_name,prompt_version,prompt_sha256"; next }
  $5 == 1 { print $1 ",-1,fraud,fallback,offline-rules-v1,order-note-features,v1," sha; next }
  (NR - 2) % 3 == 0 { print $1 ",1,delivery,fallback,offline-rules-v1,order-note-features,v1," sha }' "$tmp/orders.csv" > "$tmp/notes.csv"
$R train anomaly --data "$tmp/orders.csv" --notes "$tmp/notes.csv" --note-features sentiment,category --model-out anomaly-notes-v1 --contamination 0.05 --n-estimators 100 --random-state 42 --model-version notes-v1
$R train demand --data "$tmp/demand.csv" --model-out demand-v1 --test-size 0.2 --random-state 42 --model-version v1
rm -f ./*/metrics.json ./*/report.html   # the fixtures are the model packages only
