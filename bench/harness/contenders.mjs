// The contenders harness: per N and run, each contender against a freshly started emulator
// (same seeded task set, empty rate-limit bucket, empty operating-time budget, realistic
// latency, per-sub-call cost and bucket), measured in one process, side by side.
//
//   node bench/harness/contenders.mjs --sizes 1000,10000,100000 --runs 3 --cap-s 300 \
//        --out bench/runs/<stamp>/contenders.json [--contenders app,tutorial,b24jssdk]
//        [--app-dir DIR] [--latency-ms 100] [--subcall-cost-ms 20] [--bucket standard] [--stall-s 30]
//
// Contenders:
//   app       the release build (unzipped task-report.zip) inside the emulated portal page
//   tutorial  bench/fixtures/tutorial-app (BX24.callMethod + result.next(), innerHTML) — baseline
//   b24jssdk  @bitrix24/b24jssdk's list loader (actions.v2.fetchList) in node over the webhook
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync, readdirSync, statSync, mkdtempSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { BENCH, ROOT, launchBrowser, startEmulator, machine, sleep, transferSums } from './lib.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : dflt; };
const SIZES = opt('sizes', '1000,10000,100000').split(',').map(Number);
const RUNS = Number(opt('runs', '3'));
const CAP_MS = Number(opt('cap-s', '300')) * 1000;
const STALL_MS = Number(opt('stall-s', '30')) * 1000;
const OUT = opt('out', join(BENCH, 'runs', 'contenders.json'));
const CONTENDERS = opt('contenders', 'app,tutorial,b24jssdk').split(',');
const LATENCY = opt('latency-ms', '100');
const COST = opt('subcall-cost-ms', '20');
const BUCKET = opt('bucket', 'standard');
const TUTORIAL_DIR = join(BENCH, 'fixtures', 'tutorial-app');

function emulatorArgs(appDir, n) {
  return ['--app', appDir, '--tasks', String(n), '--latency-ms', LATENCY, '--subcall-cost-ms', COST, '--bucket', BUCKET];
}

/** The app's build: --app-dir, else task-report.zip unzipped into a temp dir. */
function appDir() {
  const given = opt('app-dir', null);
  if (given) return given;
  const dir = mkdtempSync(join(tmpdir(), 'task-report-bench-'));
  execFileSync('unzip', ['-q', join(ROOT, 'task-report.zip'), '-d', dir]);
  return dir;
}

/** gzip -9 sizes of the files a browser loads on first open (html listed apart). */
function transfer(dir, label) {
  const files = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) { walk(p); continue; }
      const raw = readFileSync(p);
      files.push({ file: p.slice(dir.length + 1), raw: raw.length, gzip: gzipSync(raw, { level: 9 }).length });
    }
  };
  walk(dir);
  return { label, files, ...transferSums(files) };
}

// ------------------------------------------------------------------ browser contenders

/** Reads the frame's performance marks and `prefix:query` measures. */
async function marksOf(frame) {
  return frame.evaluate(() => ({
    marks: performance.getEntriesByType('mark').map((m) => ({ name: m.name, t: m.startTime })),
    measures: performance.getEntriesByType('measure').map((m) => ({ name: m.name, t: m.startTime, d: m.duration })),
    now: performance.now(),
  }));
}

async function frameHeap(page, frame) {
  let heap = null;
  try {
    let cdp;
    try { cdp = await page.context().newCDPSession(frame); } catch { cdp = await page.context().newCDPSession(page); }
    await cdp.send('HeapProfiler.collectGarbage').catch(() => {});
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? null;
    await cdp.detach().catch(() => {});
  } catch { /* fall back below */ }
  if (heap === null) heap = await frame.evaluate(() => performance.memory?.usedJSHeapSize ?? null).catch(() => null);
  return heap;
}

/**
 * Time an interaction in the frame: `action` runs inside the frame and returns the
 * performance.now() just before it acted; resolves with the new `task-report:query`
 * measure(s) and the time from the action to the end of the last one.
 */
