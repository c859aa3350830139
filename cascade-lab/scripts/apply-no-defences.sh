#!/usr/bin/env bash
# apply-no-defences.sh — the cascade lab: every defence off and naive retries at every hop, live
# (the failure's configuration).
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
"$root/retry-storm-lab/scripts/retry-policy.sh" naive
for defence in deadlines breaker throttle shedding degradation; do
  "$here/cascade-defence.sh" "$defence" off
done
