#!/usr/bin/env bash
# partition-routing.sh — the hot-partition lab: switch (or show) how the router places reads, live.
# The apply-*.sh scripts of the lab call this. Works against ./lab up --lab hot-partition and compose alike.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: hot-partition-lab/scripts/partition-routing.sh <routing|status>

  modulo        hash(key) mod N: the key's home (the failure; every key moves when N changes)
  consistent    a consistent-hash ring, 160 points per shard: the key's home (the default; the failure)
  bounded-load  consistent hashing with bounded loads: the first shard on the key's ring walk within
                (1 + 0.25) x the average, in flight and this second

Admin API: $ROUTER_ADMIN (default http://127.0.0.1:9086: the router's management port).
USAGE
}

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
# shellcheck source=lib/admin.sh
source "$root/lib/admin.sh"
switch_defence partition-routing.sh /admin/partition-routing routing "${ROUTER_ADMIN:-http://127.0.0.1:9086}" \
  "modulo consistent bounded-load" "$@"