async function timedQuery(frame, action, arg) {
  const before = (await marksOf(frame)).measures.filter((m) => m.name === 'task-report:query').length;
  await frame.evaluate(WATCH_NEXT_FRAME);
  const t0 = await frame.evaluate(action, arg);
  if (t0 === null) return null;
  const deadline = Date.now() + 20000;
  let last = null;
  while (Date.now() < deadline) {
    const ms = (await marksOf(frame)).measures.filter((m) => m.name === 'task-report:query');
    if (ms.length > before) {
      await sleep(300); // a debounced input may run one more query
      const all = (await marksOf(frame)).measures.filter((m) => m.name === 'task-report:query').slice(before);
      last = all[all.length - 1];
      const painted = await frame.evaluate(() => window.__benchFrameAfter);
      return {
        action_to_next_frame_ms: painted == null ? null : painted - t0,
        query_ms: all.reduce((a, m) => a + m.d, 0),
        measures: all.length,
        action_to_result_ms: last.t + last.d - t0,
      };
    }
    await sleep(50);
  }
  return null;
}

// Installed in the frame before each interaction: the time of the first animation frame
// after the app's last `task-report:query` measure (the re-rendered table is on screen).
const WATCH_NEXT_FRAME = () => {
  window.__benchObs?.disconnect();
  window.__benchFrameAfter = null;
  const obs = new PerformanceObserver((list) => {
    if (list.getEntries().some((e) => e.name === 'task-report:query')) {
      requestAnimationFrame(() => setTimeout(() => { window.__benchFrameAfter = performance.now(); }, 0));
    }
  });
  obs.observe({ type: 'measure' });
  window.__benchObs = obs;
};

const CLICK_SORT = () => {
  // The first column header's sort button (not the pivot table's plain <th>s).
  const el = ['.sort-button', 'th[aria-sort] button', 'th button', '[role=columnheader] button']
    .map((sel) => document.querySelector(sel)).find(Boolean);
  if (!el) return null;
  const t = performance.now();
  el.click();
  return t;
};

const TYPE_SEARCH = (text) => {
  const el = document.querySelector('[data-testid=search]');
  if (!el) return null;
  const t = performance.now();
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
  setter.call(el, text);
  el.dispatchEvent(new Event('input', { bubbles: true }));
  return t;
};

