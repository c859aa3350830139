#!/usr/bin/env bash
# apply-consensus.sh — the split-brain lab: leader election on ZooKeeper with majority writes (leadership.sh naive: back), live.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/leadership.sh" consensus
