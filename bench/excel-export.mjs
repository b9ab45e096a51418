// Excel export benchmark (issue 16): the release archive in the emulated portal with N tasks
// (default 100 000), the plain view exported to .xlsx R times (default 3). Measures, per
// run: click → download (wall, ms), the worker's phases (first progress, done), the file
// size, the worker's wasm memory when done, and how responsive the page stayed during the
// export (longest gap between animation frames, main-thread long tasks > 50 ms). Then one
// cancelled export (the button, "Cancel" while running, clicked at the first progress: no
// download follows, the button is back).
//
//   node bench/excel-export.mjs [--tasks 100000] [--runs 3]
//
// Needs ./package.sh (task-report.zip) and the emulator (cargo build -p b24-emulator
// --release). Writes bench/runs/excel-<stamp>.json, bench/excel-results.json and bench/excel.md, and puts bench/excel.md
// into BENCHMARKS.md between the "excel-export" markers (bench/harness/report.mjs keeps it).
import { readFileSync, writeFileSync, mkdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, totalmem, loadavg } from 'node:os';
import { execFileSync } from 'node:child_process';
import { launchBrowser, startEmulator, openPortal, waitFor, waitForLoadState, ROOT } from '../e2e/lib/rig.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('tasks', 100000);
const RUNS = arg('runs', 3);
// The machine's load (1-minute average) when the runs start; stated beside the times.
const LOAD_AT_START = loadavg()[0];

// In the app's frame: record what the exporter's worker says, and the frame gaps.
const PROBE = `
  (() => {
    const W = window.Worker;
    if (!W || window.__xlsxProbe) return;
    window.__xlsxProbe = { events: [], gaps: [], longTasks: [] };
    window.Worker = function (url, options) {
      const w = new W(url, options);
      w.addEventListener('message', (e) => {
        const d = e.data || {};
        const kind = typeof d === 'number' ? 'progress' : typeof d === 'string' ? 'error' : 'done';
        window.__xlsxProbe.events.push({ t: performance.now(), kind, percent: typeof d === 'number' ? d : null, size: d && d.size });
      });
      return w;
    };
    let last = performance.now();
    const frame = (t) => { window.__xlsxProbe.gaps.push([t, t - last]); last = t; requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
    try {
      new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__xlsxProbe.longTasks.push([e.startTime, e.duration]); })
        .observe({ entryTypes: ['longtask'] });
    } catch (_) { /* no long-task timing */ }
  })();
`;

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };

const browser = await launchBrowser();
const emu = await startEmulator(['--app', join(ROOT, 'task-report.zip'), '--tasks', String(N)]);
await fetch(emu.portal + '/__portal/installed', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"v":"Y"}' });
await fetch(emu.portal + '/__portal/user-option', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user: 1, name: 'taskReportView', value: '' }) });
const runs = [];
let cancel = null;
try {
  const p = await openPortal(browser, emu, { lang: 'en' });
  // The worker logs its wasm memory when the file is written (console.debug).
  const workerMemory = [];
  p.page.on('worker', (w) => w.on('console', (m) => {
    const hit = /exporter: wasm memory (\d+) bytes/.exec(m.text());
    if (hit) workerMemory.push(Number(hit[1]));
  }));
  await p.page.context().addInitScript(PROBE);
  await p.page.reload();
  await waitFor(() => p.frame(), { what: 'the app frame' });
  await waitForLoadState(p.frame, ['done'], { timeoutMs: 600000 });
  const f = () => p.frame();
  for (let run = 0; run < RUNS; run++) {
    await f().evaluate(() => { window.__xlsxProbe.events = []; window.__xlsxProbe.longTasks = []; });
    const t0 = await f().evaluate(() => performance.now());
    const started = Date.now();
    const [download] = await Promise.all([
      p.page.waitForEvent('download', { timeout: 120000 }),
      f().click('[data-testid=export-xlsx]'),
    ]);
    const wallMs = Date.now() - started;
    const path = await download.path();
    const probe = await f().evaluate(() => window.__xlsxProbe);
    const events = probe.events;
    const done = events.find((e) => e.kind === 'done');
    const firstProgress = events.find((e) => e.kind === 'progress');
    const memory = workerMemory.at(-1) ?? null;
    const tEnd = done ? done.t : t0 + wallMs;
    const gaps = probe.gaps.filter(([t]) => t >= t0 && t <= tEnd + 100).map(([, g]) => g);
    const longTasks = probe.longTasks.filter(([t]) => t >= t0 && t <= tEnd + 100).map(([, d]) => d);
    runs.push({
      run,
      wall_ms: wallMs,
      to_first_progress_ms: firstProgress ? Math.round(firstProgress.t - t0) : null,
      to_done_ms: done ? Math.round(done.t - t0) : null,
      progress_messages: events.filter((e) => e.kind === 'progress').length,
      file_bytes: statSync(path).size,
      worker_wasm_memory_bytes: memory,
      max_frame_gap_ms: Math.round(Math.max(0, ...gaps)),
      long_tasks_ms: longTasks.map(Math.round),
    });
    process.stderr.write(`excel: run ${run + 1}/${RUNS}: ${JSON.stringify(runs.at(-1))}\n`);
  }
  // Cancel at the first progress: no download follows and the button comes back.
  await f().evaluate(() => { window.__xlsxProbe.events = []; });
  let downloads = 0;
  p.page.on('download', () => { downloads += 1; });
  await f().click('[data-testid=export-xlsx]');
  await waitFor(() => f().evaluate(() => window.__xlsxProbe.events.some((e) => e.kind === 'progress')), { timeoutMs: 60000, what: 'first progress' });
  const cancelAt = Date.now();
  await f().click('[data-testid=export-xlsx]');
  await waitFor(async () => (await f().textContent('[data-testid=export-xlsx]')).trim() === 'Excel', { what: 'button back' });
  const backMs = Date.now() - cancelAt;
  await new Promise((r) => setTimeout(r, Math.max(5000, median(runs.map((r) => r.wall_ms)))));
  cancel = { button_back_ms: backMs, downloads_after_cancel: downloads, messages_after_cancel: (await f().evaluate(() => window.__xlsxProbe.events)).filter((e) => e.kind !== 'progress').length };
  process.stderr.write(`excel: cancel: ${JSON.stringify(cancel)}\n`);
  await p.close();
} finally {
  await browser.close();
  await emu.stop();
}

