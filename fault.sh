#!/usr/bin/env bash
# fault.sh — inject and clear faults through the fault injector's control API (port 8474).
# Works unchanged against ./lab up and docker compose: both publish the control API there.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: ./fault.sh [options] <command> [value]

commands:
  inject <P%>          errors on P% of requests (default proxy: bottom); the upstream still does
                       the work, then the proxy answers 503 ("forwarded" mode)
  latency DURATION     add DURATION (e.g. 300ms) to every request (with --jitter, --probability)
  reset [P%]           close connections with a TCP reset (default 100%)
  blackhole [P%]       hold requests unanswered until the client gives up (--hold bounds it)
  bandwidth <N>        limit response bodies to N bytes per second
  clear                remove every fault (with --proxy: only that proxy's)
  status               list proxies and their active faults with remaining TTL

options:
  --proxy NAME         proxy to act on: bottom (default) or middle
  --ttl DURATION       fault lifetime, e.g. 30s, 5m (default: the injector's, 60s)
  --status CODE        inject: HTTP status to answer (default 503)
  --mode MODE          inject: forwarded (default) or proxy (answered without forwarding)
  --jitter DURATION    latency: +/- jitter, e.g. 50ms
  --probability P%     latency/bandwidth: share of requests affected (default 100%)
  --hold DURATION      blackhole: close the connection after this long (default 60s)
  --path PREFIX        only requests whose path starts with PREFIX, e.g. /eureka/apps/BOTTOM/bottom-1
  --method METHOD      only requests of this method, e.g. PUT
  --url URL            control API (default: $FAULT_INJECTOR_URL or http://127.0.0.1:8474)
  -h, --help           this help

examples:
  ./fault.sh inject 50%            ./fault.sh latency 300ms --jitter 50ms
  ./fault.sh --proxy middle reset  ./fault.sh clear     ./fault.sh status
USAGE
}

die_usage() {
  echo "fault.sh: $1" >&2
  usage >&2
  exit 2
}

# "50%" -> 0.5, "0.25" -> 0.25; anything else is a usage error.
fraction() {
  local value="$1" what="$2"
  if [[ "$value" =~ ^([0-9]+(\.[0-9]+)?)%$ ]]; then
    awk -v p="${BASH_REMATCH[1]}" 'BEGIN { if (p > 100) exit 1; printf "%.6g", p / 100 }' \
      || die_usage "$what must be between 0% and 100%, got '$value'"
  elif [[ "$value" =~ ^(0(\.[0-9]+)?|1(\.0+)?)$ ]]; then
    printf '%s' "$value"
  else
    die_usage "$what must be a percentage like 50% (or a fraction 0..1), got '$value'"
  fi
}

# The project's one duration notation, in milliseconds: "300ms" -> 300, "2s" -> 2000,
# "1.5s" -> 1500, "2m" -> 120000; a bare number is seconds, as everywhere else ("2" -> 2000).
millis() {
  local value="$1" what="$2"
  if [[ "$value" =~ ^([0-9]+(\.[0-9]+)?)(ms|s|m)?$ ]]; then
    awk -v n="${BASH_REMATCH[1]}" -v unit="${BASH_REMATCH[3]}" \
      'BEGIN { f = unit == "ms" ? 1 : unit == "m" ? 60000 : 1000; printf "%d", n * f + 0.5 }'
  else
    die_usage "$what must be a duration like 300ms, 2s or 1m (a bare number is seconds), got '$value'"
  fi
}

url="${FAULT_INJECTOR_URL:-http://127.0.0.1:8474}"
proxy="bottom"
proxy_given=false
ttl=""
status=""
mode=""
jitter=""
probability=""
hold=""
path=""
method=""
positional=()

while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --proxy | --ttl | --status | --mode | --jitter | --probability | --hold | --path | --method | --url)
      [[ $# -ge 2 ]] || die_usage "$1 needs a value"
      case "$1" in
        --proxy) proxy="$2"; proxy_given=true ;;
        --ttl) ttl="$2" ;;
        --status) status="$2" ;;
        --mode) mode="$2" ;;
        --jitter) jitter="$(millis "$2" --jitter)" ;;
        --probability) probability="$(fraction "$2" --probability)" ;;
        --hold) hold="$(millis "$2" --hold)" ;;
        --path) path="$2" ;;
        --method) method="$2" ;;
        --url) url="$2" ;;
      esac
      shift 2 ;;
    -*) die_usage "unknown option '$1'" ;;
    *) positional+=("$1"); shift ;;
  esac
