#!/usr/bin/env bash
# apply-adaptive-lifo.sh — the queue-overload lab: the bottom's queue discipline to adaptive-lifo, live (apply-fifo.sh: back).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/queue-discipline.sh" adaptive-lifo
