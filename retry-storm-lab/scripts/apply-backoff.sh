#!/usr/bin/env bash
# apply-backoff.sh — course step: switch every hop to the 'backoff' retry policy, live.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/retry-policy.sh" backoff