done

[[ ${#positional[@]} -ge 1 ]] || die_usage "a command is required"
command="${positional[0]}"
value="${positional[1]:-}"
[[ ${#positional[@]} -le 2 ]] || die_usage "too many arguments: ${positional[*]}"
[[ "$proxy" =~ ^[a-z0-9-]+$ ]] || die_usage "--proxy must be a proxy name like bottom or middle"
[[ -z "$status" || "$status" =~ ^[0-9]{3}$ ]] || die_usage "--status must be an HTTP status like 503"
[[ -z "$ttl" || "$ttl" =~ ^[0-9]+(\.[0-9]+)?(ms|s|m|h)?$ ]] || die_usage "--ttl must be a duration like 30s or 5m"
[[ -z "$path" || "$path" =~ ^/[A-Za-z0-9/._~-]*$ ]] || die_usage "--path must be a path prefix starting with /"
[[ -z "$method" || "$method" =~ ^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$ ]] || die_usage "--method must be GET, PUT, POST, DELETE, ..."

# Calls the control API; prints the answer; on an error answer prints its message and exits 1.
call() {
  local method="$1" path="$2" body="${3:-}" out code
  out="$(mktemp)"
  local args=(-sS -o "$out" -w '%{http_code}' -X "$method" -H 'Content-Type: application/json')
  [[ -n "$body" ]] && args+=(--data "$body")
  if ! code="$(curl "${args[@]}" "$url$path" 2>/dev/null)"; then
    rm -f "$out"
    echo "fault.sh: cannot reach the fault injector at $url (is ./lab up or docker compose up running?)" >&2
    exit 1
  fi
  if [[ "$code" -ge 400 ]]; then
    echo "fault.sh: the fault injector refused ($code): $(cat "$out")" >&2
    rm -f "$out"
    exit 1
  fi
  if command -v jq >/dev/null 2>&1; then jq . "$out"; else cat "$out"; echo; fi
  rm -f "$out"
}

# Builds the JSON body of a fault from "key":value pairs, skipping empty values.
fault_body() {
  local json="" pair
  for pair in "$@"; do
    [[ "$pair" == *= ]] && continue
    json+="${json:+,}\"${pair%%=*}\":${pair#*=}"
  done
  [[ -n "$ttl" ]] && json+=",\"ttl\":\"$ttl\""
  [[ -n "$path" ]] && json+=",\"path\":\"$path\""
  [[ -n "$method" ]] && json+=",\"method\":\"$method\""
  printf '{%s}' "$json"
}

inject_fault() {
  call POST "/proxies/$proxy/faults" "$(fault_body "$@")"
}

# Values are converted before any call, so a bad one never installs a half-specified fault.
share=""
case "$command" in
  inject)
    [[ -n "$value" ]] || die_usage "inject needs a percentage, e.g. inject 50%"
    [[ -z "$mode" || "$mode" == forwarded || "$mode" == proxy ]] || die_usage "--mode must be forwarded or proxy"
    share="$(fraction "$value" inject)"
    inject_fault 'type="error"' "probability=$share" "status=$status" "mode=${mode:+\"$mode\"}" ;;
  latency)
    [[ -n "$value" ]] || die_usage "latency needs a duration, e.g. latency 300ms"
    delay="$(millis "$value" latency)"
    inject_fault 'type="latency"' "latencyMs=$delay" "jitterMs=$jitter" "probability=$probability" ;;
  reset | blackhole)
    [[ -z "$value" ]] || share="$(fraction "$value" "$command")"
    if [[ "$command" == reset ]]; then
      inject_fault 'type="reset"' "probability=$share"
    else
      inject_fault 'type="blackhole"' "probability=$share" "holdMs=$hold"
    fi ;;
  bandwidth)
    [[ "$value" =~ ^[0-9]+$ ]] || die_usage "bandwidth needs bytes per second, e.g. bandwidth 1024"
    inject_fault 'type="bandwidth"' "bytesPerSecond=$value" "probability=$probability" ;;
  clear)
    [[ -z "$value" ]] || die_usage "clear takes no value"
    if [[ "$proxy_given" == true ]]; then call DELETE "/proxies/$proxy/faults"; else call POST /reset; fi ;;
  status)
    [[ -z "$value" ]] || die_usage "status takes no value"
    call GET /proxies ;;
  *) die_usage "unknown command '$command'" ;;
esac
