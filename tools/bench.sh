#!/usr/bin/env bash
# The performance harness (docs/PERFORMANCE.md): PostgreSQL, the simulator (10,000 routers) and the service, each
# in its own processes, driven over HTTP by the load generator in the harness JVM.
#   tools/bench.sh                      every figure of issue 6 (about 5-10 minutes on 2 cores)
#   tools/bench.sh --fleet 2000 --rotations 3000 --jfr false      smaller; tools/bench.sh --help lists every option
# Results: target/bench/results.json, target/bench/report.txt (also printed), console.log, the service log,
# the JFR recording of the 64-in-flight phase and its hot spots (target/bench/hotspots-64.txt).
# The service, PostgreSQL, the simulator and the load generator share this machine: the report says so, with the
# load average beside each figure.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/harness-classpath.sh
harness_classpath bench
mkdir -p target/bench
echo "$HARNESS_CP" > target/bench/harness-classpath.txt  # for DatabaseFloorAB and other one-off mains
echo "load before: $(uptime)"
java -Xmx1g -cp "$HARNESS_CP" controlplane.harness.bench.BenchHarness \
  --out target/bench --service-classpath "$SERVICE_CP" "$@" 2>&1 | tee target/bench/console.log
echo "load after: $(uptime)"
