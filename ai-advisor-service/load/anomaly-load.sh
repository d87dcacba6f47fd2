#!/usr/bin/env bash
# Load test of the single-record and 1,000-record anomaly endpoints with wrk, on loopback, bounded in time.
#
#   ai-advisor-service/load/anomaly-load.sh                 # against a service already running on :8080
#   BASE_URL=http://127.0.0.1:18080 DURATION=20s ai-advisor-service/load/anomaly-load.sh
#
# Settings (env): BASE_URL (must be loopback), DURATION (per run, default 20s), CONNECTIONS (default 8: the
# latency target is for the concurrency order-service uses, a small keep-alive pool),
# THREADS (wrk threads, default 1 so wrk leaves a core to the service), WARMUP (default 15s, results discarded). The service must be ready.
# EXPLAIN_COMPARE=true: then ROUNDS (default 3) rounds of explain off / explain on (?explain=true) side by side,
# single-record and batch, in the same run (docs/benchmarks.md, explanations).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
BASE_URL="${BASE_URL:-http://127.0.0.1:8080}"
DURATION="${DURATION:-20s}"
CONNECTIONS="${CONNECTIONS:-8}"
THREADS="${THREADS:-1}"
WARMUP="${WARMUP:-15s}"

case "$BASE_URL" in
  http://127.0.0.1:*|http://localhost:*) ;;
  *) echo "refusing to load-test $BASE_URL: loopback only" >&2; exit 2 ;;
esac
command -v wrk >/dev/null || { echo "wrk not found (apt-get install wrk)" >&2; exit 2; }
curl -fsS "$BASE_URL/actuator/health/readiness" >/dev/null \
  || { echo "service at $BASE_URL is not ready (GET /actuator/health/readiness)" >&2; exit 2; }

echo "# warm-up ($WARMUP, discarded)"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$here/anomaly.lua" "$BASE_URL/api/v1/anomaly" >/dev/null
wrk -t1 -c1 -d"$WARMUP" -s "$here/anomaly-batch.lua" "$BASE_URL/api/v1/anomaly/batch" >/dev/null

echo "# single-record: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency POST /api/v1/anomaly"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$here/anomaly.lua" "$BASE_URL/api/v1/anomaly" | grep -E "RESULT|Requests/sec|Latency"

echo "# 1,000-record batch, one client: wrk -t1 -c1 -d$DURATION --latency POST /api/v1/anomaly/batch"
wrk -t1 -c1 -d"$DURATION" --latency -s "$here/anomaly-batch.lua" "$BASE_URL/api/v1/anomaly/batch" | grep -E "RESULT|Requests/sec|Latency"

if [ "${EXPLAIN_COMPARE:-false}" = true ]; then
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$here/anomaly.lua" "$BASE_URL/api/v1/anomaly?explain=true" >/dev/null
  wrk -t1 -c1 -d"$WARMUP" -s "$here/anomaly-batch.lua" "$BASE_URL/api/v1/anomaly/batch?explain=true" >/dev/null
  for round in $(seq 1 "${ROUNDS:-3}"); do
    for explain in false true; do
      echo "# round $round explain=$explain single-record: wrk -t$THREADS -c$CONNECTIONS -d$DURATION POST /api/v1/anomaly?explain=$explain"
      wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$here/anomaly.lua" "$BASE_URL/api/v1/anomaly?explain=$explain" | grep RESULT
    done
    for explain in false true; do
      echo "# round $round explain=$explain batch: wrk -t1 -c1 -d$DURATION POST /api/v1/anomaly/batch?explain=$explain"
      wrk -t1 -c1 -d"$DURATION" --latency -s "$here/anomaly-batch.lua" "$BASE_URL/api/v1/anomaly/batch?explain=$explain" | grep RESULT
    done
  done
fi
