#!/usr/bin/env bash
# store-fault.sh — the split-brain lab: partition the store's leader from the rest (and from
# ZooKeeper), or pause it as in a long GC, through the nodes' admin APIs (each fault ends by its TTL).
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: split-brain-lab/scripts/store-fault.sh [--ttl D] [--node N] <partition|pause D|clear|status>

  partition  {store-N} | {the other two}: store-N cut from its peers and from ZooKeeper, both
             ways, for --ttl (store-N: --node, else the node that leads now)
  pause D    store-N stands still for D (as in a GC pause) inside its next client write: its
             ZooKeeper session goes silent, and the write goes on afterwards with its old token
  clear      heal every partition and end every pause
  status     every node: leader, term, the links cut, paused

options:
  --ttl D     the partition's lifetime (default 30s)
  --node N    the node struck, 1 to 3 (default: the leader)
Store nodes: $STORES (default "http://127.0.0.1:8201 http://127.0.0.1:8202 http://127.0.0.1:8203");
admin APIs: $STORES_ADMIN (default "http://127.0.0.1:9201 http://127.0.0.1:9202 http://127.0.0.1:9203").
USAGE
}

die_usage() {
  echo "store-fault.sh: $1" >&2
  usage >&2
  exit 2
}

read -r -a nodes <<< "${STORES:-http://127.0.0.1:8201 http://127.0.0.1:8202 http://127.0.0.1:8203}"
read -r -a admins <<< "${STORES_ADMIN:-http://127.0.0.1:9201 http://127.0.0.1:9202 http://127.0.0.1:9203}"
[[ ${#nodes[@]} -eq ${#admins[@]} ]] || die_usage "STORES and STORES_ADMIN must name as many nodes"
ttl="30s" node="" command="" pause=""
duration='^[0-9]+(ms|s|m)?$'
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --ttl)
      [[ $# -ge 2 ]] || die_usage "--ttl needs a value"
      [[ "$2" =~ $duration ]] || die_usage "--ttl must be a duration like 30s, got '$2'"
      ttl="$2"; shift 2 ;;
    --node)
      [[ $# -ge 2 ]] || die_usage "--node needs a value"
      [[ "$2" =~ ^[0-9]+$ && "$2" -ge 1 && "$2" -le ${#nodes[@]} ]] || die_usage "--node must be 1 to ${#nodes[@]}, got '$2'"
      node="$2"; shift 2 ;;
    -*) die_usage "unknown option '$1'" ;;
    *)
      if [[ -z "$command" ]]; then command="$1"
      elif [[ "$command" == pause && -z "$pause" ]]; then pause="$1"
      else die_usage "too many arguments"; fi
      shift ;;
  esac
done

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
# shellcheck source=lib/admin.sh
source "$root/lib/admin.sh"
call() {
  admin_call store-fault.sh "$@"
}

# The node struck: --node, else the one whose /store/status says it leads.
struck() {
  if [[ -n "$node" ]]; then
    echo "$node"
    return
  fi
  local i
  for i in "${!nodes[@]}"; do
    if curl -sS --max-time 2 "${nodes[$i]}/store/status" 2>/dev/null | grep -q '"leader":true'; then
      echo $((i + 1))
      return
    fi
  done
  echo "store-fault.sh: no node leads now; name one with --node" >&2
  exit 1
}

case "$command" in
  partition)
    n="$(struck)"
    others=""
    for i in "${!nodes[@]}"; do
      [[ $((i + 1)) -eq "$n" ]] || others+="\"store-$((i + 1))\","
    done
    status=0
    for i in "${!admins[@]}"; do
      if [[ $((i + 1)) -eq "$n" ]]; then
        call PUT "${admins[$i]}/admin/network-partition" "{\"cut\":[${others}\"zookeeper\"],\"ttl\":\"$ttl\"}" || status=1
      else
        call PUT "${admins[$i]}/admin/network-partition" "{\"cut\":[\"store-$n\"],\"ttl\":\"$ttl\"}" || status=1
      fi
    done
    exit "$status" ;;
  pause)
    [[ "$pause" =~ $duration ]] || die_usage "pause needs a duration like 4s, got '$pause'"
    n="$(struck)"
    call PUT "${admins[$((n - 1))]}/admin/pause" "{\"duration\":\"$pause\",\"at\":\"next-write\"}" ;;
  clear | status)
    status=0
    for i in "${!admins[@]}"; do
      if [[ "$command" == clear ]]; then
        call DELETE "${admins[$i]}/admin/network-partition" >/dev/null || status=1
        call DELETE "${admins[$i]}/admin/pause" || status=1
      else
        call GET "${nodes[$i]}/store/status" || status=1
      fi
    done
    exit "$status" ;;
  *) die_usage "a command is required: partition, pause, clear or status" ;;
esac
