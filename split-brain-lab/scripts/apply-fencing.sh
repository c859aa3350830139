#!/usr/bin/env bash
# apply-fencing.sh — the split-brain lab: PostgreSQL refuses stale fencing tokens (fencing.sh off: back), live.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/fencing.sh" on
