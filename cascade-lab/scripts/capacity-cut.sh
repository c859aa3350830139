#!/usr/bin/env bash
# capacity-cut.sh — the cascade lab's trigger: cut a share of the bottom's capacity for a while
# (its service time stretched: no CPU spent); the cut ends by itself.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: cascade-lab/scripts/capacity-cut.sh <fraction> <duration> | end | status

  0.8 10s   cut 80% of the bottom's capacity (4 x 40 ms -> 4 x 200 ms: 100 -> 20 req/s) for 10 s
  end       end the cut now
  status    show the cut in force and how long it has left

Admin API: $BOTTOM_ADMIN (default http://127.0.0.1:9084, the bottom's management port).
USAGE
}

url="${BOTTOM_ADMIN:-http://127.0.0.1:9084}/admin/capacity-cut"
case "${1:-}" in
  -h | --help) usage; exit 0 ;;
  end) [[ $# -eq 1 ]] || { usage >&2; exit 2; }; curl -sS --fail-with-body -X DELETE "$url"; echo ;;
  status) [[ $# -eq 1 ]] || { usage >&2; exit 2; }; curl -sS --fail-with-body "$url"; echo ;;
  *)
    if [[ $# -ne 2 || ! "$1" =~ ^0?\.[0-9]+$ ]]; then
      usage >&2
      exit 2
    fi
    curl -sS --fail-with-body -X PUT -H 'Content-Type: application/json' \
      --data "{\"fraction\":$1,\"duration\":\"$2\"}" "$url"
    echo
    ;;
esac
