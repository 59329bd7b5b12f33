#!/usr/bin/env bash
# Installs everything Linli needs to build and test, idempotently.
# Fast when everything is already present; safe to run on every `make` call.
# Versions are pinned for reasons given in DEVELOPERS.md / README.md:
#   - cargo-leptos 0.3.10: 0.3.11 needs rustc 1.96; `no_downloads` so it never fetches binaries.
#   - wasm-bindgen-cli 0.2.130: must equal the wasm-bindgen version in Cargo.lock.
#   - wasm-opt from npm `binaryen` 132: Debian's binaryen 108 emits WASM that breaks hydration.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$HOME/.cargo/bin:$ROOT/.tools/node_modules/.bin:$PATH"

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# --- Rust: WASM target -------------------------------------------------------
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# --- cargo-leptos ------------------------------------------------------------
if ! cargo leptos --version 2>/dev/null | grep -q '0\.3\.10'; then
  log "installing cargo-leptos 0.3.10 (about 12 minutes cold)"
  cargo install cargo-leptos --version 0.3.10 --locked --features no_downloads
fi

# --- wasm-bindgen-cli (must equal Cargo.lock) -------------------------------
if ! wasm-bindgen --version 2>/dev/null | grep -q '0\.2\.130'; then
  log "installing wasm-bindgen-cli 0.2.130"
  # Not --locked: one of its locked dependencies is no longer in the registry.
  cargo install wasm-bindgen-cli --version 0.2.130 --force
fi

# --- wasm-opt (npm binaryen) and other local node tools ----------------------
if [ ! -x "$ROOT/.tools/node_modules/.bin/wasm-opt" ]; then
  log "installing wasm-opt from npm binaryen@132 into .tools/"
  mkdir -p "$ROOT/.tools"
  npm install --prefix "$ROOT/.tools" --no-audit --no-fund binaryen@132.0.0
fi

# --- Chromium for end-to-end tests (Debian's; never a downloaded browser) ----
if [ ! -x /usr/bin/chromium ]; then
  log "installing Debian's chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
if ! fc-list 2>/dev/null | grep -qi 'noto.*cjk'; then
  log "installing CJK fonts for screenshots"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq fonts-noto-cjk >/dev/null
fi

# --- end2end npm packages -----------------------------------------------------
if [ -f "$ROOT/end2end/package.json" ]; then
  if [ ! -d "$ROOT/end2end/node_modules/@playwright/test" ] \
     || [ "$ROOT/end2end/package-lock.json" -nt "$ROOT/end2end/node_modules/.package-lock.json" ]; then
    log "installing end2end npm packages"
    # The browser download is skipped: we drive Debian's /usr/bin/chromium.
    (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
fi

log "ready"
