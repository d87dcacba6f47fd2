#!/usr/bin/env bash
# The fault-injection suite (figures in docs/reliability.md). Starts a private RabbitMQ, PostgreSQL and
# Redis (e2e-tests/faults/infra.sh: own ports, data dirs, node name and cookie; the machine's shared services are never
# stopped), runs the tests tagged "faults" in e2e-tests (the real jars as processes; each test injects its fault:
# broker stop_app/start_app, PostgreSQL crash-restart, S3 store away, Redis away, SIGKILL, a full filesystem), prints
# one line of figures per scenario, and removes everything on exit, failed or not. Extra arguments go to Maven (-o).
# Needs root: it mounts a 2 MB tmpfs and runs PostgreSQL as user postgres.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
select_jdk25
if [ "$(id -u)" -ne 0 ]; then
  echo "run as root: the suite mounts a small tmpfs (registry disk full) and runs its PostgreSQL as user postgres" >&2
  exit 1
fi

FAULTS_DIR=$(mktemp -d /tmp/faults.XXXXXX)
cleanup() {
  set +e
  # service and runner processes the tests started (they inherit FAULTS_DIR), should a test JVM have died first
  local env_file pid
  for env_file in /proc/[0-9]*/environ; do
    pid=${env_file#/proc/}; pid=${pid%/environ}
    [ "$pid" = "$$" ] && continue
    tr '\0' '\n' 2>/dev/null <"$env_file" | grep -qx "FAULTS_DIR=$FAULTS_DIR" && kill -9 "$pid" 2>/dev/null
  done
  bash e2e-tests/faults/infra.sh "$FAULTS_DIR" down
  awk -v d="$FAULTS_DIR/" 'index($2, d) == 1 {print $2}' /proc/mounts | xargs -r -n1 umount
  rm -rf "$FAULTS_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bash e2e-tests/faults/infra.sh "$FAULTS_DIR" up
source "$FAULTS_DIR/env"
started=$(date +%s)
set +e
mvn -B -ntp -pl e2e-tests -am verify -Dtest='*FaultTest' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsurefire.excludedGroups= -Dgroups=faults "$@"
rc=$?
set -e
echo "--- fault-injection figures: $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(($(date +%s) - started)) s (build included) ---"
cat "$FAULTS_DIR/figures.txt" 2>/dev/null | cut -d' ' -f2- || echo "(no figures: see e2e-tests/target/surefire-reports)"
exit $rc
