#!/usr/bin/env bash
# lib/admin.sh — sourced by every defence script (retry-policy.sh, cache-strategy.sh, a lab's
# apply-*.sh): one admin call per service, and the one body of a defence script.

# admin_each PATH FIELD VALUE URL... — PUT {"FIELD":"VALUE"} to URL/PATH on every URL, or GET it
# when VALUE is "status"; prints each answer, and returns 1 if any service refused or was down.
admin_each() {
  local path="$1" field="$2" value="$3"
  shift 3
  local status=0 url answer
  local -a args
  for url in "$@"; do
    if [[ "$value" == status ]]; then
      args=(-sS "$url$path")
    else
      args=(-sS -X PUT -H 'Content-Type: application/json' --data "{\"$field\":\"$value\"}" "$url$path")
    fi
    if ! answer="$(curl --fail-with-body "${args[@]}" 2>&1)"; then
      echo "$url: FAILED: $answer" >&2
      status=1
    else
      echo "$url: $answer"
    fi
  done
  return "$status"
}

# switch_defence NAME PATH FIELD URLS OPTIONS ARGS... — the body of a defence's script: ARGS must
# be one option of the space-separated OPTIONS, or status (-h/--help prints the caller's usage);
# then admin_each on every one of the space-separated URLS. Exits 2 on bad arguments.
switch_defence() {
  local name="$1" path="$2" field="$3" urls="$4" options="$5"
  shift 5
  local -a targets
  if [[ $# -ne 1 ]]; then
    usage >&2
    exit 2
  fi
  case "$1" in
    -h | --help) usage; exit 0 ;;
  esac
  if [[ " $options status " != *" $1 "* ]]; then
    echo "$name: unknown $field '$1'" >&2
    usage >&2
    exit 2
  fi
  read -r -a targets <<< "$urls"
  admin_each "$path" "$field" "$1" "${targets[@]}"
}

# admin_call NAME METHOD URL [JSON] — one admin call (a lab's fault script): prints "URL: answer",
# or "NAME: FAILED: answer" on stderr and returns 1 if the service refused or was down.
admin_call() {
  local name="$1" method="$2" url="$3" body="${4:-}" answer
  local -a args=(-sS --fail-with-body -X "$method" -H 'Content-Type: application/json')
  [[ -z "$body" ]] || args+=(--data "$body")
  if ! answer="$(curl "${args[@]}" "$url" 2>&1)"; then
    echo "$name: FAILED: $answer" >&2
    return 1
  fi
  echo "$url: $answer"
}
