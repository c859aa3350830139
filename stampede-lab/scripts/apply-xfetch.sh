#!/usr/bin/env bash
# apply-xfetch.sh — course step: switch every replica to the 'xfetch' recompute strategy, live.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/cache-strategy.sh" xfetch
