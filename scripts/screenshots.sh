#!/usr/bin/env bash
# Serves the release build on a throwaway SQLite database with the demo data and takes
# screenshots of the main pages into target/screenshots (see end2end/screenshots.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/linli"
DIR=$(mktemp -d)
PORT=${PORT:-3199}
export DATABASE_URL="sqlite://$DIR/shots.db" LINLI_ADDR="127.0.0.1:$PORT"
"$BIN" seed-demo
"$BIN" serve & PID=$!
trap 'kill $PID; rm -rf "$DIR"' EXIT
for _ in $(seq 1 50); do curl -sf "http://$LINLI_ADDR/healthz" >/dev/null && break; sleep 0.2; done
# A binary not built by cargo-leptos (`cargo bench` writes one to the same place) links a
# stylesheet the bundle does not have: the shots would come out unstyled, so stop here.
CSS=$(curl -sf "http://$LINLI_ADDR/" | grep -o 'href="/pkg/[^"]*\.css"' | head -n1 | cut -d'"' -f2)
if [ -z "$CSS" ] || ! curl -sf -o /dev/null "http://$LINLI_ADDR$CSS"; then
  echo "[screenshots] $BIN serves no stylesheet (${CSS:-none linked}); build it with make build" >&2
  exit 1
fi
(cd end2end && BASE_URL="http://$LINLI_ADDR" OUT="../target/screenshots" node screenshots.mjs "$@")
