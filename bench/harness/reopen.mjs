// Reopen with a stored snapshot (issue 15) against a cold load, in Chromium inside the emulated
// portal with the real SDK, under the benchmark conditions (100 ms latency, 20 ms per sub-call,
// standard bucket), IDs without holes (`--dense-ids true`: the refresh is the incremental one;
// with holes it is a full load behind the snapshot). For each N: a cold load in a fresh
// profile that keeps third-party storage, then reopens in it — nothing changed, 1 % changed
// (update_tasks), 0.1 % deleted (delete_tasks). Per run: requests (/__stats), time from
// navigation to the snapshot's rows on screen ("as of"), to the refreshed report ("done"),
// and the bytes stored (the IndexedDB record). Writes bench/runs/<stamp>-reopen/reopen.json
// and prints a Markdown table. The app is the default archive, task-report.zip (./package.sh).
//
//   node bench/harness/reopen.mjs [--tasks 10000,100000]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH, ROOT, machine, startEmulator } from './lib.mjs';
import { launchProfile, routeSdk, waitFor } from '../../e2e/lib/rig.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const SIZES = arg('tasks', '10000,100000').split(',').map(Number);

/**
 * Runs in the app's frame before its scripts (independent of the app's own marks): marks
 * `bench:sdk-init` when the SDK calls the app's `BX24.init` callback, and
 * `bench:snapshot-painted` at the first animation frame after the stored rows ("as of" and a
 * task row) are in the DOM.
 */
function watchSnapshot() {
  if (!/\/app_local\//.test(location.href)) return;
  let sdk;
  Object.defineProperty(window, 'BX24', {
    configurable: true,
    get: () => sdk,
    set: (value) => {
      sdk = value;
      if (value && typeof value.init === 'function' && !value.init.wrapped) {
        const init = value.init.bind(value);
        value.init = (callback) => init((...a) => { performance.mark('bench:sdk-init'); return callback?.(...a); });
        value.init.wrapped = true;
      }
    },
  });
  const shown = () => document.querySelector('[data-testid=as-of]') && document.querySelector('[data-testid=row]');
  const observer = new MutationObserver(() => {
    if (!shown()) return;
    observer.disconnect();
    requestAnimationFrame(() => performance.mark('bench:snapshot-painted'));
  });
  const start = () => observer.observe(document.documentElement, { childList: true, subtree: true });
  if (document.documentElement) start(); else document.addEventListener('DOMContentLoaded', start);
}

const results = [];
for (const n of SIZES) {
  const emu = await startEmulator(['--app', join(ROOT, 'task-report.zip'), '--tasks', String(n), '--dense-ids', 'true',
    '--latency-ms', '100', '--subcall-cost-ms', '20', '--bucket', 'standard']);
  const profile = await launchProfile();
  try {
    await fetch(emu.portal + '/__portal/installed', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"v":"Y"}' });
    const sdk = await (await fetch(emu.portal + '/api/v1/')).text();
    const run = async (label) => {
      await emu.resetStats();
      const page = await profile.newPage();
      await routeSdk(page, sdk);
      await page.addInitScript(watchSnapshot);
      const t0 = Date.now();
      await page.goto(`${emu.portal}/?user=1&lang=en`);
      const frame = () => page.frames().find((f) => /\/app_local\//.test(f.url()));
      let snapshotMs = null;
      await waitFor(async () => {
        const f = frame();
        if (!f) return false;
        if (snapshotMs === null && await f.$('[data-testid=as-of]') && await f.$('[data-testid=row]')) snapshotMs = Date.now() - t0;
        const state = await f.getAttribute('[data-testid=load-status]', 'data-state', { timeout: 200 }).catch(() => null);
        return state === 'done';
      }, { what: `${label}: done`, timeoutMs: 900000 });
      const doneMs = Date.now() - t0;
      // Let the save finish, then read the stored record's size.
      await page.waitForTimeout(n >= 50000 ? 5000 : 1500);
      const stored = await frame().evaluate(() => new Promise((resolve) => {
        const open = indexedDB.open('task-report');
        open.onerror = () => resolve(null);
        open.onsuccess = () => {
          const req = open.result.transaction('snapshots').objectStore('snapshots').getAll();
          req.onsuccess = () => resolve(req.result.reduce((s, v) => s + v.byteLength, 0));
          req.onerror = () => resolve(null);
        };
      })).catch(() => null);
      // SDK init -> the stored rows painted, on the frame's clock.
      const sdkToPaintMs = await frame().evaluate(() => {
        const at = (name) => performance.getEntriesByName(name)[0]?.startTime;
        const [init, painted] = [at('bench:sdk-init'), at('bench:snapshot-painted')];
        return init === undefined || painted === undefined ? null : Math.round(painted - init);
      }).catch(() => null);
      const stats = await emu.stats();
      await page.close();
      const row = { tasks: n, run: label, requests: stats.requests, snapshot_rows_ms: snapshotMs, sdk_to_snapshot_painted_ms: sdkToPaintMs, done_ms: doneMs, stored_bytes: stored };
      console.error(JSON.stringify(row));
      results.push(row);
    };
    await run('cold load');
    await run('reopen, nothing changed');
    await emu.control({ update_tasks: Math.max(1, Math.round(n / 100)) });
    await run('reopen, 1 % changed');
    await emu.control({ delete_tasks: Math.max(1, Math.round(n / 1000)) });
    await run('reopen, 0.1 % deleted');
  } finally {
    await profile.close();
    await emu.stop();
  }
}

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const dir = join(BENCH, 'runs', `${stamp}-reopen`);
mkdirSync(dir, { recursive: true });
const out = {
  command: `node bench/harness/reopen.mjs --tasks ${SIZES.join(',')}`,
  date: new Date().toISOString(),
  machine: machine(),
  conditions: 'emulator --latency-ms 100 --subcall-cost-ms 20 --bucket standard --dense-ids true; app: task-report.zip (./package.sh)',
  results,
};
writeFileSync(join(dir, 'reopen.json'), JSON.stringify(out, null, 2));
console.log('| tasks | run | requests | snapshot rows on screen (from navigation) | SDK init → snapshot rows painted | refreshed (done) | stored |');
console.log('|---:|---|---:|---:|---:|---:|---:|');
for (const r of results) {
  const s = (ms) => (ms === null ? '—' : `${(ms / 1000).toFixed(2)} s`);
  const kb = r.stored_bytes === null ? '—' : `${Math.round(r.stored_bytes / 1024)} KB`;
  console.log(`| ${r.tasks.toLocaleString('en')} | ${r.run} | ${r.requests} | ${s(r.snapshot_rows_ms)} | ${s(r.sdk_to_snapshot_painted_ms)} | ${s(r.done_ms)} | ${kb} |`);
}
console.log(`\n${join(dir, 'reopen.json')}`);
