#!/usr/bin/env bash
# apply-throttle.sh — the cascade lab: switch the throttle defence on, live (cascade-defence.sh throttle off: back).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/cascade-defence.sh" throttle on
