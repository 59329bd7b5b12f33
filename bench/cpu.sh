#!/usr/bin/env bash
# One page under wrk (-t2 -c50, BENCH_SECS seconds (8), brotli unless BENCH_ENCODING says)
# against a running server PID: req/s, the server's user and system CPU per request (from
# /proc), its context switches per request and the CPU per request of all `postgres`
# processes (0 on SQLite). Compare settings by alternating runs (bench/ab.sh does it for two
# builds): on a shared VM the speed drifts more than most changes move it.
#   bash bench/cpu.sh PID http://127.0.0.1:3300/hall/c/1
#   BENCH_COOKIE=linli_session=… bash bench/cpu.sh PID http://127.0.0.1:3300/appeals/queue  (logged in)
#   BENCH_ENCODING=identity bash bench/cpu.sh …  (uncompressed: what is left is rendering)
# Needs wrk (bash bench/city.sh installs Debian's).
PID=$1; URL=$2
tick=$(getconf CLK_TCK)
postgres_ticks() {
  local total=0 p
  for p in $(pgrep -x postgres); do
    total=$(( total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}
read u1 s1 < <(awk '{print $14, $15}' /proc/$PID/stat)
cs1=$(cat /proc/$PID/task/*/status | awk '/ctxt_switches/{s+=$2} END{print s}')
p1=$(postgres_ticks)
out=$(wrk -t2 -c50 -d"${BENCH_SECS:-8}s" -H "Accept-Encoding: ${BENCH_ENCODING:-br, gzip}" -H "Accept-Language: zh-CN" ${BENCH_COOKIE:+-H "Cookie: $BENCH_COOKIE"} "$URL")
read u2 s2 < <(awk '{print $14, $15}' /proc/$PID/stat)
cs2=$(cat /proc/$PID/task/*/status | awk '/ctxt_switches/{s+=$2} END{print s}')
p2=$(postgres_ticks)
n=$(echo "$out" | awk '/requests in/{print $1}')
rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
bad=$(echo "$out" | awk '/Non-2xx/{print " non2xx=" $NF}')
echo "$URL rps=$rps user_us=$(( (u2-u1)*1000000/tick/n )) sys_us=$(( (s2-s1)*1000000/tick/n )) cs=$(( (cs2-cs1)/n )) postgres_us=$(( (p2-p1)*1000000/tick/n ))$bad"
