#!/usr/bin/env bash
# apply-fallback.sh — the DNS lab: a 1 s resolver timeout and the fallback DNS server, live
# (dns-fallback.sh off and dns-settings.sh timeout=5s: back).
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
"$here/dns-settings.sh" timeout=1s
exec "$here/dns-fallback.sh" on
