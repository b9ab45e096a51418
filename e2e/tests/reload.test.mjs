// The report's own controls of a running load and of its saved view, inside the emulated
// portal: Reload during a slow load cancels it and starts over (nothing of the first run
// mixes into the second), and a view the portal refuses to store is said once in the footer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launchBrowser, startEmulator, openPortal, waitFor, waitForLoadState, exportCsv, csvIds, ROOT } from '../lib/rig.mjs';

const N = 12000;
let browser;
let emu;
before(async () => {
  browser = await launchBrowser();
  // 300 ms per request: the load takes a few seconds, long enough to press Reload in between.
  emu = await startEmulator(['--app', join(ROOT, 'task-report.zip'), '--tasks', String(N), '--latency-ms', '300']);
  await fetch(emu.portal + '/__portal/installed', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"v":"Y"}' });
});
after(async () => { await browser?.close(); await emu?.stop(); });

/** The load status of the app frame (`data-state`) and the rows on screen. */
async function progress(f) {
  const state = await f.getAttribute('[data-testid=load-status]', 'data-state', { timeout: 1000 }).catch(() => null);
  const rows = (await f.$$('[data-testid=row]')).length;
  return { state, rows };
}

test('Reload while tasks are loading cancels the load and starts over; every task once', async () => {
  await emu.resetStats();
  const p = await openPortal(browser, emu, { lang: 'en' });
  try {
    // Mid-load: the first rows are on screen, the load is still running.
    await waitFor(async () => {
      const { state, rows } = await progress(p.frame());
      return ['loading', 'waiting'].includes(state) && rows > 0;
    }, { what: 'a running load with rows', timeoutMs: 60000 });
    const first = await emu.stats();
    assert.equal(first.by_method['task.item.list'], 1, 'the first load sent its request 1 once');
    await p.frame().click('[data-testid=reload]');
    // The load starts over: request 1 (the single task.item.list call) goes out again.
    await waitFor(async () => (await emu.stats()).by_method['task.item.list'] === 2, { what: 'request 1 of the new load', timeoutMs: 20000 });
    await waitForLoadState(p.frame, ['done']);
    const ids = csvIds(await exportCsv(p.page, p.frame));
    assert.equal(ids.length, N, 'every task is in the report');
    assert.equal(new Set(ids).size, N, 'no task appears twice');
    const truth = new Set(await emu.truth());
    assert.deepEqual(ids.filter((id) => !truth.has(id)).slice(0, 10), []);
    const stats = await emu.stats();
    assert.equal(stats.by_method['task.item.list'], 2, 'request 1 went out once per load');
    // The first load stopped at the click (at most its request in flight finished): the
    // second load alone is at most ceil(N / 2500) + 2 requests.
    const secondLoad = stats.requests - first.requests;
    assert.ok(secondLoad <= 2 + Math.ceil(N / 2500) + 2, `${secondLoad} requests after the first load's ${first.requests}`);
    assert.match(await p.frame().textContent('[data-testid=load-stats]'), /12,000 tasks/);
    // Playwright's context blocks the frame's third-party storage: the line that says the
    // tasks are not kept between visits may be there (README "The stored snapshot"), no other.
    const notices = await p.frame().$$eval('[data-testid=notices] li', (items) => items.map((li) => li.textContent));
    assert.deepEqual(notices.filter((n) => !n.startsWith('This browser does not let the app keep its tasks')), [], 'no duplicate or mismatch notice');
  } finally { await p.close(); }
});

test('a view the portal does not store is said once in the footer, in the user\'s language', async () => {
  const p = await openPortal(browser, emu, { lang: 'de' });
  try {
    await waitForLoadState(p.frame, ['done']);
    const f = p.frame();
    const line = 'Ihre Ansicht konnte nicht gespeichert werden.';
    // BX24.userOption.set throws (e.g. the portal page is gone): every save fails.
    await f.evaluate(() => {
      window.savedSet = window.BX24.userOption.set;
      window.failedSets = 0;
      window.BX24.userOption.set = () => { window.failedSets += 1; throw new Error('refused'); };
    });
    await f.click('th.c-title button');
    await waitFor(async () => (await f.textContent('[data-testid=footer]')).includes(line), { what: 'the unsaved-view line', timeoutMs: 10000 });
    // Another change fails again: still one line, not one per attempt.
    await f.click('th.c-priority button');
    await waitFor(async () => (await f.evaluate(() => window.failedSets)) >= 2, { what: 'the second failed save', timeoutMs: 10000 });
    const footer = await f.textContent('[data-testid=footer]');
    assert.equal(footer.split(line).length - 1, 1, footer);
    // Once the portal stores views again, the line goes away.
    await f.evaluate(() => { window.BX24.userOption.set = window.savedSet; });
    await f.click('th.c-title button');
    await waitFor(async () => !(await f.textContent('[data-testid=footer]')).includes(line), { what: 'the line gone after a saved view', timeoutMs: 10000 });
  } finally { await p.close(); }
});
