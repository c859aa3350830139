#!/usr/bin/env bash
# apply-coalesce.sh — the hot-partition lab: one shard call in flight per hot key, live (apply-no-defences.sh: back).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/hot-keys.sh" coalesce
