#!/usr/bin/env bash
# apply-consistent.sh — the hot-partition lab: reads to their key's home on the consistent-hash ring, live (the default: the failure).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/partition-routing.sh" consistent
