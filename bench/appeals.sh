#!/usr/bin/env bash
# The appeals benchmark (issue 5): ten years of appeals (about 127,000) across the demo
# district; request latency p50/p99 of the district's rates page, a community's work queue,
# its public list and an Open311 page, on SQLite and PostgreSQL. Not part of `make test`.
#   LINLI_BENCH_ENGINES=sqlite|postgres|sqlite,postgres   LINLI_BENCH_APPEALS=127000   LINLI_BENCH_REQUESTS=300
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
cargo bench -p linli --bench appeals
