#!/usr/bin/env bash
# apply-lock.sh — course step: switch every replica to the 'lock' recompute strategy, live.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/cache-strategy.sh" lock
