#!/usr/bin/env bash
# outlier-ejection.sh — the service-discovery lab: switch (or show) outlier-ejection on the middle, live.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: service-discovery-lab/scripts/outlier-ejection.sh <off|on|status>

  on   after 5 failed calls in a row an instance is not called for 10 s (x the times ejected,
       at most 60 s), never more than 20% of the instances at once (at least one): Envoy's
  off  (the default)
Admin APIs: $MIDDLE_ADMIN (default "http://127.0.0.1:9082").
USAGE
}

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
# shellcheck source=lib/admin.sh
source "$root/lib/admin.sh"
switch_defence outlier-ejection.sh /admin/outlier-ejection ejection "${MIDDLE_ADMIN:-http://127.0.0.1:9082}" "off on" "$@"
