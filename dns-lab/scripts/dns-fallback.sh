#!/usr/bin/env bash
# dns-fallback.sh — the DNS lab: switch (or show) the fallback DNS server in the edge's and the middle's resolvers, live.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: dns-lab/scripts/dns-fallback.sh <off|on|status>

  off  only the primary DNS server is asked (the default)
  on   when the primary answers SERVFAIL, refuses, or does not answer within the resolver timeout
       (chain.dns.timeout, 5 s), the fallback server (port 8054) is asked; NXDOMAIN is final

Admin APIs: $DNS_CALLERS_ADMIN (default "http://127.0.0.1:9080 http://127.0.0.1:9082").
USAGE
}

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
# shellcheck source=lib/admin.sh
source "$root/lib/admin.sh"
switch_defence dns-fallback.sh /admin/dns-fallback fallback \
  "${DNS_CALLERS_ADMIN:-http://127.0.0.1:9080 http://127.0.0.1:9082}" "off on" "$@"
