// Cold first rows do not wait for the portal's size (issue 15): the rows of the first page are
// painted before the next batch is sent or parsed, at any N — at most 150 ms after the first
// answer, at 120 and at 100 000 tasks, with the real SDK stand-in and no added latency.
//
// Measured in the app's frame, independently of the app's own marks: the first REST answer's
// `responseEnd` (Resource Timing) and the first animation frame after the first task row is in
// the DOM (a MutationObserver installed before the app starts). Each stage is a
// `performance.mark` in the frame (`e2e:first-answer`, `e2e:first-row-in-dom`,
// `e2e:first-row-painted`), next to the app's own `task-report:first-rows` (rows in the app's
// state). The rows must reach the state before the second request is sent, and be painted
// within the budget: the median of five cold opens (one or two slow opens on a busy machine are not
// the app's behaviour; three of five are — a median of three failed CI at 151 ms on a loaded machine).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launchBrowser, startEmulator, routeSdk, waitFor, ROOT } from '../lib/rig.mjs';

const APP = join(ROOT, 'task-report.zip');
const BUDGET_MS = 150;

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** Runs in every frame before its scripts: marks the first task row in the DOM and its paint. */
function watchFirstRow() {
  if (!/\/app_local\//.test(location.href)) return;
  const seen = () => document.querySelector('[data-testid=row]');
  const observer = new MutationObserver(() => {
    if (!seen()) return;
    observer.disconnect();
    performance.mark('e2e:first-row-in-dom');
    requestAnimationFrame(() => performance.mark('e2e:first-row-painted'));
  });
  const start = () => observer.observe(document.documentElement, { childList: true, subtree: true });
  if (document.documentElement) start(); else document.addEventListener('DOMContentLoaded', start);
}

/** The stages of one cold open of a portal of `n` tasks, in ms of the frame's clock. */
async function measure(n) {
  const emu = await startEmulator(['--app', APP, '--tasks', String(n), '--bucket', 'off']);
  try {
    await fetch(emu.portal + '/__portal/installed', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"v":"Y"}' });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await page.addInitScript(watchFirstRow);
      await routeSdk(page, await (await fetch(emu.portal + '/api/v1/')).text());
      await page.goto(`${emu.portal}/?user=1&lang=en`);
      const frame = () => page.frames().find((f) => /\/app_local\//.test(f.url()));
      await waitFor(() => frame(), { what: 'the app frame' });
      const stages = await waitFor(() => frame().evaluate(() => {
        const mark = (name) => performance.getEntriesByName(name, 'mark')[0]?.startTime;
        const rest = performance.getEntriesByType('resource')
          .filter((e) => /\/rest\//.test(e.name))
          .sort((a, b) => a.startTime - b.startTime);
        const first = rest[0];
        if (rest.length < 2 || mark('e2e:first-row-painted') === undefined) return null;
        performance.mark('e2e:first-answer', { startTime: first.responseEnd });
        return {
          firstRequest: first.startTime,
          firstAnswer: first.responseEnd,
          secondRequest: rest[1].startTime,
          appFirstRows: mark('task-report:first-rows') ?? null,
          inDom: mark('e2e:first-row-in-dom'),
          painted: mark('e2e:first-row-painted'),
          requests: rest.length,
        };
      }), { what: 'the first-row marks', timeoutMs: 60000 });
      const requests = (await emu.stats()).requests;
      return { ...stages, emulatorRequests: requests };
    } finally { await context.close(); }
  } finally { await emu.stop(); }
}

const OPENS = 5;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const n of [120, 100000]) {
  test(`N = ${n}: the first page's rows are painted within ${BUDGET_MS} ms of the first answer (median of ${OPENS} cold opens)`, async () => {
    const runs = [];
    for (let i = 0; i < OPENS; i += 1) runs.push(await measure(n));
    const after = runs.map((s) => s.painted - s.firstAnswer);
    for (const s of runs) {
      console.log(`first rows N=${n}: ${JSON.stringify(s)} painted ${Math.round(s.painted - s.firstAnswer)} ms after the first answer`);
      assert.ok(s.painted >= s.firstAnswer, `painted before the first answer? ${JSON.stringify(s)}`);
      // Painted before the second answer was parsed: the first page does not wait for the
      // batch behind it (at 100 000 tasks that batch carries 2 500 rows).
      assert.ok(s.appFirstRows <= s.secondRequest, JSON.stringify(s));
    }
    const m = median(after);
    console.log(`first rows N=${n}: median ${Math.round(m)} ms after the first answer`);
    assert.ok(m <= BUDGET_MS, `first rows painted ${Math.round(m)} ms (median) after the first answer (budget ${BUDGET_MS} ms)`);
  });
}
