#!/usr/bin/env bash
# apply-fifo.sh — the queue-overload lab: the bottom's queue discipline to fifo, live (apply-fifo.sh: back).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/queue-discipline.sh" fifo
