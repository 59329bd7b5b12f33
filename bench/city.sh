#!/usr/bin/env bash
# The city-scale benchmark (issue 8): builds the release binary with the `bench` feature (the
# ceiling route), loads `linli seed-scale --preset city` into SQLite and PostgreSQL (once; later
# runs reuse it), starts the server and measures it with wrk at 50 connections: read pages
# beside their ceilings, a vote storm, a sign-up storm, peak memory, with PostgreSQL also behind
# two instances. Writes bench/RESULTS.md. Not part of `make test` (about half an hour cold).
#   LINLI_BENCH_CONFIGS=sqlite,postgres,postgres2  LINLI_BENCH_PRESET=city  LINLI_BENCH_SECONDS=10
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
bash scripts/setup.sh
if ! command -v wrk >/dev/null; then
  echo "[bench] installing Debian's wrk"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
fi
TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
# The release bundle and a server binary with the ceiling route.
cargo leptos build --release --precompress --bin-features bench
# Kept aside (with the bundle's hash file the server reads beside itself): `cargo bench` builds
# the binary again into the same place, without the ceiling route.
mkdir -p "$TARGET_DIR/bench-bin"
cp "$TARGET_DIR/release/linli" "$TARGET_DIR/release/hash.txt" "$TARGET_DIR/bench-bin/"
export LINLI_BIN="$TARGET_DIR/bench-bin/linli"
# The harness links the same crates. cargo-leptos compiled them with these variables set, and
# `leptos`, `leptos_config` and our config read them at compile time (`option_env!`), so
# without the same values (and the same features) `cargo bench` would rebuild leptos → app →
# linli, and the next `cargo leptos build` all of it again: ten minutes each, every run.
# The values are those cargo-leptos derives from [workspace.metadata.leptos] in Cargo.toml.
LEPTOS_OUTPUT_NAME=linli LEPTOS_HASH_FILES=true \
  cargo bench -p linli --features bench --bench city
