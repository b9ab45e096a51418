#!/usr/bin/env bash
# Benchmarks: the app against its peers, side by side in one run, plus the loading engine's
# strategies. Builds what it needs, starts the local Bitrix24 emulator per measured load with
# realistic conditions (100 ms latency per request, 20 ms per (sub-)call, rate-limit bucket
# 50 / 2 per s), and writes the numbers. See BENCHMARKS.md.
#
#   ./bench.sh [--sizes 1000,10000,100000] [--runs 3] [--cap-s 300]
#              [--contenders app,tutorial,b24jssdk] [--no-engine] [--engine-from FILE] [--no-build]
#   ./bench.sh --smoke      N = 1 000, 1 run, every contender and strategy (< 2 min); results go to
#                           bench/runs/<stamp>-smoke/, never to BENCHMARKS.md; exits non-zero if a
#                           contender or the engine errors out (not for being slow). Uses the
#                           existing task-report.zip (run ./package.sh first; test.sh does).
#
# A full run writes BENCHMARKS.md, bench/results.json and bench/chart.svg (and keeps the raw
# runs in bench/runs/<stamp>/). It takes long (the peers page one request at a time under the
# portal's 2 requests/s): about an hour for the defaults.
#   --engine-from FILE   reuse the engine JSON of an earlier run (bench/runs/<stamp>/engine.json)
#                        instead of running the engine benchmark again
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$HOME/.cargo/bin:$PATH"

SIZES=1000,10000,100000
RUNS=3
CAP=300
CONTENDERS=app,tutorial,b24jssdk
SMOKE=0
ENGINE=1
ENGINE_FROM=""
BUILD=1
ARGS=("$@")
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --cap-s) CAP="$2"; shift 2 ;;
    --contenders) CONTENDERS="$2"; shift 2 ;;
    --smoke) SMOKE=1; shift ;;
    --no-engine) ENGINE=0; shift ;;
    --engine-from) ENGINE_FROM="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ $SMOKE -eq 1 ]; then SIZES=1000; RUNS=1; CAP=60; fi

LATENCY=100
COST=20
BUCKET=standard
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RUN_DIR="bench/runs/$STAMP$([ $SMOKE -eq 1 ] && echo -smoke || true)"
mkdir -p "$RUN_DIR"
log() { echo "bench.sh: $*" >&2; }

# ---- build
if [ $BUILD -eq 1 ]; then
  if [[ ",$CONTENDERS," == *",app,"* ]]; then
    # The app's release build; skipped when task-report.zip is newer than every app source,
    # and by --smoke whenever task-report.zip exists (test.sh builds it in its package tier).
    if [ ! -f task-report.zip ] || { [ $SMOKE -eq 0 ] && [ -n "$(find src assets index.html install.html \
         Cargo.toml Trunk.toml -newer task-report.zip -type f 2>/dev/null | head -n 1)" ]; }; then
      log "building the app (./package.sh)"
      ./package.sh >&2
    else
      log "task-report.zip is up to date"
    fi
  fi
  log "cargo build --release -p b24-emulator -p b24-bench"
  cargo build --release --locked -p b24-emulator -p b24-bench >&2
  if [ ! -d bench/node_modules ] || [ bench/package-lock.json -nt bench/node_modules ]; then
    log "npm ci in bench/"
    (cd bench && npm ci --no-audit --no-fund --loglevel=error) >&2
  fi
  if [ ! -d e2e/node_modules/playwright-core ]; then
    log "npm ci in e2e/ (the emulator helpers of e2e/lib/rig.mjs)"
    (cd e2e && npm ci --no-audit --no-fund --loglevel=error) >&2
  fi
fi

FAILED=0

# ---- engine strategies
ENGINE_JSON=""
if [ -n "$ENGINE_FROM" ]; then
  ENGINE_JSON="$ENGINE_FROM"
elif [ $ENGINE -eq 1 ]; then
  CHURN="${SIZES##*,}"
  [ $SMOKE -eq 1 ] && CHURN=0
  log "engine strategies → $RUN_DIR/engine.json"
  if target/release/b24-bench --sizes "$SIZES" --runs "$RUNS" --cap-s "$CAP" \
      --latency-ms $LATENCY --subcall-cost-ms $COST --bucket $BUCKET \
      --churn "$CHURN" --churn-strategies chained,pages1,pages3 \
      --out "$RUN_DIR/engine.json" > "$RUN_DIR/engine.md"; then
    cat "$RUN_DIR/engine.md" >&2
    ENGINE_JSON="$RUN_DIR/engine.json"
    # An engine load that did not complete (other than the capped classic baseline) is an error.
    if ! node -e '
      const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      const bad = r.runs.filter((x) => x.outcome !== "complete" && !(x.contender === "classic" && x.outcome === "capped"));
      const wrong = r.runs.filter((x) => x.outcome === "complete" && !x.exact);
      for (const x of [...bad, ...wrong]) console.error(`engine: ${x.contender}@${x.n}: ${x.outcome}, exact=${x.exact}`);
      process.exit(bad.length || wrong.length ? 1 : 0);' "$ENGINE_JSON"; then
      FAILED=1
    fi
  else
    log "engine benchmark FAILED"
    FAILED=1
  fi
fi

# ---- contenders
log "contenders → $RUN_DIR/contenders.json"
if ! node bench/harness/contenders.mjs --sizes "$SIZES" --runs "$RUNS" --cap-s "$CAP" \
    --contenders "$CONTENDERS" --latency-ms $LATENCY --subcall-cost-ms $COST --bucket $BUCKET \
    --out "$RUN_DIR/contenders.json"; then
  log "a contender errored out"
  FAILED=1
fi

# ---- report
if [ -f "$RUN_DIR/contenders.json" ]; then
  REPORT=(node bench/harness/report.mjs --contenders "$RUN_DIR/contenders.json" --command "./bench.sh${ARGS[*]:+ ${ARGS[*]}}")
  [ -n "$ENGINE_JSON" ] && REPORT+=(--engine "$ENGINE_JSON")
  if [ $SMOKE -eq 1 ]; then
    REPORT+=(--out-dir "$RUN_DIR")
  else
    REPORT+=(--out-dir bench --markdown BENCHMARKS.md --notes bench/notes.md)
  fi
  "${REPORT[@]}"
fi

if [ $FAILED -ne 0 ]; then
  log "FAILED (see $RUN_DIR)"
  exit 1
fi
log "ok ($RUN_DIR)"
