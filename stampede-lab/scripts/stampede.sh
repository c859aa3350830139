#!/usr/bin/env bash
# stampede.sh — course step: warm the hot key, wait for it to expire, and fire 1000 requests that
# reach the replicas at that instant; report origin queries, errors and p50/p99. Works against
# ./lab up and compose alike (replicas on 8084 and 8085, their admin API on 9084 and 9085).
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: ./stampede.sh [--requests N] [--host HOST] [--ports BOTTOM,REPLICA] [--admin-ports BOTTOM,REPLICA]

  --requests N    requests in the burst (default 1000), split over the replicas
  --host HOST     where the replicas run (default 127.0.0.1)
  --ports P,P     the replicas' ports (default 8084,8085)
  --admin-ports P,P  their management ports, for the admin API (default 9084,9085)

Switch the strategy first with ./apply-none.sh, ./apply-lock.sh, ./apply-xfetch.sh,
./apply-swr.sh or ./apply-lock-swr.sh.
USAGE
}

args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --requests | --host | --ports | --admin-ports)
      [[ $# -ge 2 ]] || { echo "stampede.sh: $1 needs a value" >&2; usage >&2; exit 2; }
      args+=("$1" "$2")
      shift 2
      ;;
    -h | --help) usage; exit 0 ;;
    *) echo "stampede.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

# The project's root, wherever this is run from (the top-level name is a link to this file).
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
exec "$root/lab" stampede "${args[@]}"
