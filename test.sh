#!/usr/bin/env bash
# Runs every test tier; installs what the tests need first (idempotent).
# Exits non-zero if any tier fails and ends with one summary line.
#
#   ./test.sh            all tiers
#   ./test.sh fmt e2e    only the named tiers (see TIERS below)
set -uo pipefail
cd "$(dirname "$0")"
export PATH="$HOME/.cargo/bin:$PATH"

TIERS=(setup fmt clippy clippy-wasm unit package package-check browser e2e conformance bench-smoke)
if [ $# -gt 0 ]; then TIERS=("$@"); fi

PASSED=0
FAILED=0
SKIPPED=0
FAILED_NAMES=()
WASM_TOOLCHAIN=""

run_tier() { # name, command...
  local name="$1"; shift
  echo
  echo "=== tier: $name"
  local start=$SECONDS
  if "$@"; then
    echo "=== tier $name: ok ($((SECONDS - start)) s)"
    PASSED=$((PASSED + 1))
  else
    echo "=== tier $name: FAILED ($((SECONDS - start)) s)"
    FAILED=$((FAILED + 1))
    FAILED_NAMES+=("$name")
  fi
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

tier_fmt() { cargo fmt --all -- --check; }

tier_clippy() { cargo clippy --workspace --all-targets --locked -- -D warnings; }

tier_clippy_wasm() {
  if ! wasm_env cargo clippy --version >/dev/null 2>&1; then
    echo "clippy is not available for the wasm toolchain ($WASM_TOOLCHAIN): skipped"
    SKIPPED=$((SKIPPED + 1))
    return 0
  fi
  wasm_env cargo clippy -p task-report --target wasm32-unknown-unknown --all-targets --locked -- -D warnings
}

tier_unit() { cargo test --workspace --locked; }

tier_package() { ./package.sh; }

tier_package_check() { node --test e2e/package-check.test.mjs; }

tier_browser() {
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  WASM_BINDGEN_TEST_WEBDRIVER_JSON="$PWD/scripts/webdriver.json" \
  CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}" \
  WASM_BINDGEN_TEST_TIMEOUT=60 \
    wasm_env cargo test -p task-report --target wasm32-unknown-unknown --lib --locked
}

tier_e2e() {
  cargo build -p b24-emulator --release --locked || return 1
  # The preview as `trunk serve` builds it: debug, absolute / URLs, with the demo portal.
  wasm_env trunk build --dist target/preview-dist --public-url / --locked --offline=true --skip-version-check || return 1
  node --test --test-concurrency=1 e2e/tests/
}

tier_conformance() {
  if [ ! -d emulator/web/test ]; then
    echo "no conformance tests yet"; return 1
  fi
  (cd emulator/web && { [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error; }) || return 1
  cargo build -p b24-emulator --release --locked || return 1
  B24_REQUIRE_EMULATOR=1 B24_EMULATOR_BIN="$PWD/target/release/b24-emulator" \
    node --test --test-concurrency=1 emulator/web/test/
}

# N = 1 000, one run of every contender and engine strategy: keeps the benchmark harness alive.
tier_bench_smoke() { ./bench.sh --smoke; }

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
echo "test.sh: $PASSED passed, $FAILED failed"
[ $FAILED -eq 0 ]
