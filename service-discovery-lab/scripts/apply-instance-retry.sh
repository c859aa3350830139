#!/usr/bin/env bash
# apply-instance-retry.sh — the service-discovery lab: retry on another instance (instance-retry.sh off: back), live.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/instance-retry.sh" on
