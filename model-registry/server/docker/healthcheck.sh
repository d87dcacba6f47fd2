#!/bin/bash
# HEALTHCHECK of the registry-server image: GET /actuator/health/readiness over bash's /dev/tcp (the JRE image has
# no curl or wget; see ai-advisor-service/docker/healthcheck.sh, the same check). Port: REGISTRY_PORT, else 8085.
set -euo pipefail
port="${REGISTRY_PORT:-8085}"
exec 3<>"/dev/tcp/127.0.0.1/${port}"
printf 'GET /actuator/health/readiness HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 5 status <&3
[[ "$status" =~ ^HTTP/1\.[01]\ 200([[:space:]]|$) ]] || { echo "readiness: ${status%$'\r'}" >&2; exit 1; }
