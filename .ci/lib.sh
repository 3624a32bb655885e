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
  # The tools' own release profiles use fat LTO; a build tool needs none of it, and
  # without it cargo-leptos installs in about 13 minutes instead of 18 here.
  local fast=(env CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16)
  if ! cargo leptos --version >/dev/null 2>&1; then
    step "installing cargo-leptos 0.3.10 (about 13 minutes, once)"
    "${fast[@]}" cargo install --locked --features no_downloads cargo-leptos@0.3.10
  fi
  # wasm-bindgen-cli must be exactly the version of the wasm-bindgen crate in Cargo.lock.
  local want
  want="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)"
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
    step "installing wasm-bindgen-cli $want (about 2 minutes, once)"
    "${fast[@]}" cargo install --force "wasm-bindgen-cli@$want"
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

# A real S3-compatible server for the storage tests: moto's server from PyPI, in a
# virtualenv beside the build cache, on a free loopback port, with the test bucket made.
# Exports BIANMIN_TEST_S3_ENDPOINT; the server stops when the calling script exits.
start_s3() {
  local venv="$HOME/.cache/bianmin/s3-venv"
  if [ ! -x "$venv/bin/moto_server" ]; then
    step "installing moto (an S3-compatible test server, about 2 minutes, once)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'moto[server]==5.*'
  fi
  local port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  "$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"${TMPDIR:-/tmp}/bianmin-moto.log" 2>&1 &
  S3_PID=$!
  trap 'kill $S3_PID 2>/dev/null || true' EXIT
  export BIANMIN_TEST_S3_ENDPOINT="http://127.0.0.1:$port"
  "$venv/bin/python" - "$BIANMIN_TEST_S3_ENDPOINT" <<'PY'
import sys, time, boto3
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1",
                  aws_access_key_id="test", aws_secret_access_key="test")
for _ in range(100):
    try:
        s3.create_bucket(Bucket="bianmin-test")
        break
    except Exception:
        time.sleep(0.1)
else:
    sys.exit("the S3 test server did not start")
PY
}

build_release() {
  step "building the release app (cargo leptos build --release --precompress)"
  cargo leptos build --release --precompress
}

server_bin() {
  echo "$CARGO_TARGET_DIR/release/server"
}
