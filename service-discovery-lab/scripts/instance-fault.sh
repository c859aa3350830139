#!/usr/bin/env bash
# instance-fault.sh — the service-discovery lab: kill a bottom without deregistering it, or flap its
# health, through its admin API (each fault ends by its TTL).
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: service-discovery-lab/scripts/instance-fault.sh [--ttl D] [--period D] <kill N|flap N|clear|status>

  kill N     bottom-N dies without deregistering: its port refuses connections, it sends the
             registry no heartbeat, its health check fails; it comes back when the TTL ends
  flap N     bottom-N's health check alternates: --period down, --period up (default 10s)
  clear      end every bottom's faults
  status     every bottom's faults

options:
  --ttl D        the fault's lifetime (default 60s)
  --period D     flap: the half-period (default 10s)
Admin APIs: $BOTTOMS_ADMIN (default "http://127.0.0.1:9190 ... http://127.0.0.1:9194": bottom-1 to bottom-5).
USAGE
}

die_usage() {
  echo "instance-fault.sh: $1" >&2
  usage >&2
  exit 2
}

read -r -a bottoms <<< "${BOTTOMS_ADMIN:-http://127.0.0.1:9190 http://127.0.0.1:9191 http://127.0.0.1:9192 http://127.0.0.1:9193 http://127.0.0.1:9194}"
ttl="60s" period="10s" command="" number=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --ttl | --period)
      [[ $# -ge 2 ]] || die_usage "$1 needs a value"
      [[ "$2" =~ ^[0-9]+(ms|s|m)?$ ]] || die_usage "$1 must be a duration like 30s, got '$2'"
      if [[ "$1" == --ttl ]]; then ttl="$2"; else period="$2"; fi
      shift 2 ;;
    -*) die_usage "unknown option '$1'" ;;
    *)
      if [[ -z "$command" ]]; then command="$1"; elif [[ -z "$number" ]]; then number="$1"; else die_usage "too many arguments"; fi
      shift ;;
  esac
done

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
# shellcheck source=lib/admin.sh
source "$root/lib/admin.sh"
call() {
  admin_call instance-fault.sh "$@"
}

target() {
  [[ "$number" =~ ^[0-9]+$ && "$number" -ge 1 && "$number" -le ${#bottoms[@]} ]] \
    || die_usage "$command needs an instance number, 1 to ${#bottoms[@]}, got '$number'"
  echo "${bottoms[$((number - 1))]}"
}

case "$command" in
  kill)
    url="$(target)"
    call PUT "$url/admin/kill" "{\"ttl\":\"$ttl\"}" ;;
  flap)
    url="$(target)"
    call PUT "$url/admin/health-flap" "{\"period\":\"$period\",\"ttl\":\"$ttl\"}" ;;
  clear | status)
    [[ -z "$number" ]] || die_usage "$command takes no instance"
    status=0
    for bottom in "${bottoms[@]}"; do
      if [[ "$command" == clear ]]; then
        call DELETE "$bottom/admin/kill" >/dev/null || status=1
        call DELETE "$bottom/admin/health-flap" || status=1
      else
        call GET "$bottom/admin/kill" || status=1
      fi
    done
    exit "$status" ;;
  *) die_usage "a command is required: kill, flap, clear or status" ;;
esac
