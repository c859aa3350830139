#!/usr/bin/env bash
# apply-write-sharding.sh — the hot-partition lab: a hot key's increments over k sub-keys, its reads fanned in, live (apply-no-defences.sh: back).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/write-sharding.sh" on