const chromium = (() => { try { return execFileSync(process.env.CHROMIUM || '/usr/bin/chromium', ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim(); } catch (_) { return 'unknown'; } })();
const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM; node ${process.version}; ${chromium} (headless)`;
const stamp = new Date().toISOString();
const load = { at_start: LOAD_AT_START, at_end: loadavg()[0], cores: cpus().length };
const result = { date: stamp, command: `node bench/excel-export.mjs --tasks ${N} --runs ${RUNS}`, machine, load, tasks: N, runs, cancel };
mkdirSync(join(ROOT, 'bench', 'runs'), { recursive: true });
const rawPath = join('bench', 'runs', `excel-${stamp.replace(/[-:]/g, '').replace(/\..*/, 'Z')}.json`);
writeFileSync(join(ROOT, rawPath), JSON.stringify(result, null, 2));
// The latest run, kept in the repository (bench/runs/ is not).
writeFileSync(join(ROOT, 'bench', 'excel-results.json'), JSON.stringify(result, null, 2));

const ms = (x) => (x === null || x === undefined ? '–' : `${(x / 1000).toFixed(2)} s`);
const mib = (x) => (x ? `${(x / 2 ** 20).toFixed(0)} MiB` : '–');
const med = (key) => median(runs.map((r) => r[key] ?? 0));
let md = '<!-- excel-export: written by bench/excel-export.mjs; do not edit by hand -->\n';
md += '## Excel export (issue 16)\n\n';
md += `Generated by \`bench/excel-export.mjs\` (raw: \`bench/excel-results.json\`; every run also in \`${rawPath.replace(/[^/]*$/, '')}\`).\n\n`;
md += `- **Machine:** ${machine}. Load average (1 min) ${load.at_start.toFixed(2)} on ${load.cores} cores before the runs started (${load.at_start < 0.5 ? 'a quiet machine' : 'other work was running: the times are upper bounds'}; ${load.at_end.toFixed(2)} at the end, the benchmark's own load included).\n`;
md += `- **Date:** ${stamp}\n- **Command:** \`${result.command}\` (after \`./package.sh\`)\n`;
md += `- **What:** the default archive in the emulated portal with ${N.toLocaleString('en-US')} tasks, the plain view (every task, default columns) exported to .xlsx ${RUNS} times in one page; "click → download" is from the click on "Excel" to Chromium's download event and includes the exporter's fetch (first run only; later runs from the HTTP cache) and compilation, the request encoding on the main thread, writing and zipping in the worker, and the transfer back. Frame gaps and long tasks are the page's main thread during the export.\n\n`;
md += '| run | click → download | first progress | workbook done | file size | worker wasm memory | longest frame gap | main-thread long tasks |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n';
for (const r of runs) {
  md += `| ${r.run + 1} | ${ms(r.wall_ms)} | ${ms(r.to_first_progress_ms)} | ${ms(r.to_done_ms)} | ${(r.file_bytes / 2 ** 20).toFixed(2)} MiB | ${mib(r.worker_wasm_memory_bytes)} | ${r.max_frame_gap_ms} ms | ${r.long_tasks_ms.length ? r.long_tasks_ms.map((d) => `${d} ms`).join(', ') : 'none'} |\n`;
}
md += `\nMedian click → download: **${ms(med('wall_ms'))}** (target ≤ 5 s). `;
if (cancel) md += `Cancel at the first progress: the button was back after ${cancel.button_back_ms} ms, ${cancel.downloads_after_cancel} downloads and ${cancel.messages_after_cancel} further worker messages followed.\n`;
md += '\nMemory: the worker\'s wasm memory when the file is written (a wasm memory never shrinks: this is the peak). It grows with the rows — rust_xlsxwriter keeps every cell until it packs the file and then builds the sheet\'s XML in memory — and is released when the worker ends after each export. The crate\'s constant-memory mode cannot run in a browser worker; what it needs, what was measured and what was done instead: "Excel export: memory" below.\n';
writeFileSync(join(ROOT, 'bench', 'excel.md'), md);
const benchPath = join(ROOT, 'BENCHMARKS.md');
let all = existsSync(benchPath) ? readFileSync(benchPath, 'utf8') : '';
const startMark = '<!-- excel-export:';
const endMark = '<!-- /excel-export -->';
const block = `${md}${endMark}\n`;
const s = all.indexOf(startMark);
const e = all.indexOf(endMark);
all = s >= 0 && e > s ? all.slice(0, s) + block + all.slice(e + endMark.length + 1) : `${all.trimEnd()}\n\n${block}`;
writeFileSync(benchPath, all);
process.stderr.write(`excel: wrote ${rawPath}, bench/excel.md, BENCHMARKS.md\n`);
