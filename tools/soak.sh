#!/usr/bin/env bash
# The soak (docs/PERFORMANCE.md, "Soak"; issue 5 "Concurrency and load"): the layout of tools/bench.sh (PostgreSQL,
# the simulator and the service each in its own processes), N sites enrolled, then rotations over HTTP at a fixed
# concurrency for M minutes, no fault injected, the service's heap, open file descriptors, RSS and threads sampled.
#   tools/soak.sh                       1,000 sites, 64 in flight, 5 minutes, a sample every 10 s
#   tools/soak.sh --minutes 3 --sites 500 --concurrency 32 --sample-seconds 5
#   (also --service-jvm-options "-Xmx256m", --simulator-xmx 512m, --pool-size 16, --out DIR, --service-classpath CP)
# Results: target/soak/soak-report.txt (also printed), soak.json, console.log, service.log, simulator.log.
# Exit status non-zero on any answer other than a verified 200, or when the service's descriptor count grew by more
# than 10% + 20 from the first minute to the last.
set -euo pipefail
cd "$(dirname "$0")/.."
# Compiles every module (tests too) and writes the harness class path (no install needed).
mvn -B -q ${MVN_OPTS:-} -pl config -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/soak-classpath.txt
# Other engineers build in this tree at the same time: run from a private copy of every class folder.
SNAP=target/soak/classpath
rm -rf "$SNAP" && mkdir -p "$SNAP"
snapshot() { # class path on stdin (':'-separated) -> the same with every folder copied into $SNAP
  local out=() e dest
  IFS=':' read -r -a entries
  for e in "${entries[@]}"; do
    if [ -d "$e" ]; then
      dest="$SNAP/$(echo "$e" | sed 's#^/work/main/##; s#^\./##; s#/#_#g')"
      [ -d "$dest" ] || cp -r "$e" "$dest"
      out+=("$(cd "$dest" && pwd)")
    else
      out+=("$e")
    fi
  done
  (IFS=':'; echo "${out[*]}")
}
DEPS="$(cat config/target/soak-classpath.txt)"
HARNESS_CP="$(echo "$PWD/config/target/test-classes:$PWD/config/target/classes:$DEPS" | snapshot)"
# The service runs on the same class path without any test-classes folder (so its logging is production's).
SERVICE_CP="$(echo "$HARNESS_CP" | tr ':' '\n' | grep -v 'test-classes$' | paste -sd: -)"
mkdir -p target/soak
echo "load before: $(uptime)"
java -Xmx1g -cp "$HARNESS_CP" controlplane.config.bench.SoakRun \
  --out target/soak --service-classpath "$SERVICE_CP" "$@" 2>&1 | tee target/soak/console.log
echo "load after: $(uptime)"
