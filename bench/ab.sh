#!/usr/bin/env bash
# Two builds side by side: both servers running at once (say the old binary on :3301 and the
# new on :3302, same database), each page measured on A and B in alternating order for ROUNDS
# rounds of SECS seconds (wrk -t2 -c50, brotli): req/s, the server's CPU a request and the
# CPU a request of all `postgres` processes (0 on SQLite), from /proc. On a shared VM speed
# drifts more than most changes move it; alternating rounds let the drift cancel.
#   bash bench/ab.sh PID_A http://127.0.0.1:3301 PID_B http://127.0.0.1:3302 4 15 /hall/c/1 /appeals/rates
#   BENCH_COOKIE=linli_session=… bash bench/ab.sh …  (logged-in pages)
# Needs wrk (bash bench/city.sh installs Debian's).
set -euo pipefail
PID_A=$1; BASE_A=$2; PID_B=$3; BASE_B=$4; ROUNDS=$5; SECS=$6; shift 6
tick=$(getconf CLK_TCK)
postgres_ticks() {
  local total=0 p
  for p in $(pgrep -x postgres || true); do
    total=$(( total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}
server_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
for page in "$@"; do
  for r in $(seq 1 "$ROUNDS"); do
    if (( r % 2 )); then order="A B"; else order="B A"; fi
    for who in $order; do
      if [ "$who" = A ]; then pid=$PID_A; base=$BASE_A; else pid=$PID_B; base=$BASE_B; fi
      s1=$(server_ticks "$pid"); p1=$(postgres_ticks)
      out=$(wrk -t2 -c50 -d"${SECS}s" -H "Accept-Encoding: br, gzip" -H "Accept-Language: zh-CN" ${BENCH_COOKIE:+-H "Cookie: $BENCH_COOKIE"} "$base$page")
      s2=$(server_ticks "$pid"); p2=$(postgres_ticks)
      n=$(echo "$out" | awk '/requests in/{print $1}')
      rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
      bad=$(echo "$out" | awk '/Non-2xx/{print $NF}')
      echo "$page round $r $who: $rps req/s, server $(( (s2 - s1) * 1000000 / tick / n )) µs, postgres $(( (p2 - p1) * 1000000 / tick / n )) µs a request${bad:+, $bad non-2xx}"
    done
  done
done
