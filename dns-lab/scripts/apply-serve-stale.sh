#!/usr/bin/env bash
# apply-serve-stale.sh — the DNS lab: serve-stale with a background refresh, live (apply-no-serve-stale.sh: back).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/serve-stale.sh" refresh
