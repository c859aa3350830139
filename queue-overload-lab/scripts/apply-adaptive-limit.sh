#!/usr/bin/env bash
# apply-adaptive-limit.sh — the queue-overload lab: the bottom's queue discipline to adaptive-limit, live (apply-fifo.sh: back).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/queue-discipline.sh" adaptive-limit
