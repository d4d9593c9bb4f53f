#!/usr/bin/env bash
# Runs the engine's fuzz targets (cargo-fuzz / libFuzzer) one after another, each for
# SECONDS seconds, and prints one line per target: executions, corpus size, findings.
#
#   fuzz/run.sh SECONDS [TARGET...]        (default: every target)
#
# Builds on the stable toolchain: cargo-fuzz's flags that stable rustc calls unstable are
# let through with RUSTC_BOOTSTRAP=1 (no nightly toolchain can be fetched on every machine
# this project runs on), and without a sanitizer (`-s none`): the engine's only unsafe code
# is the counting allocator that forwards to the system one (script/heap.rs), and the fuzzer finds panics, aborts, stack overflows and hangs either way.
#
# The corpus grows in $CARGO_TARGET_DIR/fuzz/corpus/TARGET (or target/fuzz/...), seeded
# from the conformance scripts, the bench scripts and fuzz/seeds/*.py (the snapshot target:
# the database fuzz/seeds/every_type.py makes, encoded); inputs that crash or hang are kept
# in .../artifacts/TARGET and make the run fail.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly CARGO_FUZZ_VERSION=0.13.1
readonly CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$CARGO_BIN:$PATH"
export RUSTC_BOOTSTRAP=1

seconds=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(parse interpret snapshot)

work_dir="${CARGO_TARGET_DIR:-$PWD/target}/fuzz"
mkdir -p "$work_dir"

ensure_cargo_fuzz() {
  local found
  found=$(cargo fuzz --version 2>/dev/null | awk '{ print $2 }') || true
  [ "$found" = "$CARGO_FUZZ_VERSION" ] && return 0
  echo "fuzz: installing cargo-fuzz $CARGO_FUZZ_VERSION (found: ${found:-none})"
  CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --locked --quiet cargo-fuzz --version "$CARGO_FUZZ_VERSION"
}

# seed_corpus TARGET: copies the seeds into an empty corpus.
seed_corpus() {
  local corpus="$work_dir/corpus/$1" file
  mkdir -p "$corpus"
  [ -z "$(ls -A "$corpus")" ] || return 0
  case "$1" in
    snapshot)
      cargo run --quiet -p sqla-engine --example bench_engine -- \
        --runs 1 --snapshot "$corpus/every_type.bin" fuzz/seeds/every_type.py >/dev/null
      ;;
    *)
      for file in crates/engine/tests/conformance/*.py bench/*.py fuzz/seeds/*.py; do
        cp "$file" "$corpus/$(basename "$(dirname "$file")")-$(basename "$file")"
      done
      ;;
  esac
}

ensure_cargo_fuzz
build_log="$work_dir/build.log"
cargo fuzz build -s none --release --debug-assertions >"$build_log" 2>&1 || {
  tail -30 "$build_log" >&2
  echo "fuzz: building the targets failed; the log is in $build_log" >&2
  exit 1
}

failed=0
for target in "${targets[@]}"; do
  seed_corpus "$target"
  artifacts="$work_dir/artifacts/$target"
  mkdir -p "$artifacts"
  log="$work_dir/$target.log"
  dict=()
  [ "$target" = snapshot ] || dict=(-dict=fuzz/dict/python.dict)
  status=0
  # -timeout: one input running for 10 s is a hang; -rss_limit_mb: one using 2 GB is a leak
  # or an unbounded allocation the interpreter's limits should have refused.
  cargo fuzz run -s none --release --debug-assertions "$target" "$work_dir/corpus/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "${dict[@]}" >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  corpus=$(ls "$work_dir/corpus/$target" | wc -l)
  findings=$(ls "$artifacts" | wc -l)
  printf 'fuzz %-10s %6s s  %10s executions  %6s corpus inputs  %s findings\n' \
    "$target" "$seconds" "${runs:-?}" "$corpus" "$findings"
  if [ "$status" -ne 0 ]; then
    failed=1
    echo "fuzz: $target found a problem (exit $status); the input is in $artifacts, the log in $log:" >&2
    grep -m 20 -E 'panicked|ERROR|SUMMARY|Test unit written' "$log" >&2 || tail -20 "$log" >&2
  fi
done
exit "$failed"
