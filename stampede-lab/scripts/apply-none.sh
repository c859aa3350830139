#!/usr/bin/env bash
# apply-none.sh — course step: switch every replica to the 'none' recompute strategy, live.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/cache-strategy.sh" none
