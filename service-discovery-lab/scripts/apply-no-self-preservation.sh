#!/usr/bin/env bash
# apply-no-self-preservation.sh — the service-discovery lab: self-preservation off (the failure: mass eviction), live.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/self-preservation.sh" off
