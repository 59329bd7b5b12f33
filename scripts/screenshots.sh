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
(cd end2end && BASE_URL="http://$LINLI_ADDR" OUT="../target/screenshots" node screenshots.mjs "$@")
