#!/usr/bin/env bash
# write-sharding.sh — the hot-partition lab: switch (or show) write sharding of the hot keys, live.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: hot-partition-lab/scripts/write-sharding.sh <off|on|status>

  off  every increment of a key goes to its home shard (the default)
  on   an increment of a hot key goes to one of key#0..k-1 (chain.partition.write-shards, 16), and a
       read of its counter fans in over all of them

Admin API: $ROUTER_ADMIN (default http://127.0.0.1:9086: the router's management port).
USAGE
}

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
# shellcheck source=lib/admin.sh
source "$root/lib/admin.sh"
switch_defence write-sharding.sh /admin/write-sharding sharding "${ROUTER_ADMIN:-http://127.0.0.1:9086}" \
  "off on" "$@"
