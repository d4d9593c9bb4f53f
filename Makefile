# Two commands on a fresh machine: `make serve` and `make test`.
# Each installs what it needs first (scripts/install-tools.sh), silently when
# everything is already there.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
# Tools installed by `cargo install` must be found even if ~/.cargo/bin is not on PATH yet.
export PATH := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin:$(PATH)

.PHONY: serve dist test test-native test-browser build-tools test-tools

## serve: build (debug) and serve the app on http://127.0.0.1:8080, rebuilding on change
serve: build-tools
	trunk serve

## dist: the release build of the static site, in dist/
dist: build-tools
	trunk build --release

## test: every test: native tests, the release build, the browser tests
test: test-tools
	$(MAKE) --no-print-directory test-native
	$(MAKE) --no-print-directory dist
	$(MAKE) --no-print-directory test-browser

test-native:
	cargo test --workspace

# Runs against the current dist/ (`make dist`).
test-browser:
	node_modules/.bin/playwright test

build-tools:
	@scripts/install-tools.sh build

test-tools:
	@scripts/install-tools.sh test