async function runBrowser(browser, { kind, dir, n }) {
  const prefix = kind === 'app' ? 'task-report' : 'tutorial';
  const emu = await startEmulator(emulatorArgs(dir, n));
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const result = { n, contender: kind, status: 'error', rows: null };
  try {
    await emu.post('/__portal/installed', { v: 'Y' });
    await emu.post('/__portal/install', { user: 1, install: true });
    const truth = await emu.truth();
    result.truth_rows = truth.length;
    const sdkUrl = `${emu.portal}/api/v1/`;
    await context.route(/\/\/api\.bitrix24\.com\/api\/v1\/?/, async (route) => {
      const res = await route.fetch({ url: sdkUrl });
      await route.fulfill({ response: res });
    });
    await context.addInitScript(() => {
      window.addEventListener('TrunkApplicationStarted', (e) => { window.__benchWasm = e?.detail?.wasm ?? null; });
    });
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const appOrigin = new URL(emu.app).origin;
    const t0 = Date.now();
    await page.goto(`${emu.portal}/`);
    let frame = null;
    let lastRequests = -1;
    let lastChange = Date.now();
    let marks = null;
    for (;;) {
      frame = frame || page.frames().find((f) => f.url().startsWith(appOrigin)) || null;
      if (frame) {
        marks = await marksOf(frame).catch(() => null);
        if (marks?.marks.some((m) => m.name === `${prefix}:loaded`)) { result.status = 'complete'; break; }
      }
      const stats = await emu.stats();
      if (stats.requests !== lastRequests) { lastRequests = stats.requests; lastChange = Date.now(); }
      if (Date.now() - t0 > CAP_MS) { result.status = 'capped'; break; }
      if (Date.now() - lastChange > STALL_MS) { result.status = 'stalled'; break; }
      await sleep(100);
    }
    result.elapsed_ms = Date.now() - t0;
    const mark = (name) => marks?.marks.find((m) => m.name === `${prefix}:${name}`)?.t ?? null;
    const start = mark('load-start');
    const first = mark('first-rows');
    const loaded = mark('loaded');
    result.first_rows_ms = start !== null && first !== null ? first - start : null;
    result.all_rows_ms = start !== null && loaded !== null ? loaded - start : null;
    result.all_rows_from_frame_start_ms = loaded;
    const stats = await emu.stats();
    result.requests = stats.requests;
    result.subcalls = stats.subcalls;
    result.by_status = stats.by_status;
    result.by_method = stats.by_method;
    if (frame) {
      result.dom_rows = await frame.evaluate(() => document.querySelectorAll('[data-testid=row]').length);
      if (kind === 'tutorial') {
        const ids = await frame.evaluate(() => Array.from(document.querySelectorAll('#rows tr td:first-child'), (td) => Number(td.textContent)));
        result.rows = ids.length;
        const set = new Set(ids);
        result.exact = result.status === 'complete' ? set.size === ids.length && set.size === truth.length && truth.every((id) => set.has(id)) : null;
        result.error_text = await frame.evaluate(() => window.__tutorialError ?? null);
      } else {
        // The grid is windowed: the DOM holds only what is on screen. The loaded count comes
        // from the app's own status texts; exactness is checked on the row count.
        result.status_text = await frame.evaluate(() => ['load-status', 'shown-count', 'load-stats', 'error-panel']
          .map((id) => document.querySelector(`[data-testid=${id}]`)?.textContent?.trim()).filter(Boolean).join(' | '));
        const nums = (result.status_text.match(/\d[\d\s\u00a0\u202f,.]*\d|\d/g) || [])
          .map((s) => Number(s.replace(/[\s\u00a0\u202f,.]/g, ''))).filter(Number.isFinite);
        result.rows = result.status === 'complete' ? (nums.includes(truth.length) ? truth.length : Math.max(0, ...nums)) : Math.max(0, ...nums.filter((x) => x <= truth.length));
        result.exact = result.status === 'complete' ? nums.includes(truth.length) : null;
        result.error_panel = await frame.evaluate(() => document.querySelector('[data-testid=error-panel]')?.textContent?.trim() ?? null);
        result.wasm_bytes = await frame.evaluate(() => window.__benchWasm?.memory?.buffer?.byteLength ?? null);
        if (result.status === 'complete') {
          result.sort = await timedQuery(frame, CLICK_SORT).catch((e) => ({ error: String(e) }));
          result.filter = await timedQuery(frame, TYPE_SEARCH, 'a').catch((e) => ({ error: String(e) }));
        }
      }
      result.js_heap_bytes = await frameHeap(page, frame);
    } else {
      result.note = 'the app frame never appeared';
    }
    result.page_errors = pageErrors;
    // "Errors out" = the contender itself failed (not slowness): an error shown or thrown, a
    // wrong row set, or no frame. The tutorial's hang after the portal's 503 is its real
    // behaviour (the v1 SDK never calls back on 5xx) and is reported as stalled, not an error.
    const sdkHang = kind === 'tutorial' && result.status === 'stalled' && (stats.by_status?.['503'] ?? 0) > 0;
    if (sdkHang) result.note = 'stalled: the portal answered 503 QUERY_LIMIT_EXCEEDED, the v1 SDK threw and never called back';
    result.errored = !frame || result.exact === false || Boolean(result.error_panel) || Boolean(result.error_text)
      || (result.status === 'stalled' && !sdkHang);
  } catch (e) {
    result.status = 'error';
    result.errored = true;
    result.error = String(e?.stack ?? e);
  } finally {
    await context.close().catch(() => {});
    await emu.stop();
  }
  return result;
}

// ------------------------------------------------------------------ the official SDK in node

async function runSdk({ n }) {
  const emu = await startEmulator(emulatorArgs(TUTORIAL_DIR, n));
  const result = { n, contender: 'b24jssdk', status: 'error', rows: null };
  try {
    const truth = await emu.truth();
    result.truth_rows = truth.length;
    const secret = new URL(emu.webhook).pathname.split('/').filter(Boolean)[2];
    const t0 = Date.now();
    const out = await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [join(BENCH, 'contenders', 'b24jssdk.mjs'), '--portal', emu.portal,
        '--secret', secret, '--user', '1', '--cap-s', String(CAP_MS / 1000)], { cwd: BENCH, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => { stdout += d; });
      child.stderr.on('data', (d) => { stderr += d; if (stderr.length > 20000) stderr = stderr.slice(-10000); });
      child.once('exit', (code) => {
        const line = stdout.trim().split('\n').pop();
        try { resolve(JSON.parse(line)); } catch { reject(new Error(`b24jssdk contender exited ${code}: ${stderr.slice(-2000)}`)); }
      });
    });
    result.elapsed_ms = Date.now() - t0;
    const stats = await emu.stats();
    result.requests = stats.requests;
    result.by_status = stats.by_status;
    result.rows = out.rows;
    result.first_rows_ms = out.first_page_ms;
    result.all_rows_ms = out.all_rows_ms;
    result.status = out.error ? 'error' : out.capped ? 'capped' : 'complete';
    result.error = out.error;
    const set = new Set(out.ids);
    result.exact = result.status === 'complete' ? set.size === out.ids.length && set.size === truth.length && truth.every((id) => set.has(id)) : null;
    result.errored = Boolean(out.error) || result.exact === false;
  } catch (e) {
    result.errored = true;
    result.error = String(e?.stack ?? e);
  } finally {
    await emu.stop();
  }
  return result;
}

