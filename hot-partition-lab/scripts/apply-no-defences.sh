#!/usr/bin/env bash
# apply-no-defences.sh — the hot-partition lab: every router defence back to its default (consistent, none, off), live.
set -euo pipefail
dir="$(dirname "${BASH_SOURCE[0]}")"
"$dir/partition-routing.sh" consistent
"$dir/hot-keys.sh" none
"$dir/write-sharding.sh" off
