#!/usr/bin/env bash
# Runs every test: unit and integration tests (each against SQLite and PostgreSQL), then the
# release build and the end-to-end tests in Debian's Chromium. Called by `make test` and CI.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

# PostgreSQL: the project's machines run it on 127.0.0.1:5432; start it if installed but stopped.
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    echo "[test] starting the local PostgreSQL server"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
fi
pg_isready -h 127.0.0.1 -p 5432 || { echo "[test] PostgreSQL is not reachable on 127.0.0.1:5432" >&2; exit 1; }

echo "[test] unit and integration tests (SQLite and PostgreSQL)"
cargo test -p app --features ssr
cargo test -p linli

echo "[test] release build"
cargo leptos build --release --precompress

echo "[test] end-to-end tests in Chromium"
cd end2end
LINLI_BIN="$TARGET_DIR/release/linli" npx playwright test
