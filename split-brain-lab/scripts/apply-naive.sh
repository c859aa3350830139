#!/usr/bin/env bash
# apply-naive.sh — the split-brain lab: naive HA, no fencing (the failure; the defaults), live.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
"$here/leadership.sh" naive
exec "$here/fencing.sh" off
