#!/usr/bin/env bash
# apply-hot-key-cache.sh — the hot-partition lab: a local cache of the hot keys, its misses coalesced, live (apply-no-defences.sh: back).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/hot-keys.sh" cache
