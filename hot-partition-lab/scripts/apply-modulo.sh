#!/usr/bin/env bash
# apply-modulo.sh — the hot-partition lab: reads to hash(key) mod N, live (the failure too; apply-consistent.sh: back).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/partition-routing.sh" modulo
