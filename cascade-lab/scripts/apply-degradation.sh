#!/usr/bin/env bash
# apply-degradation.sh — the cascade lab: switch the degradation defence on, live (cascade-defence.sh degradation off: back).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/cascade-defence.sh" degradation on
