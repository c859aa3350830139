#!/usr/bin/env bash
# apply-budget.sh — course step: switch every hop to the 'budget' retry policy, live.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/retry-policy.sh" budget
