#!/usr/bin/env bash
# retry-policy.sh — switch (or show) the retry policy of every calling hop at once, live.
# The apply-*.sh scripts of the course call this. Works against ./lab up and compose alike.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: ./retry-policy.sh <none|naive|backoff|budget|status>

  none      one attempt per call
  naive     up to 3 attempts per hop, immediately
  backoff   up to 3 attempts, exponential backoff with full jitter
  budget    backoff + a retry budget (10% of requests), retries kept to one layer
  status    show each hop's policy

Hops: $CHAIN_HOPS (default "http://127.0.0.1:8080 http://127.0.0.1:8082": edge and middle).
USAGE
}

[[ $# -eq 1 ]] || { usage >&2; exit 2; }
case "$1" in
  none | naive | backoff | budget | status) ;;
  -h | --help) usage; exit 0 ;;
  *) echo "retry-policy.sh: unknown policy '$1'" >&2; usage >&2; exit 2 ;;
esac

read -r -a hops <<< "${CHAIN_HOPS:-http://127.0.0.1:8080 http://127.0.0.1:8082}"
# The project's root, wherever this is run from (the top-level name is a link to this file).
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
# shellcheck source=lib/admin.sh
source "$root/lib/admin.sh"
admin_each /admin/retry-policy policy "$1" "${hops[@]}"
