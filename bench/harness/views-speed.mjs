// Query time of the report views at N tasks in Chromium (issue 14): group by responsible and
// by deadline bucket, the deadline "this week" preset, sort by responsible, sort by deadline —
// each the app's own `performance.measure` (`task-report:group` for a grouping,
// `task-report:query` for a filter or a sort) after a user action
// in the app frame inside the emulated portal, with every task loaded and the names resolved.
// Each action runs --reps times (grouping switched off and on again; a sort click flips the
// direction, so every click sorts anew); the median and the maximum are reported. Writes
// bench/runs/<stamp>-views/views.json and prints a Markdown table.
//
//   node bench/harness/views-speed.mjs [--tasks 100000] [--reps 5]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH, ROOT, launchBrowser, browserVersion, startEmulator, machine, median, sleep } from './lib.mjs';
import { openPortal, waitFor, waitForLoadState } from '../../e2e/lib/rig.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const TASKS = Number(arg('tasks', '100000'));
const REPS = Number(arg('reps', '5'));

/** The durations of the frame's measures called `name`. */
const measures = (frame, name) => frame.evaluate((name) => performance.getEntriesByName(name, 'measure').map((m) => m.duration), name);

/** Runs `act` and waits for one more `name` measure; returns its duration. */
async function timed(frame, name, act) {
  const before = (await measures(frame, name)).length;
  await act();
  const all = await waitFor(async () => {
    const list = await measures(frame, name);
    return list.length > before ? list : null;
  }, { what: `a ${name} measure`, timeoutMs: 30000 });
  await sleep(200);
  return all[all.length - 1];
}

const emu = await startEmulator(['--app', join(ROOT, 'task-report.zip'), '--tasks', String(TASKS), '--bucket', 'off']);
const browser = await launchBrowser();
const results = [];
try {
  await fetch(emu.portal + '/__portal/installed', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"v":"Y"}' });
  await fetch(emu.portal + '/__portal/user-option', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user: 1, name: 'taskReportView', value: '' }) });
  const portal = await openPortal(browser, emu, { lang: 'en' });
  try {
    await waitForLoadState(portal.frame, ['done'], { timeoutMs: 600000 });
    const f = portal.frame();
    await waitFor(async () => {
      const first = await f.textContent('[data-testid=person-row] th').catch(() => '');
      return first && !/^User #/.test(first.trim());
    }, { what: 'resolved names', timeoutMs: 120000 });
    const rows = await f.$$eval('[data-testid=row]', (r) => r.length);
    const run = async (label, name, act, reset) => {
      const times = [];
      for (let i = 0; i < REPS; i += 1) {
        times.push(await timed(f, name, act));
        if (reset) await reset();
      }
      results.push({ action: label, measure: name, runs_ms: times, median_ms: median(times), max_ms: Math.max(...times) });
    };
    for (const [label, value] of [['group by responsible', '3'], ['group by deadline bucket', '6']]) {
      await run(label, 'task-report:group',
        () => f.selectOption('[data-testid=group-by]', value),
        async () => { await f.selectOption('[data-testid=group-by]', '0'); await sleep(200); });
    }
    // A date preset (deadline "this week", in the portal's offset), then back to any date.
    await f.click('[data-testid=filter-date-deadline] summary');
    const radios = '[data-testid=filter-date-deadline] input[type=radio]';
    await run('filter: deadline this week', 'task-report:query',
      () => f.click(`${radios} >> nth=2`),
      async () => { await f.click(`${radios} >> nth=0`); await sleep(300); });
    await f.click('[data-testid=filter-date-deadline] summary');
    for (const [label, cls] of [['sort by responsible', 'c-responsible'], ['sort by deadline', 'c-deadline']]) {
      const header = `th.${cls} button`;
      if (!(await f.$(header))) {
        results.push({ action: label, measure: 'task-report:query', missing: `no ${header} in the table` });
        continue;
      }
      await run(label, 'task-report:query', () => f.click(header));
    }
    results.push({ dom_rows: rows });
  } finally { await portal.close(); }
} finally {
  await browser.close();
  await emu.stop();
}

const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
const dir = join(BENCH, 'runs', `${stamp}-views`);
mkdirSync(dir, { recursive: true });
const out = {
  date: new Date().toISOString(),
  machine: machine(),
  browser: browserVersion(),
  command: `node bench/harness/views-speed.mjs --tasks ${TASKS} --reps ${REPS}`,
  results,
};
writeFileSync(join(dir, 'views.json'), JSON.stringify(out, null, 2));
console.log(`| action (${TASKS} tasks) | measure | median (ms) | max (ms) | runs (ms) |`);
console.log('| --- | --- | ---: | ---: | --- |');
for (const r of results.filter((r) => r.action)) {
  if (r.missing) { console.log(`| ${r.action} | ${r.measure} | — | — | ${r.missing} |`); continue; }
  console.log(`| ${r.action} | \`${r.measure}\` | ${r.median_ms.toFixed(1)} | ${r.max_ms.toFixed(1)} | ${r.runs_ms.map((x) => x.toFixed(1)).join(', ')} |`);
}
console.log(`wrote ${join(dir, 'views.json')}`);
