#!/usr/bin/env bash
# apply-breaker.sh — the cascade lab: switch the breaker defence on, live (cascade-defence.sh breaker off: back).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/cascade-defence.sh" breaker on
