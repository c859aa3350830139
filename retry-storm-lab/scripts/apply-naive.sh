#!/usr/bin/env bash
# apply-naive.sh — course step: switch every hop to the 'naive' retry policy, live.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/retry-policy.sh" naive
