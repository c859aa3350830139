#!/usr/bin/env bash
# apply-no-serve-stale.sh — the DNS lab: serve-stale off, live (the default: an expired answer is gone).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/serve-stale.sh" off
