#!/usr/bin/env bash
# JMH micro-benchmarks: the RouterOS API codec (encode/decode MB/s, device) and password sealing (core).
#   tools/jmh.sh            3 warm-up + 5 measured iterations of 1 s per benchmark, 1 fork (about 1 min in all)
#   tools/jmh.sh quick      2 + 3 iterations (about 40 s)
# Builds with Maven (tools/harness-classpath.sh: MVN_OPTS=-o offline, SKIP_BUILD=1 no build) and runs from a copy of
# the class folders (target/jmh/classpath). This 2-core machine is shared with PostgreSQL and others' builds: note
# `uptime` beside the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE="${1:-full}"
. tools/harness-classpath.sh
build_classpaths jmh test test-compile core,device
rm -rf target/jmh/classpath
echo "load before: $(uptime)"
for m in device core; do
  echo "== $m"
  java -cp "$(module_classpath "$m" jmh test target/jmh/classpath)" \
    "controlplane.$m.bench.JmhMain" "$MODE" 2>&1 | sed -n "/^Benchmark \|^codec:\|^benchmark \|^[a-z][a-z]*  *\(N\/A\|[0-9]\)\|^[A-Z][A-Za-z]*Benchmark\./p"
done
echo "load after: $(uptime)"
