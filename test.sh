#!/usr/bin/env bash
# Runs every test tier; installs what the tests need first (idempotent).
# Exits non-zero if any tier fails and ends with one summary line (passed, failed, skipped).
#
#   ./test.sh            all tiers
#   ./test.sh fmt e2e    only the named tiers (see TIERS below)
#
# A tier whose tool is missing (clippy for the wasm toolchain, Chromium, trunk, node, …) is
# printed as SKIPPED with the reason; under CI (`CI=true`, set by .ci/run) it FAILS instead, so
# a CI run never counts a tier it did not run.
set -uo pipefail
cd "$(dirname "$0")"
export PATH="$HOME/.cargo/bin:$PATH"

TIERS=(setup fmt clippy clippy-wasm unit package package-check browser e2e conformance bench-smoke)
if [ $# -gt 0 ]; then TIERS=("$@"); fi

PASSED=0
FAILED=0
SKIPPED=0
FAILED_NAMES=()
SKIPPED_NAMES=()
WASM_TOOLCHAIN=""
# Set by `missing` while a tier runs: the tool it lacks.
TIER_MISSING=""

in_ci() { [ "${CI:-}" = true ] || [ "${CI:-}" = 1 ]; }

run_tier() { # name, command...
  local name="$1"; shift
  echo
  echo "=== tier: $name"
  local start=$SECONDS
  TIER_MISSING=""
  if "$@"; then
    echo "=== tier $name: ok ($((SECONDS - start)) s)"
    PASSED=$((PASSED + 1))
  elif [ -n "$TIER_MISSING" ] && ! in_ci; then
    echo "=== tier $name: SKIPPED, missing $TIER_MISSING (under CI=true this fails)"
    SKIPPED=$((SKIPPED + 1))
    SKIPPED_NAMES+=("$name")
  else
    if [ -n "$TIER_MISSING" ]; then
      echo "=== tier $name: FAILED, missing $TIER_MISSING (CI=true: a tier that cannot run fails)"
    else
      echo "=== tier $name: FAILED ($((SECONDS - start)) s)"
    fi
    FAILED=$((FAILED + 1))
    FAILED_NAMES+=("$name")
  fi
}

missing() { # what: marks the running tier as unable to run for want of a tool
  TIER_MISSING="$1"
  echo "missing: $1"
  return 1
}

need() { # tool...: commands on PATH, or absolute paths of executables
  local tool
  for tool in "$@"; do
    case "$tool" in
      /*) [ -x "$tool" ] || { missing "$tool"; return 1; } ;;
      *) command -v "$tool" >/dev/null 2>&1 || { missing "$tool (not on PATH)"; return 1; } ;;
    esac
  done
}

CHROMIUM_BIN="${CHROMIUM:-/usr/bin/chromium}"

# The sources task-report.zip and task-report-wasm.zip are built from (see package.sh).
ARCHIVE_SOURCES=(src assets exporter snapshot index.html install.html Cargo.toml Cargo.lock Trunk.toml package.sh scripts/package.py scripts/minify.py scripts/wasm_binary.py scripts/minify.mjs scripts/package-lock.json)

fresh_archives() { # builds the archives with ./package.sh when missing or older than a source
  local archive newer
  if [ -s target/package-features ] && [ -n "$(tr -d '[:space:]' < target/package-features)" ]; then
    echo "the archives were built with PACKAGE_FEATURES=$(cat target/package-features): ./package.sh"
    ./package.sh
    return
  fi
  for archive in task-report.zip task-report-wasm.zip; do
    if [ ! -f "$archive" ]; then
      echo "$archive is missing: ./package.sh"
      ./package.sh
      return
    fi
    newer="$(find "${ARCHIVE_SOURCES[@]}" -newer "$archive" -print -quit)" || return 1
    if [ -n "$newer" ]; then
      echo "$archive is older than $newer: ./package.sh"
      ./package.sh
      return
    fi
  done
  echo "task-report.zip and task-report-wasm.zip are newer than their sources"
}

wasm_env() { # runs a command with the wasm toolchain selected
  if [ -n "$WASM_TOOLCHAIN" ]; then RUSTUP_TOOLCHAIN="$WASM_TOOLCHAIN" "$@"; else "$@"; fi
}

tier_setup() {
  local envline
  envline="$(scripts/setup.sh --with-browser --print-env | tail -n 1)" || return 1
  eval "$envline"
  return 0
}

tier_fmt() {
  cargo fmt --version >/dev/null 2>&1 || { missing "rustfmt (cargo fmt)"; return 1; }
  cargo fmt --all -- --check
}

# Clippy on the default features (the preview) and on the feature set that ships: package.sh
# builds the archive with --no-default-features --features snapshot (ARCHIVE_FEATURES).
tier_clippy() {
  cargo clippy --version >/dev/null 2>&1 || { missing "clippy (cargo clippy)"; return 1; }
  cargo clippy --workspace --all-targets --locked -- -D warnings || return 1
  echo "clippy: the shipped feature set (--no-default-features --features snapshot)"
  cargo clippy -p task-report --all-targets --no-default-features --features snapshot --locked -- -D warnings
}

tier_clippy_wasm() {
  if ! wasm_env cargo clippy --version >/dev/null 2>&1; then
    missing "clippy for the wasm toolchain (${WASM_TOOLCHAIN:-default})"
    return 1
  fi
  wasm_env cargo clippy -p task-report --target wasm32-unknown-unknown --all-targets --locked -- -D warnings || return 1
  echo "clippy-wasm: the shipped feature set (--no-default-features --features snapshot)"
  wasm_env cargo clippy -p task-report --target wasm32-unknown-unknown --all-targets --no-default-features --features snapshot --locked -- -D warnings
}

tier_unit() { cargo test --workspace --locked; }

tier_package() {
  need trunk python3 || return 1
  # The build's own steps first: the import renaming and the integrity hashes (scripts/minify.py).
  python3 -m unittest discover -s scripts -p 'test_*.py' || return 1
  ./package.sh
}

tier_package_check() {
  need node unzip || return 1
  node --test e2e/package-check.test.mjs
}

tier_browser() {
  need wasm-bindgen-test-runner "${CHROMEDRIVER:-/usr/bin/chromedriver}" "$CHROMIUM_BIN" || return 1
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  WASM_BINDGEN_TEST_WEBDRIVER_JSON="$PWD/scripts/webdriver.json" \
  CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}" \
  WASM_BINDGEN_TEST_TIMEOUT=60 \
    wasm_env cargo test -p task-report --target wasm32-unknown-unknown --lib --locked
}

tier_e2e() {
  need node trunk python3 "$CHROMIUM_BIN" || return 1
  # `./test.sh e2e` alone must not test a stale archive.
  fresh_archives || return 1
  cargo build -p b24-emulator --release --locked || return 1
  # The preview as `trunk serve` builds it: debug, absolute / URLs, with the demo portal.
  wasm_env trunk build --dist target/preview-dist --public-url / --locked --offline=true --skip-version-check || return 1
  node --test --test-concurrency=1 e2e/tests/
}

tier_conformance() {
  if [ ! -d emulator/web/test ]; then
    echo "no conformance tests yet"; return 1
  fi
  # Runs the emulator with its own test app: no archive involved.
  need node npm "$CHROMIUM_BIN" || return 1
  (cd emulator/web && { [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error; }) || return 1
  cargo build -p b24-emulator --release --locked || return 1
  B24_REQUIRE_EMULATOR=1 B24_EMULATOR_BIN="$PWD/target/release/b24-emulator" \
    node --test --test-concurrency=1 emulator/web/test/
}

# N = 1 000, one run of every contender and engine strategy: keeps the benchmark harness alive.
tier_bench_smoke() {
  need node trunk python3 "$CHROMIUM_BIN" || return 1
  # bench.sh --smoke measures the task-report.zip on disk.
  fresh_archives || return 1
  ./bench.sh --smoke
}

# The environment of the wasm toolchain is needed by later tiers even when setup is not asked for.
if [[ ! " ${TIERS[*]} " =~ " setup " ]]; then
  eval "$(scripts/setup.sh --print-env | tail -n 1)"
fi

for tier in "${TIERS[@]}"; do
  case "$tier" in
    setup) run_tier setup tier_setup ;;
    fmt) run_tier fmt tier_fmt ;;
    clippy) run_tier clippy tier_clippy ;;
    clippy-wasm) run_tier clippy-wasm tier_clippy_wasm ;;
    unit) run_tier unit tier_unit ;;
    package) run_tier package tier_package ;;
    package-check) run_tier package-check tier_package_check ;;
    browser) run_tier browser tier_browser ;;
    e2e) run_tier e2e tier_e2e ;;
    conformance) run_tier conformance tier_conformance ;;
    bench-smoke) run_tier bench-smoke tier_bench_smoke ;;
    *) echo "unknown tier: $tier"; FAILED=$((FAILED + 1)); FAILED_NAMES+=("$tier") ;;
  esac
done

echo
if [ $FAILED -gt 0 ]; then echo "failed tiers: ${FAILED_NAMES[*]}"; fi
if [ $SKIPPED -gt 0 ]; then echo "skipped tiers (a tool is missing): ${SKIPPED_NAMES[*]}"; fi
echo "test.sh: $PASSED passed, $FAILED failed, $SKIPPED skipped"
[ $FAILED -eq 0 ]
