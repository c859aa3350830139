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

Hops: $CHAIN_HOPS, their admin API (default "http://127.0.0.1:9080 http://127.0.0.1:9082": the edge's
and the middle's management ports).
USAGE
}

# The project's root, wherever this is run from (the top-level name is a link to this file).
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
# shellcheck source=lib/admin.sh
source "$root/lib/admin.sh"
switch_defence retry-policy.sh /admin/retry-policy policy \
  "${CHAIN_HOPS:-http://127.0.0.1:9080 http://127.0.0.1:9082}" "none naive backoff budget" "$@"
