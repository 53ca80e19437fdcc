#!/usr/bin/env bash
# The chaos run of issue 5 (docs/RELIABILITY.md): builds what it needs, then runs
# controlplane.config.chaos.ChaosRun with config's test class path. Options are ChaosRun's:
#   tools/chaos.sh [--routers N] [--minutes M | --seconds S] [--kills K] [--db-restarts R] [--concurrency C]
#                  [--unrecoverable U] [--faulty-fraction F] [--settle-minutes T] [--seed SEED]
#                  [--first-address 127.x.y.z] [--run-dir DIR] [--service-heap-mb MB] [--hostile]
# Environment: SKIP_BUILD=1 skips the Maven build; MVN_OPTS (e.g. -o) is passed to every mvn call;
# DRIVER_HEAP (default 1g) is the driver JVM's -Xmx. Exit status: 0 when every invariant holds, 1 when one is
# broken, 2 for bad options, 3 when the run could not be carried out.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn_opts=${MVN_OPTS:-}

if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
  echo "chaos: building (mvn -B -q -DskipTests install)" >&2
  # shellcheck disable=SC2086
  mvn -B -q $mvn_opts -DskipTests install
  # shellcheck disable=SC2086
  mvn -B -q $mvn_opts -pl config -DskipTests test-compile
fi

cpfile="$root/config/target/chaos.classpath"
# shellcheck disable=SC2086
mvn -B -q $mvn_opts -pl config dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cpfile" >&2

run_dir=""
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  if [[ "${args[$i]}" == "--run-dir" && $((i + 1)) -lt ${#args[@]} ]]; then run_dir="${args[$((i + 1))]}"; fi
done
extra=()
if [[ -z "$run_dir" ]]; then
  run_dir="target/chaos/run-$(date +%Y%m%d-%H%M%S)"
  extra=(--run-dir "$run_dir")
fi
mkdir -p "$run_dir"

# The service is restarted several times during the run: run it (and the driver) from a snapshot of the classes
# and of this project's jars, so that a build running meanwhile in the tree cannot pull them from under it.
snap="$(cd "$run_dir" && pwd)/classpath"
rm -rf "$snap" && mkdir -p "$snap/jars"
cp -r config/target/classes "$snap/config-classes"
cp -r config/target/test-classes "$snap/config-test-classes"
cp="$snap/config-test-classes:$snap/config-classes"
IFS=":" read -r -a deps < "$cpfile" || true  # no newline at the end of the file
for j in "${deps[@]}"; do
  if [[ "$j" == */controlplane/* && -f "$j" ]]; then
    cp "$j" "$snap/jars/"
    cp="$cp:$snap/jars/$(basename "$j")"
  else
    cp="$cp:$j"
  fi
done

exec java -Xmx"${DRIVER_HEAP:-1g}" -cp "$cp" -Dchaos.service.classpath="$cp" \
  -Dlogback.configurationFile="$root/config/src/test/resources/logback-test.xml" \
  controlplane.config.chaos.ChaosRun "${extra[@]}" "$@"
