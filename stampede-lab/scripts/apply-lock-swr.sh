#!/usr/bin/env bash
# apply-lock-swr.sh — course step: switch every replica to the 'lock+swr' recompute strategy, live.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/cache-strategy.sh" lock+swr
