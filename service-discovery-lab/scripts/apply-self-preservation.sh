#!/usr/bin/env bash
# apply-self-preservation.sh — the service-discovery lab: self-preservation on (apply-no-self-preservation.sh: off), live.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/self-preservation.sh" on
