#!/usr/bin/env bash
# Two builds side by side: both servers running at once (say the old binary on :3301 and the
# new on :3302, same database), each page measured by bench/cpu.sh on A and B in alternating
# order for ROUNDS rounds of SECS seconds. On a shared VM speed drifts more than most changes
# move it; alternating rounds let the drift cancel.
#   bash bench/ab.sh PID_A http://127.0.0.1:3301 PID_B http://127.0.0.1:3302 4 15 /hall/c/1 /appeals/rates
#   BENCH_COOKIE=linli_session=… bash bench/ab.sh …  (logged-in pages)
set -euo pipefail
PID_A=$1; BASE_A=$2; PID_B=$3; BASE_B=$4; ROUNDS=$5; export BENCH_SECS=$6; shift 6
here=$(dirname "$0")
for page in "$@"; do
  for r in $(seq 1 "$ROUNDS"); do
    if (( r % 2 )); then order="A B"; else order="B A"; fi
    for who in $order; do
      if [ "$who" = A ]; then pid=$PID_A; base=$BASE_A; else pid=$PID_B; base=$BASE_B; fi
      echo "round $r $who: $(bash "$here/cpu.sh" "$pid" "$base$page")"
    done
  done
done
