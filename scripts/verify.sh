#!/usr/bin/env bash
# The slow checks of issue 9, against the release binary, on SQLite and PostgreSQL: the crash
# test (a write storm killed with SIGKILL, then every acknowledged write checked) and the soak
# (five minutes at 50 connections: no 5xx, no "database is locked", memory levelling off).
# Called by `make verify` and CI, after `make test` has built the release binary.
#   LINLI_SOAK_SECS=300
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
if [ ! -x "$TARGET_DIR/release/linli" ]; then
  cargo leptos build --release --precompress
fi
export LINLI_BIN="$TARGET_DIR/release/linli"
echo "[verify] crash safety and soak against $LINLI_BIN"
# One at a time: each drives the machine's two cores on its own.
cargo test -p linli --test integration -- --ignored --test-threads=1 --nocapture crash:: soak::
