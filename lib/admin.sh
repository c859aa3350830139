#!/usr/bin/env bash
# lib/admin.sh — sourced by retry-policy.sh and cache-strategy.sh: one admin call per service.

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
