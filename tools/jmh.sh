#!/usr/bin/env bash
# JMH micro-benchmarks: the RouterOS API codec (encode/decode MB/s, device) and password sealing (core).
#   tools/jmh.sh            3 warm-up + 5 measured iterations of 1 s per benchmark, 1 fork (about 1 min in all)
#   tools/jmh.sh quick      2 + 3 iterations (about 40 s)
# Builds with Maven (MVN_OPTS=-o: offline, once the dependencies are in ~/.m2). This 2-core machine is shared with
# PostgreSQL and others' builds: note `uptime` beside the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE="${1:-full}"
mvn -B -q ${MVN_OPTS:-} -pl core,device test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh-classpath.txt
echo "load before: $(uptime)"
for m in device core; do
  echo "== $m"
  java -cp "$m/target/test-classes:$m/target/classes:$(cat $m/target/jmh-classpath.txt)" \
    "controlplane.$m.bench.JmhMain" "$MODE" 2>&1 | sed -n "/^Benchmark \|^codec:\|^benchmark \|^[a-z][a-z]*  *\(N\/A\|[0-9]\)\|^[A-Z][A-Za-z]*Benchmark\./p"
done
echo "load after: $(uptime)"
