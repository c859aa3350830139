#!/usr/bin/env bash
# celebrity.sh — the hot-partition lab's load by hand: keys k1..k10000 Zipf(0.99) at the router, and
# the celebrity trigger (30% of all requests to one key). Runs ./lab load; Ctrl-C stops it.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: hot-partition-lab/scripts/celebrity.sh [--share F] [--writes F] [--rate R] [--duration D]

  --share F     the celebrity's share of all requests (default 0.3; 0: Zipf alone)
  --writes F    the share of requests that increment a counter (default 0: reads only)
  --rate R      requests per second in all (default 400)
  --duration D  how long (default 60s)

Target: $ROUTER_URL (default http://127.0.0.1:8086: the router).
USAGE
}

share=0.3 writes=0 rate=400 duration=60s
while [[ $# -gt 0 ]]; do
  case "$1" in
    --share) share="${2:?--share needs a value}"; shift 2 ;;
    --writes) writes="${2:?--writes needs a value}"; shift 2 ;;
    --rate) rate="${2:?--rate needs a value}"; shift 2 ;;
    --duration) duration="${2:?--duration needs a value}"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "celebrity.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
exec "$root/lab" load --url "${ROUTER_URL:-http://127.0.0.1:8086}" --keys 10000 --zipf 0.99 \
  --celebrity celebrity --celebrity-share "$share" --write-share "$writes" --rate "$rate" --duration "$duration"
