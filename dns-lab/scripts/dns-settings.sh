#!/usr/bin/env bash
# dns-settings.sh — the DNS lab: change (or show) the edge's and the middle's DNS caching and
# connection lifetime, live (PUT /admin/settings on both).
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: dns-lab/scripts/dns-settings.sh <status | KEY=VALUE...>

keys (durations: 300ms, 5s, 2m; a bare number is seconds):
  cache-ttl          how long an answer is kept (0s: the record's own TTL)
  negative-ttl       how long a failed lookup is remembered (the JDK's default: 10s)
  timeout            the resolver timeout, per server asked
  stale-ttl          serve-stale: how long past its expiry an answer may still be served
  stale-answer-timer serve-stale on: the client response timer (RFC 8767: 1.8s)
  stale-recheck      serve-stale: after a failed refresh, the wait before asking again
  max-lifetime       a pooled connection's longest life (0s: no limit)

examples:
  dns-lab/scripts/dns-settings.sh cache-ttl=30s negative-ttl=2s
  dns-lab/scripts/dns-settings.sh max-lifetime=0s      dns-lab/scripts/dns-settings.sh status
Admin APIs: $DNS_CALLERS_ADMIN (default "http://127.0.0.1:9080 http://127.0.0.1:9082").
USAGE
}

die_usage() {
  echo "dns-settings.sh: $1" >&2
  usage >&2
  exit 2
}

[[ $# -ge 1 ]] || die_usage "status or at least one KEY=VALUE is required"
case "$1" in
  -h | --help) usage; exit 0 ;;
esac
read -r -a targets <<< "${DNS_CALLERS_ADMIN:-http://127.0.0.1:9080 http://127.0.0.1:9082}"
if [[ "$1" == status ]]; then
  [[ $# -eq 1 ]] || die_usage "status takes no KEY=VALUE"
  for url in "${targets[@]}"; do
    echo "$url: $(curl -sS --fail-with-body "$url/admin/settings")"
  done
  exit 0
fi
body=""
for pair in "$@"; do
  [[ "$pair" =~ ^([a-z-]+)=([0-9.]+(ms|s|m|h)?)$ ]] || die_usage "expected KEY=DURATION, got '$pair'"
  key="${BASH_REMATCH[1]}" value="${BASH_REMATCH[2]}"
  case "$key" in
    cache-ttl | negative-ttl | timeout | stale-ttl | stale-answer-timer | stale-recheck) property="chain.dns.$key" ;;
    max-lifetime) property="chain.client.connection-max-lifetime" ;;
    *) die_usage "unknown key '$key'" ;;
  esac
  body+="${body:+,}\"$property\":\"$value\""
done
status=0
for url in "${targets[@]}"; do
  if ! answer="$(curl -sS --fail-with-body -X PUT -H 'Content-Type: application/json' --data "{$body}" \
    "$url/admin/settings" 2>&1)"; then
    echo "$url: FAILED: $answer" >&2
    status=1
  else
    echo "$url: $answer"
  fi
done
exit "$status"
