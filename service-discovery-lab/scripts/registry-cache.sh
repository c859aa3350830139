#!/usr/bin/env bash
# registry-cache.sh — the service-discovery lab: switch (or show) registry-cache on the middle, live.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: service-discovery-lab/scripts/registry-cache.sh <drop|keep|status>

  keep  Eureka's client: when the registry cannot be fetched, the last copy is used (the default)
  drop  registry data older than chain.discovery.max-registry-age (3 s) is not used: no instance
Admin APIs: $MIDDLE_ADMIN (default "http://127.0.0.1:9082").
USAGE
}

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
# shellcheck source=lib/admin.sh
source "$root/lib/admin.sh"
switch_defence registry-cache.sh /admin/registry-cache mode "${MIDDLE_ADMIN:-http://127.0.0.1:9082}" "drop keep" "$@"
