#!/usr/bin/env bash
# Runs the benchmarks of Redial against raw Netty and the peers (Reactor Netty, Vert.x, a
# hand-rolled Netty reconnect loop) and writes results.json, results.md and PNG charts.
#
#   redial-bench/run.sh quick            # about 10 minutes, into bench-results/<timestamp>/
#   redial-bench/run.sh full [outdir]    # the issue's sizes (about 35 minutes)
#   redial-bench/run.sh quick /tmp/b --only=fleet,storm   # some sections only
#   redial-bench/run.sh full /tmp/b --only=jmh --peers=raw # Redial and raw Netty only in JMH
#
# Sections: jmh, footprint, scale, halfopen, storm, recovery, agent, fleet, redis, watch (halfopen runs
# in the background next to storm, recovery, agent and fleet: it mostly waits).
# Set REDIAL_BENCH_SKIP_BUILD=1 to reuse the jars already built.
set -euo pipefail

usage="usage: $0 quick|full [outdir] [--only=SECTION,...] [--peers=raw,reactor,vertx,handrolled]"
mode=${1:-}
case "$mode" in
  quick|full) ;;
  *) echo "$usage" >&2; exit 2 ;;
esac
shift

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out="bench-results/$(date -u +%Y%m%d-%H%M%S)"
extra=()
for a in "$@"; do
  case "$a" in
    --*) extra+=("$a") ;;
    *) out=$a ;;
  esac
done

if [ "${REDIAL_BENCH_SKIP_BUILD:-}" != 1 ]; then
  echo "building redial-bench and redial-agent (tests skipped)..."
  mvn -B -q -DskipTests package -pl redial-bench,redial-agent -am
fi

# One socket per connection, plus the JVM's own files: raise the limit as far as allowed.
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ]; then
  ulimit -n 1048576 2>/dev/null || true
else
  ulimit -n "$hard" 2>/dev/null || true
fi
echo "open-file limit: $(ulimit -n) (hard $(ulimit -Hn))"

# The same flags for every JVM of the run; JMH forks inherit them.
exec java -Xmx4g -XX:+UseG1GC -Djava.awt.headless=true \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dorg.slf4j.simpleLogger.log.io.redial=error \
  -jar redial-bench/target/redial-bench.jar "$mode" "$out" \
  --agent=redial-agent/target/redial-agent.jar ${extra[@]+"${extra[@]}"}
