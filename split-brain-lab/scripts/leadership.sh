#!/usr/bin/env bash
# leadership.sh — the split-brain lab: switch (or show) how the store's nodes elect their leader, live.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: split-brain-lab/scripts/leadership.sh <naive|consensus|status>

  naive      a standby promotes itself when the leader's heartbeat times out, with no quorum;
             a write is acknowledged once the leader stored it (the default)
  consensus  leader election on ZooKeeper (Apache Curator's LeaderLatch), a fencing token per
             leadership; writes and reads acknowledged by a majority of the three replicas
Admin APIs: $STORES_ADMIN (default "http://127.0.0.1:9201 http://127.0.0.1:9202 http://127.0.0.1:9203").
USAGE
}

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
# shellcheck source=lib/admin.sh
source "$root/lib/admin.sh"
switch_defence leadership.sh /admin/leadership mode \
  "${STORES_ADMIN:-http://127.0.0.1:9201 http://127.0.0.1:9202 http://127.0.0.1:9203}" "naive consensus" "$@"
