#!/usr/bin/env bash
# The soak (docs/PERFORMANCE.md, "Soak"; issue 5 "Concurrency and load"): the layout of tools/bench.sh (PostgreSQL,
# the simulator and the service each in its own processes), N sites enrolled, then rotations over HTTP at a fixed
# concurrency for M minutes, no fault injected, the service's heap, open file descriptors, RSS and threads sampled.
#   tools/soak.sh                       1,000 sites, 64 in flight, 5 minutes, a sample every 10 s
#   tools/soak.sh --minutes 3 --sites 500 --concurrency 32 --sample-seconds 5
#   (also --service-jvm-options "-Xmx256m", --simulator-xmx 512m, --pool-size 16, --out DIR, --service-classpath CP;
#   tools/soak.sh --help lists every option)
# The service runs with housekeeping every 5 s and a 10 s version window: the report has the rows of
# credential_versions, audit_events and idempotency_records at start and end, and what the housekeeper removed.
# Results: target/soak/soak-report.txt (also printed), soak.json, console.log, service.log, simulator.log.
# Exit status non-zero on any answer other than a verified 200, or when the service's descriptor count grew by more
# than 10% + 20 from the first minute to the last.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/harness-classpath.sh
harness_classpath soak
mkdir -p target/soak
echo "load before: $(uptime)"
java -Xmx1g -cp "$HARNESS_CP" controlplane.harness.bench.SoakRun \
  --out target/soak --service-classpath "$SERVICE_CP" "$@" 2>&1 | tee target/soak/console.log
echo "load after: $(uptime)"
