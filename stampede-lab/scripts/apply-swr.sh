#!/usr/bin/env bash
# apply-swr.sh — course step: switch every replica to the 'swr' recompute strategy, live.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/cache-strategy.sh" swr
