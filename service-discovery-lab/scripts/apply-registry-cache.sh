#!/usr/bin/env bash
# apply-registry-cache.sh — the service-discovery lab: the middle keeps its cached registry (registry-cache.sh drop: the failure), live.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/registry-cache.sh" keep
