#!/usr/bin/env bash
# lib/jar.sh — sourced by ./lab and ./bench: run a module's executable jar, building it first
# when it is missing or older than any source or pom.

# run_jar ROOT MODULE ARGS... — (re)builds MODULE's -exec.jar if needed, then execs it with ARGS.
# Environment: JAVA (java binary, default: java on PATH), LAB_JAVA_OPTS (JVM options).
run_jar() {
  local root="$1" module="$2"
  shift 2
  local jar="$root/$module/target/$module-0.1.0-SNAPSHOT-exec.jar"
  if [[ ! -f "$jar" ]] \
    || [[ -n "$(find "$root" -path "$root/*/src/main/*" -newer "$jar" -print -quit)" ]] \
    || [[ -n "$(find "$root" -maxdepth 2 -name pom.xml -newer "$jar" -print -quit)" ]]; then
    echo "building $module (first use or sources changed) ..." >&2
    (cd "$root" && ./mvnw -B -q -DskipTests -Dmaven.test.skip=true install -pl "$module" -am) >&2
  fi
  # shellcheck disable=SC2086  # LAB_JAVA_OPTS is a list of options
  exec "${JAVA:-java}" ${LAB_JAVA_OPTS:-} -jar "$jar" "$@"
}
