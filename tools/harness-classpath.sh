# Sourced by the tools/*.sh scripts (run from the repository root). Builds with Maven and hands out class paths that
# point at a private copy of every class folder: other engineers build in this tree at the same time, and a
# concurrent recompilation must not pull classes from under the running processes. Sibling modules resolve to their
# target/classes in the reactor, so no install is needed. MVN_OPTS=-o builds offline (after a first online run);
# SKIP_BUILD=1 runs no Maven at all and reuses the classes and class-path lists of an earlier run.

# build_classpaths NAME SCOPE GOAL MODULES: runs GOAL on MODULES (and what they need) and writes each module's
# dependencies of SCOPE (runtime or test) to MODULE/target/NAME-classpath.txt.
build_classpaths() {
  local name=$1 scope=$2 goal=$3 modules=$4
  [ "${SKIP_BUILD:-0}" = "1" ] && return
  # shellcheck disable=SC2086
  mvn -B -q ${MVN_OPTS:-} -pl "$modules" -am "$goal" dependency:build-classpath \
    -DincludeScope="$scope" -Dmdep.outputFile="target/$name-classpath.txt"
}

# module_classpath MODULE NAME SCOPE SNAP: prints MODULE's class path as listed by build_classpaths NAME SCOPE (its
# test-classes first when SCOPE is test, its classes, its dependencies), each class folder copied under SNAP.
module_classpath() {
  local module=$1 name=$2 scope=$3 snap=$4 own="$PWD/$1/target/classes" out=() entries e dest
  [ "$scope" = "test" ] && own="$PWD/$module/target/test-classes:$own"
  mkdir -p "$snap"
  IFS=':' read -r -a entries <<< "$own:$(cat "$module/target/$name-classpath.txt")"
  for e in "${entries[@]}"; do
    if [ -d "$e" ]; then
      dest="$snap/$(echo "${e#"$PWD"/}" | sed 's#/#_#g')"
      [ -d "$dest" ] || cp -r "$e" "$dest"
      out+=("$(cd "$dest" && pwd)")
    else
      out+=("$e")
    fi
  done
  (IFS=':'; echo "${out[*]}")
}

# harness_classpath NAME [SNAP]: builds the harness module and sets HARNESS_CP (the harness programs' class path) and
# SERVICE_CP (the service's: config's runtime class path, so its logging is production's), both under SNAP (default
# target/NAME/classpath, emptied first).
harness_classpath() {
  local name=$1 snap=${2:-target/$1/classpath}
  build_classpaths "$name" runtime test-compile harness
  rm -rf "$snap"
  HARNESS_CP="$(module_classpath harness "$name" runtime "$snap")"
  SERVICE_CP="$(module_classpath config "$name" runtime "$snap")"
}