// ------------------------------------------------------------------ main

const started = new Date();
const dirs = {};
const transfers = {};
if (CONTENDERS.includes('app')) {
  dirs.app = appDir();
  transfers.app = transfer(dirs.app, 'task-report.zip (default archive: wasm embedded gzip+base64 in a script)');
  const wasmZip = join(ROOT, 'task-report-wasm.zip');
  if (!opt('app-dir', null) && existsSync(wasmZip)) {
    const dir = mkdtempSync(join(tmpdir(), 'task-report-bench-'));
    execFileSync('unzip', ['-q', wasmZip, '-d', dir]);
    transfers['app (separate .wasm)'] = transfer(dir, 'task-report-wasm.zip (the same app with a separate .wasm file)');
  }
}
if (CONTENDERS.includes('tutorial')) {
  dirs.tutorial = TUTORIAL_DIR;
  transfers.tutorial = transfer(TUTORIAL_DIR, 'bench/fixtures/tutorial-app (SDK stand-in not counted)');
}
if (CONTENDERS.includes('b24jssdk')) {
  const umd = join(BENCH, 'node_modules', '@bitrix24', 'b24jssdk', 'dist', 'umd', 'index.min.js');
  const raw = readFileSync(umd);
  transfers.b24jssdk = { label: '@bitrix24/b24jssdk dist/umd/index.min.js (what a browser app would ship)', code_raw: raw.length, code_gzip: gzipSync(raw, { level: 9 }).length };
}

const browser = CONTENDERS.some((c) => c !== 'b24jssdk') ? await launchBrowser() : null;
const runs = [];
for (let run = 1; run <= RUNS; run++) {
  for (const n of SIZES) {
    for (const kind of CONTENDERS) {
      process.stderr.write(`contenders: run ${run}/${RUNS} N=${n} ${kind} … `);
      const r = kind === 'b24jssdk' ? await runSdk({ n }) : await runBrowser(browser, { kind, dir: dirs[kind], n });
      r.run = run;
      runs.push(r);
      const secs = (ms) => (ms == null ? '-' : (ms / 1000).toFixed(1));
      process.stderr.write(`${r.status}, ${r.rows ?? '?'}/${r.truth_rows ?? '?'} rows, ${r.requests ?? '?'} requests, `
        + `first ${secs(r.first_rows_ms)} s, all ${secs(r.all_rows_ms)} s${r.errored ? ' [ERROR]' : ''}`
        + `${r.error ? `: ${String(r.error).split('\n')[0]}` : ''}\n`);
    }
  }
}
await browser?.close();

const report = {
  kind: 'contenders',
  started: started.toISOString(),
  finished: new Date().toISOString(),
  command: `node bench/harness/contenders.mjs ${argv.join(' ')}`,
  machine: machine(),
  conditions: {
    latency_ms: Number(LATENCY), subcall_cost_ms: Number(COST), bucket: BUCKET,
    cap_s: CAP_MS / 1000, stall_s: STALL_MS / 1000, runs: RUNS, sizes: SIZES,
  },
  transfer: transfers,
  runs,
};
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, JSON.stringify(report, null, 2));
process.stderr.write(`contenders: wrote ${OUT}\n`);
const errored = runs.filter((r) => r.errored);
if (errored.length) {
  process.stderr.write(`contenders: ${errored.length} run(s) errored: ${errored.map((r) => `${r.contender}@${r.n}`).join(', ')}\n`);
  process.exit(1);
}
