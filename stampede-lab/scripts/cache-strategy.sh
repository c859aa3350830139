#!/usr/bin/env bash
# cache-strategy.sh — switch (or show) the hot key's recompute strategy on every replica at once,
# live. The apply-*.sh scripts of the course call this. Works against ./lab up and compose alike.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: ./cache-strategy.sh <none|lock|xfetch|swr|lock+swr|status>

  none      every miss recomputes (the stampede)
  lock      one caller across the replicas recomputes under a Redis lock; the others wait
  xfetch    probabilistic early recomputation before the expiry (XFetch)
  swr       serve the stale value while one caller refreshes it in the background
  lock+swr  stale-while-revalidate, and the lock when nothing stale is left
  status    show each replica's strategy

Replicas: $CACHE_REPLICAS, their admin API (default "http://127.0.0.1:9084 http://127.0.0.1:9085":
the management ports of the bottom and its replica).
USAGE
}

# The project's root, wherever this is run from (the top-level name is a link to this file).
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
# shellcheck source=lib/admin.sh
source "$root/lib/admin.sh"
switch_defence cache-strategy.sh /admin/cache-strategy strategy \
  "${CACHE_REPLICAS:-http://127.0.0.1:9084 http://127.0.0.1:9085}" "none lock xfetch swr lock+swr" "$@"
