#!/usr/bin/env bash
# The hall benchmark (issue 4): 10,000 proposals, 200,000 votes and a proposal with 2,000
# comments in one community; request latency p50/p99 of the list's first and 100th page, a
# search, and that proposal's page, on SQLite and PostgreSQL. Not part of `make test`.
#   LINLI_BENCH_ENGINES=sqlite|postgres|sqlite,postgres   LINLI_BENCH_REQUESTS=300
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
cargo bench -p linli --bench hall
