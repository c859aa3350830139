#!/usr/bin/env bash
# registry-fault.sh — the service-discovery lab: the registry down, or some instances' heartbeats
# blackholed on their way to it, through the fault proxy in front of it (./fault.sh --proxy registry).
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: service-discovery-lab/scripts/registry-fault.sh [--ttl D] <outage|heartbeats [N]|clear|status>

  outage         every request to the registry answered 503 at its proxy: no fetch, no heartbeat
                 reaches it (the lab's 20 s stand for 5 min of Eureka's clocks)
  heartbeats N   the heartbeats (PUT /eureka/apps/BOTTOM/bottom-i) of bottom-1 to bottom-N
                 blackholed (default 3): the instances are alive, the registry hears nothing
  clear          remove the registry proxy's faults
  status         every proxy and its active faults

options:
  --ttl D        the fault's lifetime, e.g. 30s (default: the injector's, 60s)
  --url URL      control API (default: $FAULT_INJECTOR_URL or http://127.0.0.1:8474)
USAGE
}

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
args=(--proxy registry)
command=""
count=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --ttl | --url)
      [[ $# -ge 2 ]] || { echo "registry-fault.sh: $1 needs a value" >&2; usage >&2; exit 2; }
      args+=("$1" "$2")
      shift 2 ;;
    -*) echo "registry-fault.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    *)
      if [[ -z "$command" ]]; then command="$1"; elif [[ -z "$count" ]]; then count="$1"; else
        echo "registry-fault.sh: too many arguments" >&2; usage >&2; exit 2
      fi
      shift ;;
  esac
done
case "$command" in
  outage)
    [[ -z "$count" ]] || { echo "registry-fault.sh: outage takes no value" >&2; usage >&2; exit 2; }
    exec "$root/fault.sh" "${args[@]}" --mode proxy --status 503 inject 100% ;;
  heartbeats)
    count="${count:-3}"
    [[ "$count" =~ ^[1-5]$ ]] || { echo "registry-fault.sh: heartbeats takes a number of instances, 1 to 5, got '$count'" >&2; usage >&2; exit 2; }
    for ((i = 1; i <= count; i++)); do
      "$root/fault.sh" "${args[@]}" --path "/eureka/apps/BOTTOM/bottom-$i" --method PUT blackhole
    done ;;
  clear) exec "$root/fault.sh" "${args[@]}" clear ;;
  status) exec "$root/fault.sh" "${args[@]}" status ;;
  *) echo "registry-fault.sh: a command is required: outage, heartbeats, clear or status" >&2; usage >&2; exit 2 ;;
esac
