#!/bin/bash
# HEALTHCHECK of the advisor image (Dockerfile, docker-compose.yml): GET /actuator/health/readiness and succeed
# only on HTTP 200 (readiness answers 503 until the models are loaded and verified). Hand-written with bash's
# /dev/tcp because the Temurin JRE image ships neither curl nor wget, and starting a JVM for every check
# would cost more memory and CPU than the check itself. The port follows the service's own settings:
# MANAGEMENT_SERVER_PORT (actuator on its own port), else SERVER_PORT / PORT, else 8080.
set -euo pipefail
port="${MANAGEMENT_SERVER_PORT:-${SERVER_PORT:-${PORT:-8080}}}"
exec 3<>"/dev/tcp/127.0.0.1/${port}"
printf 'GET /actuator/health/readiness HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 5 status <&3
[[ "$status" =~ ^HTTP/1\.[01]\ 200([[:space:]]|$) ]] || { echo "readiness: ${status%$'\r'}" >&2; exit 1; }
