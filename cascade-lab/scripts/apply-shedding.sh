#!/usr/bin/env bash
# apply-shedding.sh — the cascade lab: switch the shedding defence on, live (cascade-defence.sh shedding off: back).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/cascade-defence.sh" shedding on
