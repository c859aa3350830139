#!/usr/bin/env bash
# apply-all-defences.sh — the cascade lab: every layer's defence at once, live: the retry budget
# (with deadlines), deadlines, breakers, the middle's adaptive throttle, shedding at the bottom,
# degradation at the edge.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
"$root/retry-storm-lab/scripts/retry-policy.sh" budget
for defence in deadlines breaker throttle shedding degradation; do
  "$here/cascade-defence.sh" "$defence" on
done
