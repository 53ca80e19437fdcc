# Sourced by tools/bench.sh and tools/soak.sh (run from the repository root): builds config with its test classes
# and sets HARNESS_CP (the harness JVM's class path) and SERVICE_CP (the service's: the same without any
# test-classes folder, so its logging is production's), both pointing at a private copy of every class folder under
# target/$1/classpath: other engineers build in this tree at the same time, and a concurrent recompilation must not
# pull classes from under the running processes. Sibling modules resolve to their target/classes in the reactor, so
# no install is needed. MVN_OPTS=-o builds offline (after a first online run).
harness_classpath() {
  local name=$1 deps="config/target/$1-classpath.txt" snap="target/$1/classpath"
  mvn -B -q ${MVN_OPTS:-} -pl config -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="target/$name-classpath.txt"  # per module; config's is read
  rm -rf "$snap" && mkdir -p "$snap"
  local out=() entries e dest
  IFS=':' read -r -a entries <<< "$PWD/config/target/test-classes:$PWD/config/target/classes:$(cat "$deps")"
  for e in "${entries[@]}"; do
    if [ -d "$e" ]; then
      dest="$snap/$(echo "${e#"$PWD"/}" | sed 's#/#_#g')"
      [ -d "$dest" ] || cp -r "$e" "$dest"
      out+=("$(cd "$dest" && pwd)")
    else
      out+=("$e")
    fi
  done
  HARNESS_CP="$(IFS=':'; echo "${out[*]}")"
  SERVICE_CP="$(echo "$HARNESS_CP" | tr ':' '\n' | grep -v 'test-classes$' | paste -sd: -)"
}
