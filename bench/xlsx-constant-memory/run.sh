#!/usr/bin/env bash
# Builds the probe for wasm32-unknown-unknown, binds it for node and prints what each way of
# asking for a constant-memory or low-memory worksheet gives (BENCHMARKS.md, "Excel export:
# memory"). Needs the wasm32 target and wasm-bindgen-cli (scripts/setup.sh installs both).
set -euo pipefail
cd "$(dirname "$0")"
out="${CARGO_TARGET_DIR:-target}"
cargo build --locked --release --target wasm32-unknown-unknown
wasm-bindgen --target nodejs --out-dir "$out/pkg" \
  "$out/wasm32-unknown-unknown/release/xlsx_constant_memory_probe.wasm"
# One node process per case: a trap leaves the module unusable.
for case in 'undefined,false' 'undefined,true' '"/tmp",false' '"/tmp",true'; do
  PROBE="$out/pkg/xlsx_constant_memory_probe.js" node -e "
const m = require(require('path').resolve(process.env.PROBE));
const [dir, low] = [${case}];
let out;
try { out = m.probe(dir, low); } catch (e) { out = 'trapped: ' + e.message; }
console.log('tempdir=' + (dir ?? '(default)') + ' low_memory=' + low + ': ' + out);"
done
