#!/usr/bin/env bash
# Quick spot figures beside the full bench: each read page, then its ceiling, with wrk
# (-t2 -c50 -d8s, brotli/gzip), rendering every request. Needs a `bench` build (the ceiling
# route) and the city databases `bash bench/city.sh` loads.
#   bash bench/spot.sh BIN DATABASE_URL [PORT]
#   e.g. bash bench/spot.sh $CARGO_TARGET_DIR/bench-bin/linli sqlite://$PWD/target/bench/city.db
set -euo pipefail
B=$1; URL=$2; PORT=${3:-3300}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATABASE_URL=$URL LINLI_PAGE_CACHE_MS=0 LINLI_ADDR=127.0.0.1:$PORT RUST_LOG=error \
  LEPTOS_SITE_ROOT="$ROOT/target/site" LINLI_RATE_LIMITS=relaxed "$B" serve >/dev/null 2>&1 &
PID=$!
trap 'kill $PID' EXIT
sleep 4
HOT_SQL="SELECT id FROM proposal ORDER BY comment_count DESC, id LIMIT 1"
case "$URL" in
  sqlite://*) HOT=$(sqlite3 "${URL#sqlite://}" "$HOT_SQL") ;;
  *) HOT=$(psql "$URL" -Atc "$HOT_SQL") ;;
esac
echo "| page | req/s | p99 | ceiling req/s |"
for p in "/" "/hall/c/1" "/hall/p/$HOT" "/appeals/rates" "/menu?community=1" "/open311/v2/requests.json"; do
  curl -s -o /dev/null "http://127.0.0.1:$PORT$p"
  read -r p99 rps < <(wrk -t2 -c50 -d8s --latency -H "Accept-Encoding: br, gzip" -H "Accept-Language: zh-CN" \
    "http://127.0.0.1:$PORT$p" | awk '/ 99%/{l=$2} /Requests\/sec/{r=$2} END{print l, r}')
  enc=$(python3 -c "import urllib.parse,sys;print(urllib.parse.quote(sys.argv[1],safe=''))" "$p")
  ceiling=$(wrk -t2 -c50 -d8s -H "Accept-Encoding: br, gzip" -H "Accept-Language: zh-CN" \
    "http://127.0.0.1:$PORT/__ceiling?path=$enc" | awk '/Requests\/sec/{print $2}')
  echo "| $p | $rps | $p99 | $ceiling |"
done
