#!/usr/bin/env bash
# reaper.sh OWNER_PID RUN_DIR — the watchdog of one lab JVM (RunRecord starts it). It waits while
# the owner lives; when the owner is gone without having removed RUN_DIR (a crash, kill -9, an
# out-of-memory kill), it ends every process recorded in RUN_DIR/servers/*.txt (SIGINT: a fast
# shutdown for PostgreSQL and Redis; SIGKILL to them and their children 2 s later), removes every
# folder recorded there and RUN_DIR, and prints one line saying what it did. Run with a dead owner,
# it cleans at once (the next start's clean-up uses it so).
set -u
trap '' INT HUP
owner="$1"
run="$2"
while kill -0 "$owner" 2> /dev/null && [[ -d "$run" ]]; do
  sleep 0.2
done
[[ -d "$run" ]] || exit 0
pids=()
dirs=()
names=()
for record in "$run"/servers/*.txt; do
  [[ -f "$record" ]] || continue
  names+=("$(basename "$record" .txt)")
  while read -r kind value; do
    case "$kind" in
      pid) pids+=("$value") ;;
      pidfile) if [[ -f "$value" ]]; then pids+=("$(head -n 1 "$value")"); fi ;;
      dir) dirs+=("$value") ;;
    esac
  done < "$record"
done
for pid in "${pids[@]}"; do
  kill -INT "$pid" 2> /dev/null
done
for _ in $(seq 1 20); do
  alive=0
  for pid in "${pids[@]}"; do
    if kill -0 "$pid" 2> /dev/null; then alive=1; fi
  done
  [[ $alive -eq 1 ]] || break
  sleep 0.1
done
for pid in "${pids[@]}"; do
  if command -v pkill > /dev/null 2>&1; then
    pkill -KILL -P "$pid" 2> /dev/null
  else
    for child in $(cat /proc/"$pid"/task/*/children 2> /dev/null); do kill -KILL "$child" 2> /dev/null; done
  fi
  kill -KILL "$pid" 2> /dev/null
done
for dir in "${dirs[@]}"; do
  rm -rf -- "$dir"
done
rm -rf -- "$run"
echo "stopped ${names[*]:-nothing} (pids ${pids[*]:-none}) left by pid $owner; removed ${#dirs[@]} folder(s)"
