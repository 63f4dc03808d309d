#!/usr/bin/env bash
# The benchmark, one command from the repository's root:
#   bash bench/run.sh                 3 interleaved rounds of 10 s per target and workload (~15 min)
#   bash bench/run.sh --smoke         one short round of everything, as CI runs it (~2 min)
#   bash bench/run.sh --image=localhost/image-gateway:ci   also container start and RSS (podman)
# Other options: --rounds=N --duration=S --warmup=S --connections=N --poll-duration=S
#   --held-waits=N --wait-seconds=S --stores=memory,redis
#   --event-streams=N --stream-seconds=S
#   --workloads=create,read-running,read-finished,poll-one-job,fixed-rate,held-waits,event-streams (default: all)
#   --targets=spring-cloud-gateway,webflux-floor,gateway-memory,gateway-redis --variant="ARGS" (see bench/README.md)
# Installs wrk, nginx and redis-server from Debian when missing; builds the gateway, the Spring
# Cloud Gateway peer and the WebFlux floor; traffic goes to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || missing+=(nginx)
command -v redis-server >/dev/null || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null
  # Debian starts the packaged services; the benchmark runs its own on other ports
  (service nginx stop; service redis-server stop) >/dev/null 2>&1 || true
fi
JAVA=$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1 || true)
JAVA=${JAVA:-${JAVA_HOME:-/usr}/bin/java}
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
./mvnw -q -B -DskipTests -Dmaven.test.skip=true -Dcodegen.skip=true package
./mvnw -q -B -f bench/scg/pom.xml -DskipTests package
./mvnw -q -B -f bench/floor/pom.xml -DskipTests package
exec "$JAVA" bench/Bench.java "$@"
