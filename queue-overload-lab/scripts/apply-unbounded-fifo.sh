#!/usr/bin/env bash
# apply-unbounded-fifo.sh — the queue-overload lab: the bottom's queue discipline to unbounded-fifo, live (apply-fifo.sh: back).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/queue-discipline.sh" unbounded-fifo
