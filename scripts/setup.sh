#!/usr/bin/env bash
# Installs everything the build and the tests need, idempotently:
#   - a wasm32-unknown-unknown std (rustup target, or the Debian rustc-web fallback),
#   - wasm-bindgen-cli pinned to the crate version in Cargo.toml,
#   - trunk (pinned below),
#   - Debian chromium + chromium-driver (only with --with-browser),
#   - node and the build's minifiers (scripts/package.json: terser, clean-css),
#   - the e2e npm packages (only with --with-browser).
# Prints the environment to use as `export` lines on stdout's last line when
# called with --print-env; everything else goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION="0.21.14"
# The single pin of wasm-bindgen: the `=` version in Cargo.toml.
WASM_BINDGEN_VERSION="$(sed -n 's/^wasm-bindgen = { version = "=\([0-9.]*\)".*/\1/p; s/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' Cargo.toml | head -n1)"
[ -n "$WASM_BINDGEN_VERSION" ] || { echo "setup: cannot read the wasm-bindgen pin from Cargo.toml" >&2; exit 1; }

WITH_BROWSER=0
PRINT_ENV=0
for arg in "$@"; do
  case "$arg" in
    --with-browser) WITH_BROWSER=1 ;;
    --print-env) PRINT_ENV=1 ;;
    *) echo "setup: unknown argument $arg" >&2; exit 2 ;;
  esac
done

log() { echo "setup: $*" >&2; }
export PATH="$HOME/.cargo/bin:$PATH"

APT_UPDATED=0
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if [ $APT_UPDATED -eq 0 ]; then
    log "apt-get update"
    $sudo apt-get update -qq >&2
    APT_UPDATED=1
  fi
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# --- 1. wasm32 std -----------------------------------------------------------
# Normal path: rustup's prebuilt std. Fallback (machines where rustup cannot
# download): Debian's rustc-web, with a wasm32 std built once from its vendored
# sources, linked as the rustup toolchain `wasm-debian` (see README, "Toolchain").
WASM_TOOLCHAIN=""
has_rustup_wasm() { rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; }
if has_rustup_wasm; then
  :
elif timeout 120 rustup target add wasm32-unknown-unknown >&2 2>&1 && has_rustup_wasm; then
  log "wasm32 std installed with rustup"
else
  log "rustup could not add wasm32-unknown-unknown; using the Debian rustc-web fallback"
  WASM_TOOLCHAIN="wasm-debian"
fi

if [ -n "${FORCE_WASM_DEBIAN:-}" ]; then WASM_TOOLCHAIN="wasm-debian"; fi

if [ "$WASM_TOOLCHAIN" = "wasm-debian" ]; then
  apt_install rustc-web cargo-web rust-web-src lld-22
  # Debian's rustc links wasm32 with `rust-lld` (found on PATH); rust-web-llvm's symlink is not
  # always there: point it at lld-22 (lld picks the wasm flavour from rustc's -flavor flag).
  if ! command -v rust-lld >/dev/null 2>&1; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo ln -sf /usr/lib/llvm-22/bin/lld /usr/local/bin/rust-lld
  fi
  STD_DIR=/usr/lib/rustlib/wasm32-unknown-unknown/lib
  STAMP="$STD_DIR/.built-by"
  WANT="$(/usr/bin/rustc --version) opt=z"
  if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ]; then
    log "building the wasm32 std with Debian's rustc (once, ~30 s)"
    tmp="$(mktemp -d)"
    mkdir -p "$tmp/src"
    printf '[package]\nname = "stdbuild"\nversion = "0.0.0"\nedition = "2021"\n[lib]\npath = "src/lib.rs"\n[profile.release]\nopt-level = "z"\ncodegen-units = 1\n' > "$tmp/Cargo.toml"
    echo '#![no_std]' > "$tmp/src/lib.rs"
    # The std's own dependencies (dlmalloc, hashbrown, …) come from the library's
    # Cargo.lock through the Rust package registry.
    (cd "$tmp" && RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 RUSTFLAGS=-Cembed-bitcode=yes \
      /usr/bin/cargo build --release \
      -Z build-std=std,panic_abort,panic_unwind,proc_macro,test \
      --target wasm32-unknown-unknown >&2)
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo rm -rf "$STD_DIR"; $sudo mkdir -p "$STD_DIR"
    for f in "$tmp"/target/wasm32-unknown-unknown/release/deps/lib*.rlib "$tmp"/target/wasm32-unknown-unknown/release/deps/lib*.rmeta; do
      case "$(basename "$f")" in libstdbuild-*) continue ;; esac
      $sudo cp "$f" "$STD_DIR/"
    done
    echo "$WANT" | $sudo tee "$STAMP" >/dev/null
    rm -rf "$tmp"
  fi
  rustup toolchain list | grep -q '^wasm-debian' || rustup toolchain link wasm-debian /usr >&2
fi

# --- 2. wasm-bindgen-cli and trunk ----------------------------------------------
cargo_install() { # name version binary
  local have
  have="$("$3" --version 2>/dev/null | awk '{print $2}' || true)"
  if [ "$have" != "$2" ]; then
    log "cargo install $1 $2 (a few minutes on a fresh machine)"
    cargo install --locked "$1" --version "$2" >&2
  fi
}
cargo_install wasm-bindgen-cli "$WASM_BINDGEN_VERSION" wasm-bindgen
cargo_install trunk "$TRUNK_VERSION" trunk

# --- 3. node and the build's minifiers (package.py runs scripts/minify.mjs) ---------
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || apt_install nodejs npm
if [ ! -d scripts/node_modules/terser ] || [ ! -d scripts/node_modules/clean-css ] || [ scripts/package-lock.json -nt scripts/node_modules/.package-lock.json ]; then
  log "npm ci (scripts: the build's minifiers)"
  (cd scripts && npm ci --no-audit --no-fund --loglevel=error >&2)
fi

# --- 4. browser and e2e packages ---------------------------------------------------
if [ $WITH_BROWSER -eq 1 ]; then
  apt_install chromium chromium-driver zip unzip openssl
  if [ ! -d e2e/node_modules/playwright-core ] || [ ! -d e2e/node_modules/exceljs ] || [ e2e/package-lock.json -nt e2e/node_modules/.package-lock.json ]; then
    log "npm ci (e2e)"
    (cd e2e && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
else
  apt_install zip unzip
fi

if [ $PRINT_ENV -eq 1 ]; then
  if [ -n "$WASM_TOOLCHAIN" ]; then
    echo "export WASM_TOOLCHAIN=$WASM_TOOLCHAIN"
  else
    echo "export WASM_TOOLCHAIN="
  fi
fi
