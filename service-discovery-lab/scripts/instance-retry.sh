#!/usr/bin/env bash
# instance-retry.sh — the service-discovery lab: switch (or show) instance-retry on the middle, live.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: service-discovery-lab/scripts/instance-retry.sh <off|on|status>

  on   a call that fails to connect (refused, reset) is sent once more, to a different instance
  off  it fails (the default)
Admin APIs: $MIDDLE_ADMIN (default "http://127.0.0.1:9082").
USAGE
}

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
# shellcheck source=lib/admin.sh
source "$root/lib/admin.sh"
switch_defence instance-retry.sh /admin/instance-retry retry "${MIDDLE_ADMIN:-http://127.0.0.1:9082}" "off on" "$@"
