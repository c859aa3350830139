#!/usr/bin/env bash
# apply-deadlines.sh — the cascade lab: switch the deadlines defence on, live (cascade-defence.sh deadlines off: back).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/cascade-defence.sh" deadlines on
