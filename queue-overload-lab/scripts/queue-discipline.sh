#!/usr/bin/env bash
# queue-discipline.sh — the queue-overload lab: switch (or show) the bottom's queue discipline, live.
# The apply-*.sh scripts of the lab call this. Works against ./lab up and compose alike.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: queue-overload-lab/scripts/queue-discipline.sh <discipline|status>

  fifo            arrival order, bounded (chain.capacity.queue-capacity, queue-timeout): the default
  unbounded-fifo  the failure: no bound, no timeout, deadlines ignored
  codel           CoDel (Facebook): shed past the target once the queue stands, past the interval otherwise
  adaptive-lifo   CoDel's sheds, and the newest first while the queue stands
  adaptive-limit  Netflix concurrency-limits: Gradient2 behind a LIFO backlog, in front of the fifo
  priority        X-Priority: live first, batch at most 10% of the queue, shed first
  deadline        drop work that cannot finish within its caller's X-Deadline

Admin API: $BOTTOM_ADMIN (default http://127.0.0.1:9084: the bottom's management port).
USAGE
}

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
# shellcheck source=lib/admin.sh
source "$root/lib/admin.sh"
bottom="${BOTTOM_ADMIN:-http://127.0.0.1:9084}"
switch_defence queue-discipline.sh /admin/queue-discipline discipline "$bottom" \
  "fifo unbounded-fifo codel adaptive-lifo adaptive-limit priority deadline" "$@"
