#!/usr/bin/env bash
# The chaos run of issue 5 (docs/RELIABILITY.md): builds the harness module, then runs
# controlplane.harness.chaos.ChaosRun, the service restarted from config's runtime class path. Options are ChaosRun's
# (tools/chaos.sh --help lists them):
#   tools/chaos.sh [--routers N] [--minutes M | --seconds S] [--kills K] [--db-restarts R] [--concurrency C]
#                  [--unrecoverable U] [--faulty-fraction F] [--settle-minutes T] [--seed SEED]
#                  [--first-address 127.x.y.z] [--run-dir DIR] [--service-heap-mb MB] [--hostile] [--jobs J]
# Environment: SKIP_BUILD=1 skips the Maven build (an earlier run's classes and class-path lists are reused);
# MVN_OPTS (e.g. -o) is passed to every mvn call; DRIVER_HEAP (default 1g) is the driver JVM's -Xmx. Exit status: 0
# when every invariant holds, 1 when one is broken, 2 for bad options, 3 when the run could not be carried out.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/harness-classpath.sh

run_dir=""
help=0
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --run-dir) if ((i + 1 < ${#args[@]})); then run_dir="${args[$((i + 1))]}"; fi ;;
    --run-dir=*) run_dir="${args[$i]#--run-dir=}" ;;
    -h | --help) help=1 ;;
  esac
done
extra=()
if [[ -z "$run_dir" && "$help" == 0 ]]; then
  run_dir="target/chaos/run-$(date +%Y%m%d-%H%M%S)"
  extra=(--run-dir "$run_dir")
fi
# The service is restarted several times during the run: the snapshot of the class folders is the run's own.
snap="target/chaos/classpath"
if [[ -n "$run_dir" ]]; then
  mkdir -p "$run_dir"
  snap="$(cd "$run_dir" && pwd)/classpath"
fi
[[ "${SKIP_BUILD:-0}" == "1" ]] || echo "chaos: building (mvn -pl harness -am test-compile)" >&2
harness_classpath chaos "$snap"

exec java -Xmx"${DRIVER_HEAP:-1g}" -cp "$HARNESS_CP" controlplane.harness.chaos.ChaosRun \
  --service-classpath "$SERVICE_CP" "${extra[@]}" "$@"
