#!/usr/bin/env bash
# Runs the end-to-end loop test alone (it also runs in the default suite, `bash .ci/run`): builds the jars, then
# MlopsLoopE2ETest starts two service instances, the runner, and an S3Proxy, against the machine's RabbitMQ,
# PostgreSQL and Redis (started here if down).
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
select_jdk25
ensure_debs libgomp1
ensure_services
mvn -B -ntp -pl e2e-tests -am verify -Dtest=MlopsLoopE2ETest -Dsurefire.failIfNoSpecifiedTests=false "$@"
