# Shared setup for .ci/app, .ci/test and .ci/bench. Installs what a fresh machine lacks
# and skips what is already there. Sourced, not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Build artefacts live outside the clone so a fresh clone rebuilds incrementally.
export CARGO_TARGET_DIR="${BIANMIN_TARGET_DIR:-$HOME/.cache/bianmin/target}"
export PATH="$HOME/.cargo/bin:$ROOT/tests/node_modules/.bin:$PATH"
# Same compile-time environment cargo-leptos gives the server, so `cargo test --release`
# shares the release build instead of compiling everything again.
export LEPTOS_OUTPUT_NAME=bianmin
export LEPTOS_SITE_ROOT=target/site
export LEPTOS_SITE_PKG_DIR=pkg

step() { printf '\n==> %s\n' "$*"; }

ensure_rust_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "adding the wasm32 target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo leptos --version >/dev/null 2>&1; then
    step "installing cargo-leptos 0.3.10 (about 15 minutes, once)"
    cargo install --locked --features no_downloads cargo-leptos@0.3.10
  fi
  # wasm-bindgen-cli must be exactly the version of the wasm-bindgen crate in Cargo.lock.
  local want
  want="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)"
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
    step "installing wasm-bindgen-cli $want (about 3 minutes, once)"
    cargo install --force "wasm-bindgen-cli@$want"
  fi
}

ensure_node_tools() {
  # wasm-opt (npm binaryen; Debian's is too old) and playwright-core.
  if [ ! -x tests/node_modules/.bin/wasm-opt ] || [ tests/package-lock.json -nt tests/node_modules/.installed ]; then
    step "installing npm tools (tests/package.json)"
    (cd tests && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed)
  fi
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi 'wenquanyi\|noto sans cjk'; then
    step "installing Debian chromium and a CJK font"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
  fi
}

build_release() {
  step "building the release app (cargo leptos build --release --precompress)"
  cargo leptos build --release --precompress
}

server_bin() {
  echo "$CARGO_TARGET_DIR/release/server"
}
