#!/usr/bin/env bash
# apply-bounded-load.sh — the hot-partition lab: bounded-load consistent hashing (epsilon 0.25), live (apply-consistent.sh: back).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/partition-routing.sh" bounded-load
