#!/usr/bin/env bash
# writes.sh — the split-brain lab by hand: send acknowledged writes to one store node, one after
# another, and keep the ids it acknowledged (or count which of them the store still holds).
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: split-brain-lab/scripts/writes.sh [--node N] [--count K] [--key KEY] [--out FILE] send
       split-brain-lab/scripts/writes.sh [--node N] check FILE

  --node N    store-N, 1 to 3 (default 1), or "leader": the node that says it leads now
  send        K writes (default 50) of unique values to KEY (default k1) on store-N,
              one after another; prints the outcomes; the acknowledged ids go to FILE (default
              acked-store-N.txt)
  check FILE  the ids of FILE that store-N's replica no longer holds: acknowledged writes lost
              (ask the leader: ./split-brain-lab/scripts/store-fault.sh status)
Store nodes: $STORES (default "http://127.0.0.1:8201 http://127.0.0.1:8202 http://127.0.0.1:8203"). Needs curl and jq.
USAGE
}

die_usage() {
  echo "writes.sh: $1" >&2
  usage >&2
  exit 2
}

read -r -a nodes <<< "${STORES:-http://127.0.0.1:8201 http://127.0.0.1:8202 http://127.0.0.1:8203}"
node=1 count=50 key=k1 out="" command="" file=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --node | --count | --key | --out)
      [[ $# -ge 2 ]] || die_usage "$1 needs a value"
      case "$1" in
        --node) [[ "$2" == leader || ( "$2" =~ ^[0-9]+$ && "$2" -ge 1 && "$2" -le ${#nodes[@]} ) ]] \
                  || die_usage "--node must be 1 to ${#nodes[@]} or leader, got '$2'"
                node="$2" ;;
        --count) [[ "$2" =~ ^[0-9]+$ && "$2" -ge 1 && "$2" -le 100000 ]] || die_usage "--count must be 1 to 100000, got '$2'"
                 count="$2" ;;
        --key) [[ "$2" =~ ^[A-Za-z0-9._:-]{1,100}$ ]] || die_usage "--key must be 1 to 100 of A-Z a-z 0-9 . _ : -, got '$2'"
               key="$2" ;;
        --out) out="$2" ;;
      esac
      shift 2 ;;
    -*) die_usage "unknown option '$1'" ;;
    *)
      if [[ -z "$command" ]]; then command="$1"
      elif [[ "$command" == check && -z "$file" ]]; then file="$1"
      else die_usage "too many arguments"; fi
      shift ;;
  esac
done
command -v jq >/dev/null || { echo "writes.sh: needs jq" >&2; exit 1; }
if [[ "$node" == leader ]]; then
  for i in "${!nodes[@]}"; do
    if curl -sS --max-time 2 "${nodes[$i]}/store/status" 2>/dev/null | grep -q '"leader":true'; then
      node=$((i + 1))
      break
    fi
  done
  [[ "$node" != leader ]] || { echo "writes.sh: no node leads now" >&2; exit 1; }
  echo "store-$node leads"
fi
url="${nodes[$((node - 1))]}"

case "$command" in
  send)
    out="${out:-acked-store-$node.txt}"
    : > "$out"
    run="$(date +%s%N)"
    declare -A outcomes=()
    for ((i = 1; i <= count; i++)); do
      id="w$run-$i"
      if answer="$(curl -sS --max-time 10 -H 'Content-Type: application/json' \
        --data "{\"id\":\"$id\",\"key\":\"$key\",\"value\":$i}" "$url/store/writes" 2>/dev/null)"; then
        outcome="$(jq -r '.outcome // "error"' <<< "$answer" 2>/dev/null || echo error)"
      else
        outcome="no_answer"
      fi
      outcomes[$outcome]=$(( ${outcomes[$outcome]:-0} + 1 ))
      [[ "$outcome" != acked ]] || echo "$id" >> "$out"
    done
    for outcome in "${!outcomes[@]}"; do
      echo "$outcome: ${outcomes[$outcome]}"
    done
    echo "acknowledged ids in $out" ;;
  check)
    [[ -n "$file" && -r "$file" ]] || die_usage "check needs a readable file of ids, got '$file'"
    held="$(curl -sS --fail-with-body --max-time 10 "$url/store/entries" | jq -r '.[].id')"
    total=0 lost=0
    while read -r id; do
      [[ -n "$id" ]] || continue
      total=$((total + 1))
      grep -qxF "$id" <<< "$held" || lost=$((lost + 1))
    done < "$file"
    echo "store-$node holds $((total - lost)) of the $total acknowledged writes in $file: $lost lost" ;;
  *) die_usage "a command is required: send or check" ;;
esac
