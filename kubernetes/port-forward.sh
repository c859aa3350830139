#!/usr/bin/env bash
# port-forward.sh — forward every port of one participant's stack (the Helm chart's) to this machine's
# loopback, on the ports ./lab up serves: the labs' scripts, ./lab use, ./lab restart and
# ./lab run NAME --target 127.0.0.1 then work against the cluster unchanged. Ctrl-C stops them all.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: kubernetes/port-forward.sh [--print] [--prefix P] PARTICIPANT

  PARTICIPANT  a participant of the chart's values (p07), or a namespace (failure-lab-p07)
  --print      print the kubectl commands instead of running them
  --prefix P   the chart's namespacePrefix (default: failure-lab-)
USAGE
}

die_usage() {
  echo "port-forward.sh: $1" >&2
  usage >&2
  exit 2
}

# Each Service of the chart and its ports: the app's port and its management port (the fault
# injector: its control API and its two proxies), as ./lab up and docker compose serve them.
forwards=(
  "edge 8080 9080"
  "middle 8082 9082"
  "bottom 8084 9084"
  "replica 8085 9085"
  "fault-injector 8474 8081 8083"
)

print="" prefix="failure-lab-" participant=""
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

commands=()
for forward in "${forwards[@]}"; do
  read -r -a parts <<< "$forward"
  commands+=("kubectl -n $namespace port-forward --address 127.0.0.1 svc/${parts[0]} ${parts[*]:1}")
done

if [[ -n "$print" ]]; then
  printf '%s\n' "${commands[@]}"
  exit 0
fi
command -v kubectl >/dev/null || { echo "port-forward.sh: kubectl is not on the PATH" >&2; exit 1; }
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT INT TERM
for command in "${commands[@]}"; do
  read -r -a argv <<< "$command"
  "${argv[@]}" &
  pids+=($!)
done
echo "port-forward.sh: $namespace on 127.0.0.1 (edge 8080, fault injector 8474, ...); Ctrl-C stops" >&2
wait
