#!/usr/bin/env bash
# The fleet loop at scale (docs/PERFORMANCE.md, "The fleet loop at 100,000 sites"): PostgreSQL, the routers split
# over several simulator processes and the service, each in its own processes; the harness JVM enrols every router,
# runs one bulk job over the fleet, watches the idle fleet, then sets a drift period and counts drift checks.
#   tools/fleet-scale.sh                    100,000 sites (about 30-60 minutes on 2 cores)
#   tools/fleet-scale.sh --sites 5000 --simulators 1 --drift-period 120 --drift-seconds 60      smaller; --help
# Results: target/fleet-scale/results.json, report.txt (also printed), console.log and every process's log.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/harness-classpath.sh
harness_classpath fleet-scale
mkdir -p target/fleet-scale
echo "load before: $(uptime)"
java -Xmx2g -cp "$HARNESS_CP" controlplane.harness.bench.FleetScaleRun \
  --service-classpath "$SERVICE_CP" "$@" 2>&1 | tee target/fleet-scale/console.log
echo "load after: $(uptime)"
