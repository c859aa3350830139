#!/usr/bin/env bash
# apply-deadline.sh — the queue-overload lab: the bottom's queue discipline to deadline, live (apply-fifo.sh: back).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/queue-discipline.sh" deadline
