#!/usr/bin/env bash
# Installs what building (`build`) or testing (`test`) the playground needs,
# each piece only when it is missing or at the wrong version, and silently when
# everything is already there. Pinned versions are read from Trunk.toml.
#
#   scripts/install-tools.sh build   wasm32 target, trunk, wasm-bindgen-cli
#   scripts/install-tools.sh dist    the above and the npm packages (wasm-opt)
#   scripts/install-tools.sh test    the above and Debian's chromium and
#                                    chromium-driver
set -euo pipefail
cd "$(dirname "$0")/.."

readonly WASM_TARGET=wasm32-unknown-unknown
readonly CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$CARGO_BIN:$PATH"

fail() {
  echo "install-tools: $*" >&2
  exit 1
}

# The value of `key = "value"` in Trunk.toml, without a leading `=`.
trunk_toml_value() {
  sed -n "s/^$1 = \"=\{0,1\}\([^\"]*\)\"$/\1/p" Trunk.toml
}

# The version cargo resolved for a package, from Cargo.lock.
locked_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  else
    sudo "$@"
  fi
}

# Prints the version a tool reports (`name 1.2.3 ...` -> `1.2.3`), or nothing.
tool_version() {
  command -v "$1" >/dev/null 2>&1 || return 0
  "$1" --version 2>/dev/null | awk '{ print $2; exit }'
}

ensure_wasm_target() {
  command -v rustup >/dev/null 2>&1 || fail "rustup is needed (https://rustup.rs) to add the $WASM_TARGET target"
  if ! rustup target list --installed | grep -qx "$WASM_TARGET"; then
    echo "install-tools: adding the $WASM_TARGET target"
    rustup target add "$WASM_TARGET"
  fi
}

# ensure_cargo_tool <binary> <crate> <version>
ensure_cargo_tool() {
  local binary=$1 crate=$2 wanted=$3 found
  found=$(tool_version "$binary")
  [ "$found" = "$wanted" ] && return 0
  echo "install-tools: installing $crate $wanted (found: ${found:-none})"
  # Build tools need not be as fast as possible: skipping their fat LTO and
  # single codegen unit makes a cold install quicker.
  CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --locked --quiet "$crate" --version "$wanted"
  found=$(tool_version "$binary")
  [ "$found" = "$wanted" ] ||
    fail "$binary on PATH ($(command -v "$binary")) is ${found:-unusable}, expected $wanted; put $CARGO_BIN first on PATH"
}

ensure_debian_packages() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "install-tools: installing ${missing[*]} with apt-get"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_npm_packages() {
  command -v npm >/dev/null 2>&1 || fail "npm (with Node.js 20 or newer) is needed for wasm-opt and the browser tests"
  # npm ci records what it installed in node_modules/.package-lock.json.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "install-tools: installing npm packages from package-lock.json"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

build_tools() {
  local wasm_bindgen locked
  wasm_bindgen=$(trunk_toml_value wasm_bindgen)
  locked=$(locked_version wasm-bindgen)
  [ -n "$wasm_bindgen" ] || fail "Trunk.toml names no [tools] wasm_bindgen version"
  [ "$wasm_bindgen" = "$locked" ] ||
    fail "Trunk.toml pins wasm-bindgen $wasm_bindgen but Cargo.lock has $locked: they must be equal"
  ensure_wasm_target
  ensure_cargo_tool trunk trunk "$(trunk_toml_value trunk-version)"
  ensure_cargo_tool wasm-bindgen wasm-bindgen-cli "$wasm_bindgen"
  # Trunk builds offline, so every crate (for all targets) must be here first.
  cargo fetch --quiet
}

case "${1:-}" in
  build)
    build_tools
    ;;
  dist)
    build_tools
    ensure_npm_packages
    ;;
  test)
    build_tools
    ensure_npm_packages
    ensure_debian_packages chromium chromium-driver
    ;;
  *)
    fail "usage: $0 build|dist|test"
    ;;
esac
