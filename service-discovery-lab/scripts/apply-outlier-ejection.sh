#!/usr/bin/env bash
# apply-outlier-ejection.sh — the service-discovery lab: outlier ejection (outlier-ejection.sh off: back), live.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/outlier-ejection.sh" on
