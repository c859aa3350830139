#!/usr/bin/env bash
# self-preservation.sh — the service-discovery lab: switch (or show) self-preservation on the registry, live.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: service-discovery-lab/scripts/self-preservation.sh <off|on|status>

  on   Eureka's default: while the renewals it receives are below 85% of those it expects,
       the registry evicts nobody (a network problem, not dead instances, it assumes)
  off  leases that expire are evicted, however many at once
Admin APIs: $REGISTRY_ADMIN (default "http://127.0.0.1:9088").
USAGE
}

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
# shellcheck source=lib/admin.sh
source "$root/lib/admin.sh"
switch_defence self-preservation.sh /admin/self-preservation mode "${REGISTRY_ADMIN:-http://127.0.0.1:9088}" "off on" "$@"
