#!/usr/bin/env bash
# fencing.sh — the split-brain lab: switch (or show) whether the replicas' storage refuses stale tokens, live.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: split-brain-lab/scripts/fencing.sh <off|on|status>

  on   PostgreSQL refuses a write whose fencing token is below one its replica has seen
  off  it stores it anyway (the default): a deposed leader's late write lands
Admin APIs: $STORES_ADMIN (default "http://127.0.0.1:9201 http://127.0.0.1:9202 http://127.0.0.1:9203").
USAGE
}

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
# shellcheck source=lib/admin.sh
source "$root/lib/admin.sh"
switch_defence fencing.sh /admin/fencing fencing \
  "${STORES_ADMIN:-http://127.0.0.1:9201 http://127.0.0.1:9202 http://127.0.0.1:9203}" "off on" "$@"
