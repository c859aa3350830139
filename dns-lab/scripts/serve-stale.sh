#!/usr/bin/env bash
# serve-stale.sh — the DNS lab: switch (or show) serve-stale in the edge's and the middle's resolvers, live.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: dns-lab/scripts/serve-stale.sh <mode|status>

  off      an expired answer is gone: a failed lookup fails the new connection (the default)
  on       RFC 8767: a lookup of an expired name refreshes it, and answers with the expired
           record if no fresh one came within the client response timer
           (chain.dns.stale-answer-timer, 1.8 s)
  refresh  the expired record is served at once and refreshed in the background

A failed refresh is retried after chain.dns.stale-recheck (RFC 8767's 30 s); stale answers are
served up to chain.dns.stale-ttl (1 day) past their expiry.
Admin APIs: $DNS_CALLERS_ADMIN (default "http://127.0.0.1:9080 http://127.0.0.1:9082": the edge's
and the middle's management ports).
USAGE
}

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
# shellcheck source=lib/admin.sh
source "$root/lib/admin.sh"
switch_defence serve-stale.sh /admin/serve-stale mode \
  "${DNS_CALLERS_ADMIN:-http://127.0.0.1:9080 http://127.0.0.1:9082}" "off on refresh" "$@"
