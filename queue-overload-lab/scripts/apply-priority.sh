#!/usr/bin/env bash
# apply-priority.sh — the queue-overload lab: the bottom's queue discipline to priority, live (apply-fifo.sh: back).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/queue-discipline.sh" priority
