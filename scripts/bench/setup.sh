#!/usr/bin/env bash
# Installs what `make bench` needs beyond `make test`'s tools, each piece only
# when missing or at another version, silently when everything is there:
#
#   - twiggy (wasm size profiler), from crates.io with `cargo install --locked`;
#   - a Python venv with the real Flask / Flask-SQLAlchemy / SQLAlchemy pinned in
#     bench/requirements.txt, from PyPI, in $BENCH_DIR/venv (rebuilt when the
#     requirements change).
#
#   scripts/bench/setup.sh BENCH_DIR
set -euo pipefail
cd "$(dirname "$0")/../.."

readonly TWIGGY_VERSION=0.7.0
readonly CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$CARGO_BIN:$PATH"

bench_dir=${1:?usage: scripts/bench/setup.sh BENCH_DIR}
mkdir -p "$bench_dir"

fail() {
  echo "bench setup: $*" >&2
  exit 1
}

ensure_twiggy() {
  local found
  found=$(twiggy --version 2>/dev/null | awk '{ print $2 }') || true
  [ "$found" = "$TWIGGY_VERSION" ] && return 0
  echo "bench setup: installing twiggy $TWIGGY_VERSION (found: ${found:-none})"
  CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --locked --quiet twiggy --version "$TWIGGY_VERSION"
}

ensure_venv() {
  local venv="$bench_dir/venv" stamp
  stamp="$venv/.requirements"
  if [ -x "$venv/bin/python" ] && cmp -s bench/requirements.txt "$stamp"; then
    return 0
  fi
  command -v python3 >/dev/null 2>&1 || fail "python3 (3.9 or newer) is needed to run the workload with the real libraries"
  echo "bench setup: creating $venv with bench/requirements.txt from PyPI"
  rm -rf "$venv"
  python3 -m venv "$venv" || fail "python3 -m venv failed (on Debian: apt-get install python3-venv)"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-input -r bench/requirements.txt
  cp bench/requirements.txt "$stamp"
}

ensure_twiggy
ensure_venv
