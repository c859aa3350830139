#!/usr/bin/env bash
# health-checks.sh — the service-discovery lab: switch (or show) health-checks on the middle, live.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: service-discovery-lab/scripts/health-checks.sh <off|plain|hysteresis|status>

  off         the middle calls every instance the registry lists (the default)
  plain       it checks each instance's health every second; one check decides
  hysteresis  out after 2 failed checks in a row, back after 15 good ones
Admin APIs: $MIDDLE_ADMIN (default "http://127.0.0.1:9082").
USAGE
}

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
# shellcheck source=lib/admin.sh
source "$root/lib/admin.sh"
switch_defence health-checks.sh /admin/health-checks mode "${MIDDLE_ADMIN:-http://127.0.0.1:9082}" "off plain hysteresis" "$@"
