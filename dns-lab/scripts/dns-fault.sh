#!/usr/bin/env bash
# dns-fault.sh — the DNS lab: inject (or clear, or list) a fault on the lab's DNS servers, through
# the fault injector's control API. Works against ./lab up --lab dns and docker compose --profile dns.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: dns-lab/scripts/dns-fault.sh [options] <servfail|nxdomain|drop|slow|wrong-address|ttl0|clear|status>

faults (each with a TTL; the injector removes it when the TTL runs out):
  servfail        answer SERVFAIL (the 2021 Facebook outage, as recursive resolvers saw it)
  nxdomain        answer NXDOMAIN: the name does not exist
  drop            answer nothing: each lookup waits out the resolver timeout (Dyn, 2016)
  slow            answer correctly, --delay late (default 2s)
  wrong-address   answer --address (default 127.0.0.2: nothing listens there)
  ttl0            answer correctly with TTL 0
  clear           remove every DNS fault
  status          the servers, the zone's records, the active faults

options:
  --server S      primary (default), fallback or all
  --name N        one name of the zone: middle or bottom (default: every name)
  --delay D       slow: the delay, e.g. 2s
  --address IP    wrong-address: the address to answer
  --ttl D         the fault's lifetime, e.g. 60s, 5m (default: the injector's, 60s)
  --url URL       control API (default: $FAULT_INJECTOR_URL or http://127.0.0.1:8474)
  -h, --help      this help

examples:
  dns-lab/scripts/dns-fault.sh --server all --ttl 60s servfail
  dns-lab/scripts/dns-fault.sh --delay 2s slow      dns-lab/scripts/dns-fault.sh clear
USAGE
}

die_usage() {
  echo "dns-fault.sh: $1" >&2
  usage >&2
  exit 2
}

url="${FAULT_INJECTOR_URL:-http://127.0.0.1:8474}"
server="" name="" delay="" address="" ttl="" command=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --server | --name | --delay | --address | --ttl | --url)
      [[ $# -ge 2 ]] || die_usage "$1 needs a value"
      case "$1" in
        --server) server="$2" ;;
        --name) name="$2" ;;
        --delay) delay="$2" ;;
        --address) address="$2" ;;
        --ttl) ttl="$2" ;;
        --url) url="$2" ;;
      esac
      shift 2 ;;
    -*) die_usage "unknown option '$1'" ;;
    *)
      [[ -z "$command" ]] || die_usage "one command at a time"
      command="$1"
      shift ;;
  esac
done
[[ -n "$command" ]] || die_usage "a command is required"

# The project's one duration notation, in milliseconds ("300ms", "2s", "1.5s", "2m"; a bare number is seconds).
millis() {
  if [[ "$1" =~ ^([0-9]+(\.[0-9]+)?)(ms|s|m)?$ ]]; then
    awk -v n="${BASH_REMATCH[1]}" -v u="${BASH_REMATCH[3]}" \
      'BEGIN { f = (u == "ms") ? 1 : (u == "m") ? 60000 : 1000; printf "%d", n * f }'
  else
    die_usage "$2 must be a duration like 2s or 300ms, got '$1'"
  fi
}

call() {
  local answer
  if ! answer="$(curl -sS --fail-with-body "$@" 2>&1)"; then
    echo "dns-fault.sh: FAILED: $answer" >&2
    exit 1
  fi
  echo "$answer"
}

case "$command" in
  status) call "$url/dns" ;;
  clear) call -X DELETE "$url/dns/faults" ;;
  servfail | nxdomain | drop | slow | wrong-address | ttl0)
    body="{\"type\":\"$command\""
    [[ -z "$server" ]] || body+=",\"server\":\"$server\""
    [[ -z "$name" ]] || body+=",\"name\":\"$name\""
    [[ -z "$delay" ]] || body+=",\"delayMs\":$(millis "$delay" --delay)"
    [[ -z "$address" ]] || body+=",\"address\":\"$address\""
    [[ -z "$ttl" ]] || body+=",\"ttl\":\"$(millis "$ttl" --ttl)ms\""
    body+="}"
    call -X POST -H 'Content-Type: application/json' --data "$body" "$url/dns/faults" ;;
  *) die_usage "unknown command '$command'" ;;
esac
