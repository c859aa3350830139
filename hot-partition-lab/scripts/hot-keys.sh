#!/usr/bin/env bash
# hot-keys.sh — the hot-partition lab: switch (or show) what the router does for the keys it detects hot, live.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: hot-partition-lab/scripts/hot-keys.sh <strategy|status>

  none      every read of a hot key goes to its shard (the default)
  coalesce  one shard call in flight per hot key; the reads meanwhile share its answer
  cache     a local cache of the hot keys' answers (chain.partition.cache-ttl, 1 s), its misses coalesced

A key is hot when it had chain.partition.hot-key-min-share (2%) of the router's requests in the
last window (chain.partition.hot-key-window, 1 s).
Admin API: $ROUTER_ADMIN (default http://127.0.0.1:9086: the router's management port).
USAGE
}

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
# shellcheck source=lib/admin.sh
source "$root/lib/admin.sh"
switch_defence hot-keys.sh /admin/hot-keys strategy "${ROUTER_ADMIN:-http://127.0.0.1:9086}" \
  "none coalesce cache" "$@"
