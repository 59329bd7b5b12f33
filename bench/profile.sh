#!/usr/bin/env bash
# Where a running server's CPU goes while wrk loads one page (-t2 -c50, brotli unless
# BENCH_ENCODING says): `perf record` samples the server at 1,999 Hz on the `cpu-clock`
# software event (these VMs have no hardware counters), then prints the share of each binary
# or library, kernel included, and the top functions by their own time. Unlike callgrind it
# counts time, so cache misses, allocation and the kernel's part show.
#   bash bench/profile.sh PID http://127.0.0.1:3300/hall/p/2668
#   BENCH_COOKIE=linli_session=… bash bench/profile.sh PID http://127.0.0.1:3300/appeals/queue
# Needs wrk (bash bench/city.sh installs Debian's) and perf (Debian's linux-perf).
# No pipefail: `head` ends the report pipelines early on purpose.
set -eu
for tool in wrk perf; do
  command -v "$tool" >/dev/null || { echo "bench/profile.sh needs $tool (see its header)" >&2; exit 1; }
done
PID=$1; URL=$2; SECS=${BENCH_SECS:-8}; TOP=${BENCH_TOP:-40}
data=$(mktemp /tmp/linli-profile.XXXXXX)
trap 'rm -f "$data" "$data.old"' EXIT
wrk -t2 -c50 -d"$((SECS + 2))s" -H "Accept-Encoding: ${BENCH_ENCODING:-br, gzip}" -H "Accept-Language: zh-CN" \
  ${BENCH_COOKIE:+-H "Cookie: $BENCH_COOKIE"} "$URL" >/dev/null &
load=$!
sleep 1
perf record -q -e cpu-clock -F 1999 -p "$PID" -o "$data" -- sleep "$SECS"
wait "$load"
echo "== $URL: share of samples by binary or library"
perf report -i "$data" --stdio --no-children --sort dso 2>/dev/null | grep -v '^#' | grep -v '^$' | head -8
echo "== top $TOP functions by their own time"
perf report -i "$data" --stdio --no-children --sort sym 2>/dev/null | grep -v '^#' | grep -v '^$' | head -"$TOP"
