#!/usr/bin/env bash
# port-forward.sh — forward every port of one participant's stack (the Helm chart's, in either mode,
# with its lab's servers) to this machine's loopback, on the ports ./lab up serves: the labs' scripts,
# ./lab use, ./lab restart and ./lab run NAME --target 127.0.0.1 then work against the cluster
# unchanged. Ctrl-C stops them all. KUBECTL names another kubectl.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: kubernetes/port-forward.sh [--print] [--prefix P] PARTICIPANT

  PARTICIPANT  a participant of the chart's values (p07), or a namespace (failure-lab-p07)
  --print      print the kubectl port-forward commands instead of running them
  --prefix P   the chart's namespacePrefix (default: failure-lab-)
USAGE
}

die_usage() {
  echo "port-forward.sh: $1" >&2
  usage >&2
  exit 2
}

kubectl="${KUBECTL:-kubectl}" print="" prefix="failure-lab-" participant=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --print) print=1; shift ;;
    --prefix)
      [[ $# -ge 2 ]] || die_usage "--prefix needs a value"
      prefix="$2"; shift 2 ;;
    -*) die_usage "unknown option '$1'" ;;
    *)
      [[ -z "$participant" ]] || die_usage "one participant at a time"
      participant="$1"; shift ;;
  esac
done
[[ -n "$participant" ]] || die_usage "name a participant (e.g. p07) or a namespace"
[[ "$participant" =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] || die_usage "'$participant' is not a namespace name"
namespace="$participant"
[[ "$namespace" == "$prefix"* ]] || namespace="$prefix$participant"

command -v "$kubectl" >/dev/null || { echo "port-forward.sh: $kubectl is not on the PATH" >&2; exit 1; }

# Every Service of the participant's stack, whatever its mode and lab (the chain's, a lab's own
# servers), with its TCP ports: the app's port and its management port, the fault injector's control
# API and proxies. Not Redis and PostgreSQL (./lab up's own would clash), nor UDP (the DNS lab's
# servers: kubectl forwards TCP only; their TCP ports are forwarded).
listing=$("$kubectl" -n "$namespace" get services -l app.kubernetes.io/part-of=failure-lab \
  -o 'jsonpath={range .items[*]}{.metadata.name}{range .spec.ports[?(@.protocol=="TCP")]}{" "}{.port}{end}{"\n"}{end}') \
  || { echo "port-forward.sh: cannot list the Services of $namespace" >&2; exit 1; }
commands=()
while read -r -a parts; do
  [[ ${#parts[@]} -ge 2 ]] || continue
  case "${parts[0]}" in redis | postgres) continue ;; esac
  commands+=("$kubectl -n $namespace port-forward --address 127.0.0.1 svc/${parts[0]} ${parts[*]:1}")
done <<< "$listing"
[[ ${#commands[@]} -gt 0 ]] || { echo "port-forward.sh: no Failure Lab Services in $namespace" >&2; exit 1; }

if [[ -n "$print" ]]; then
  printf '%s\n' "${commands[@]}"
  exit 0
fi
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT INT TERM
for command in "${commands[@]}"; do
  read -r -a argv <<< "$command"
  "${argv[@]}" &
  pids+=($!)
done
echo "port-forward.sh: $namespace on 127.0.0.1 (${#commands[@]} Services, as ./lab up serves them); Ctrl-C stops" >&2
wait
