#!/usr/bin/env bash
# cascade-defence.sh — switch (or show) one of the cascade lab's defences, live, on the hops that
# carry it. The apply-*.sh scripts of the lab call this. Works against ./lab up and compose alike.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: cascade-lab/scripts/cascade-defence.sh <defence> <on|off|status>

  breaker      a Resilience4j circuit breaker on the edge's and the middle's calls
  throttle     client-side adaptive throttling (SRE book, K = 2) on the middle's calls to the bottom
  deadlines    each request carries its deadline down the chain (the edge stamps 2 s)
  shedding     an adaptive concurrency limit (Gradient2) in front of the bottom's work
  degradation  the edge answers 203 with its last good answer when the chain fails

Admin APIs: $EDGE_ADMIN, $MIDDLE_ADMIN, $BOTTOM_ADMIN (defaults http://127.0.0.1:9080, :9082, :9084:
the management ports).
USAGE
}

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
# shellcheck source=lib/admin.sh
source "$root/lib/admin.sh"
edge="${EDGE_ADMIN:-http://127.0.0.1:9080}"
middle="${MIDDLE_ADMIN:-http://127.0.0.1:9082}"
bottom="${BOTTOM_ADMIN:-http://127.0.0.1:9084}"
if [[ $# -ne 2 ]]; then
  usage >&2
  exit 2
fi
defence="$1"
shift
case "$defence" in
  breaker) switch_defence cascade-defence.sh /admin/circuit-breaker breaker "$edge $middle" "off on" "$@" ;;
  throttle) switch_defence cascade-defence.sh /admin/adaptive-throttle throttle "$middle" "off on" "$@" ;;
  deadlines) switch_defence cascade-defence.sh /admin/deadlines deadlines "$edge $middle" "off on" "$@" ;;
  shedding) switch_defence cascade-defence.sh /admin/load-shedding shedding "$bottom" "off on" "$@" ;;
  degradation) switch_defence cascade-defence.sh /admin/degradation degradation "$edge" "off on" "$@" ;;
  -h | --help) usage ;;
  *)
    echo "cascade-defence.sh: unknown defence '$defence'" >&2
    usage >&2
    exit 2
    ;;
esac
