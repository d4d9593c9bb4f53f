# Two commands on a fresh machine: `make serve` and `make test`.
# Each installs what it needs first (scripts/install-tools.sh), silently when
# everything is already there.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
# Tools installed by `cargo install` must be found even if ~/.cargo/bin is not
# on PATH yet; trunk finds wasm-opt (npm's binaryen) in node_modules/.bin.
export PATH := $(CURDIR)/node_modules/.bin:$(or $(CARGO_HOME),$(HOME)/.cargo)/bin:$(PATH)

.PHONY: serve dist test test-native test-browser measure-load run bench fuzz

# Where `make bench` keeps its venv and results.
BENCH_DIR ?= $(or $(CARGO_TARGET_DIR),target)/bench
# How long `make fuzz` runs each fuzz target, in seconds; and the short run inside `make test`.
FUZZ_SECONDS ?= 600
FUZZ_SMOKE_SECONDS ?= 20

## serve: build (debug) and serve the app on http://127.0.0.1:8080, rebuilding on change
# The debug build (with trunk's live-reload script) goes to target/serve, so
# that dist/ only ever holds the release build.
serve:
	@scripts/install-tools.sh build
	trunk serve --dist target/serve

## dist: the release build of the static site, in dist/
dist:
	@scripts/install-tools.sh dist
	trunk build --release

## test: every test: native tests, a short fuzz run, the release build, the browser tests
test:
	@scripts/install-tools.sh test
	cargo test --workspace
	fuzz/run.sh $(FUZZ_SMOKE_SECONDS)
	$(MAKE) --no-print-directory dist
	$(MAKE) --no-print-directory test-browser

## test-native: the Rust tests only
test-native:
	cargo test --workspace

## test-browser: the browser tests only, against the current dist/
test-browser:
	playwright test

## measure-load: time from navigation to a usable console, against the current dist/
measure-load:
	node scripts/measure-load.mjs

## run: run a Python script with the engine natively, as the browser runs it:
##      make -s run SCRIPT=app.py ARGS="--console --echo --sql-log log.jsonl"
run:
	@test -n "$(SCRIPT)" || { echo 'usage: make -s run SCRIPT=path.py ARGS="[--console] [--echo] [--sql-log FILE]"' >&2; exit 2; }
	@cargo run -q --release -p sqla-engine --bin sqla-run -- $(ARGS) "$(SCRIPT)"

## bench: measure size, load time, the reference workload (in the page and with the real
##        Flask-SQLAlchemy), engine overhead and scale; prints one table and copies it
##        into README.md (about 10 minutes)
bench:
	@scripts/install-tools.sh test
	@scripts/bench/setup.sh "$(BENCH_DIR)"
	$(MAKE) --no-print-directory dist
	cargo build --quiet --release -p sqla-engine --example bench_engine
	BENCH_DIR="$(BENCH_DIR)" node bench/run.mjs

## fuzz: run every fuzz target for FUZZ_SECONDS seconds each (default 600)
fuzz:
	fuzz/run.sh $(FUZZ_SECONDS)
