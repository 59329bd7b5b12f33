# Linli — the two commands of the quick start are `make run` and `make test`.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/.tools/node_modules/.bin:$(PATH)
TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
LINLI := $(TARGET_DIR)/release/linli

.PHONY: setup build run test verify screenshots wasm-size

## Install the toolchain pieces (idempotent, fast when present).
setup:
	@bash scripts/setup.sh

## Release build: the server binary and the WASM/JS/CSS bundle under target/site.
build: setup
	cargo leptos build --release --precompress

## Build, migrate, load the demo data into an empty database, and serve on SQLite.
run: build
	$(LINLI) seed-demo
	$(LINLI) serve

## Every test: unit, integration on SQLite and PostgreSQL, end-to-end in Chromium.
test: setup
	@bash scripts/test.sh

## The slow checks: crash safety (SIGKILL mid-storm) and a five-minute soak, on both engines,
## against the release binary `make test` built. CI runs it after `make test`.
verify: setup
	@bash scripts/verify.sh

## Screenshots of the main pages (phone and desktop, normal and elder mode) into target/screenshots.
screenshots: build
	@bash scripts/screenshots.sh

## Sizes of the release WASM and JS bundle, raw, gzip and brotli.
wasm-size: build
	@bash bench/wasm-size.sh
