#!/usr/bin/env bash
# The performance harness (docs/PERFORMANCE.md): PostgreSQL, the simulator (10,000 routers) and the service, each
# in its own processes, driven over HTTP by the load generator in the harness JVM.
#   tools/bench.sh                      every figure of issue 6 (about 5-10 minutes on 2 cores)
#   tools/bench.sh --fleet 2000 --rotations 3000 --jfr false      smaller; any BenchOptions flag may be given
# Results: target/bench/results.json, target/bench/report.txt (also printed), console.log, the service log,
# the JFR recording of the 64-in-flight phase and its hot spots (target/bench/hotspots-64.txt).
# The service, PostgreSQL, the simulator and the load generator share this machine: the report says so, with the
# load average beside each figure.
set -euo pipefail
cd "$(dirname "$0")/.."
# Compiles every module (tests too) and writes the harness class path; sibling modules resolve to their
# target/classes in the reactor, so no install is needed. MVN_OPTS=-o builds offline (after a first online run).
mvn -B -q ${MVN_OPTS:-} -pl config -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
# Other engineers build in this tree at the same time: run from a private copy of every class folder, so that a
# concurrent recompilation cannot pull classes from under the running processes.
SNAP=target/bench/classpath
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
DEPS="$(cat config/target/bench-classpath.txt)"
HARNESS_CP="$(echo "$PWD/config/target/test-classes:$PWD/config/target/classes:$DEPS" | snapshot)"
# The service runs on the same class path without any test-classes folder (so its logging is production's).
SERVICE_CP="$(echo "$HARNESS_CP" | tr ':' '\n' | grep -v 'test-classes$' | paste -sd: -)"
mkdir -p target/bench
echo "$HARNESS_CP" > target/bench/harness-classpath.txt  # for DatabaseFloorAB and other one-off mains
echo "load before: $(uptime)"
java -Xmx1g -cp "$HARNESS_CP" controlplane.config.bench.BenchHarness \
  --out target/bench --service-classpath "$SERVICE_CP" "$@" 2>&1 | tee target/bench/console.log
echo "load after: $(uptime)"
