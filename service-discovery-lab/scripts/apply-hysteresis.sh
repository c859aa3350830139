#!/usr/bin/env bash
# apply-hysteresis.sh — the service-discovery lab: health checks with hysteresis (health-checks.sh off: back), live.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/health-checks.sh" hysteresis
