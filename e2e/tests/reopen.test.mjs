// Instant reopen (issue 15), in the emulated portal with the real SDK, one browser profile:
// a cold load stores the snapshot; after changes through /__control a reopen shows it at once
// ("as of"), brings it up to date in a few requests, and its CSV equals a cold load's on the
// same state; another user of the same portal in the same profile never sees the first user's
// tasks; with storage blocked the app loads as before and says so in the footer.
//
// Two real browser modes: a profile that allows third-party storage (a persistent profile with
// the third-party cookie setting off — the app frame is another site than the portal), and
// Playwright's default context, an incognito-like one where Chromium blocks third-party
// storage and IndexedDB throws "The user denied permission to access the database".
//
// The app is the default archive, task-report.zip (rig.mjs `startSnapshotRig`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { startSnapshotRig, launchProfile, openInContext, coldLoadIds, coldLoadCsv, waitFor, waitForLoadState, exportCsv, csvIds } from '../lib/rig.mjs';

const N = 3000;
let rig;
let browser;
let profile;
let emu;

before(async () => {
  rig = await startSnapshotRig(N);
  ({ browser, profile, emu } = rig);
});
after(async () => { await rig?.close(); });

/** Opens the portal page for `user` in `context` (one browser profile). */
const open = (context, where) => openInContext(context, emu, where);

/** The IDs a cold load exports for `user` (ascending). */
const coldIds = (user = 1) => coldLoadIds(browser, emu, user);

test('reopen: snapshot at once, a few requests, then the same CSV as a cold load', async () => {
  // 10 tasks hidden from user 1 before the first visit, revealed after it.
  await emu.control({ hide_tasks: { user: 1, count: 10, seed: 3 } });
  const context = profile;
  {
    const first = await open(context);
    await waitForLoadState(first.frame, ['done']);
    // The snapshot is written after the load; give the save a moment to finish.
    await first.page.waitForTimeout(1500);
    await first.page.close();

    const before = new Set(await emu.truth(1));
    const changed = await emu.control({
      update_tasks: 30, insert_tasks: 20, delete_tasks: 20,
      reveal_tasks: { user: 1, count: 10, seed: 1 }, hide_tasks: { user: 1, count: 10, seed: 7 },
      // User 1 opens tasks never viewed: "Not viewed" ends without CHANGED_DATE moving.
      view_tasks: { user: 1, count: 300, seed: 2 },
    });
    assert.equal(changed.tasks.revealed.length, 10);
    assert.equal(changed.tasks.viewed.length, 300);
    await emu.resetStats();
    const again = await open(context);
    // The stored tasks are on screen before the refresh ends.
    await waitFor(async () => {
      const f = again.frame();
      const asOf = await f.$('[data-testid=as-of]');
      const done = await f.getAttribute('[data-testid=load-status]', 'data-state', { timeout: 500 }).catch(() => null);
      return asOf !== null || done === 'done';
    }, { what: 'the snapshot or the end of the refresh', timeoutMs: 30000 });
    await waitForLoadState(again.frame, ['done']);
    const stats = await emu.stats();
    const csv = await exportCsv(again.page, again.frame);
    const ids = csvIds(csv).sort((a, b) => a - b);
    const truth = (await emu.truth(1)).sort((a, b) => a - b);
    assert.deepEqual(ids, truth, 'the refreshed report is exactly what user 1 may see now');
    const cold = await coldLoadCsv(browser, emu, 1);
    assert.deepEqual(ids, csvIds(cold).sort((a, b) => a - b), 'and what a cold load exports');
    // Field for field too: the statuses of the tasks viewed since ("Not viewed" ends), the
    // edited titles and dates, the names.
    const notViewed = (text) => text.split('\r\n').filter((line) => line.includes('Unviewed')).length;
    assert.ok(notViewed(cold) > 0, 'user 1 still has tasks not viewed');
    assert.equal(notViewed(csv), notViewed(cold), 'as many tasks unviewed as a cold load shows');
    assert.equal(csv, cold, 'the reopened report exports the same CSV as a cold load');
    // A cold load of 3 000 tasks takes 3 requests and its names one more; the refresh a
    // couple (plus the names).
    assert.ok(stats.requests <= 4, `reopen took ${stats.requests} requests`);
    // New to the user (inserted, revealed) or edited, and still visible; gone: deleted or
    // hidden since the snapshot.
    const updated = new Set(changed.tasks.updated);
    const expectChanged = truth.filter((id) => !before.has(id) || updated.has(id)).length;
    const expectGone = [...before].filter((id) => !truth.includes(id)).length;
    // "Changed since your last visit (N)" is a counter; clicked, it shows exactly those
    // tasks, each marked in its row; clicked again, every task.
    const counter = '[data-testid=counter-since-visit]';
    const since = await again.frame().textContent(`${counter} .counter-value`);
    assert.equal(Number(since.replace(/\D/g, '')), expectChanged, 'changed since the last visit');
    await again.frame().click(counter);
    assert.equal(await again.frame().getAttribute(counter, 'aria-pressed'), 'true');
    const changedIds = csvIds(await exportCsv(again.page, again.frame)).sort((a, b) => a - b);
    assert.deepEqual(changedIds, truth.filter((id) => !before.has(id) || updated.has(id)), 'the counter filters the new and changed tasks');
    // The Excel export too (its worker runs the saved view, which does not carry this filter).
    const [download] = await Promise.all([
      again.page.waitForEvent('download', { timeout: 60000 }),
      again.frame().click('[data-testid=export-xlsx]'),
    ]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(await download.path());
    const xlsxIds = [];
    book.worksheets[0].eachRow((row, n) => {
      // The ID cell is a link: a formula whose result is the number.
      const v = row.getCell(1).value;
      const id = Number(v !== null && typeof v === 'object' ? v.result : v);
      if (n > 1 && id > 0) xlsxIds.push(id);
    });
    assert.deepEqual(xlsxIds.sort((a, b) => a - b), changedIds, 'the Excel export keeps the same tasks');
    const marks = () => again.frame().$$eval('[data-testid=row]', (rows) => rows.map((r) => [
      Number(r.getAttribute('data-id')), r.querySelector('[data-testid=since-mark]')?.getAttribute('aria-label') ?? null]));
    const expectMark = (id) => (!changedIds.includes(id) ? null : before.has(id) ? 'Changed since your last visit' : 'New since your last visit');
    const filtered = await marks();
    assert.ok(filtered.length > 0);
    for (const [id, label] of filtered) assert.equal(label, expectMark(id), `the mark of task ${id}`);
    await again.frame().click(counter);
    assert.equal(await again.frame().getAttribute(counter, 'aria-pressed'), 'false');
    assert.equal(csvIds(await exportCsv(again.page, again.frame)).length, truth.length);
    // Unfiltered: newest first (the inserted tasks lead, marked), then oldest first (mostly
    // unmarked); the sort is put back.
    const newest = await marks();
    assert.ok(newest.some(([, l]) => l), JSON.stringify(newest));
    for (const [id, label] of newest) assert.equal(label, expectMark(id), `the mark of task ${id}`);
    const byId = 'th.c-id button.sort-button';
    await again.frame().click(byId);
    await waitFor(async () => (await again.frame().getAttribute('th.c-id', 'aria-sort')) === 'ascending', { what: 'ID ascending' });
    const oldest = await marks();
    assert.ok(oldest.some(([, l]) => !l), JSON.stringify(oldest));
    for (const [id, label] of oldest) assert.equal(label, expectMark(id), `the mark of task ${id}`);
    await again.frame().click(byId);
    await waitFor(async () => (await again.frame().getAttribute('th.c-id', 'aria-sort')) === 'descending', { what: 'ID descending' });
    const gone = await again.frame().getAttribute('[data-testid=since-visit-gone]', 'data-count');
    assert.equal(Number(gone), expectGone, 'deleted and hidden tasks are listed as gone');
    assert.ok(expectGone >= 20 && expectChanged >= 40, `${expectGone} gone, ${expectChanged} changed`);
    assert.deepEqual(again.errors, []);

    // Another user of the same portal, same profile: no snapshot of user 1 is shown, ever.
    const other = await open(context, { user: 3 });
    const mine = new Set(await emu.truth(3));
    let sawForeign = false;
    await waitFor(async () => {
      const rows = await other.frame().$$eval('[data-testid=row]', (els) => els.map((e) => Number(e.getAttribute('data-id') || e.querySelector('td')?.textContent)));
      if (rows.some((id) => Number.isFinite(id) && id > 0 && !mine.has(id))) sawForeign = true;
      const state = await other.frame().getAttribute('[data-testid=load-status]', 'data-state', { timeout: 500 }).catch(() => null);
      return state === 'done';
    }, { what: 'user 3 loaded', timeoutMs: 60000 });
    assert.equal(sawForeign, false, 'user 3 saw a task of user 1');
    assert.equal(await other.frame().$('[data-testid=as-of]'), null);
    const otherIds = csvIds(await exportCsv(other.page, other.frame));
    assert.ok(otherIds.every((id) => mine.has(id)));
    await other.page.close();
  }
});

test('storage blocked (incognito): a full load as before, and one footer line', async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  try {
    const p = await open(context);
    await waitForLoadState(p.frame, ['done']);
    // The line comes with the answer of the snapshot worker, a moment after the load.
    await waitFor(async () => /does not let the app keep its tasks/.test(await p.frame().textContent('[data-testid=footer]')),
      { what: 'the footer line about the storage', timeoutMs: 10000 });
    const ids = csvIds(await exportCsv(p.page, p.frame)).sort((a, b) => a - b);
    assert.deepEqual(ids, (await emu.truth(1)).sort((a, b) => a - b));
    assert.deepEqual(p.errors, []);
  } finally { await context.close(); }
});

test('first open: the snapshot worker is fetched only to store the complete load, after the first rows', async () => {
  // A profile that keeps storage, and a user without key material: a first open.
  const context = await launchProfile();
  await fetch(emu.portal + '/__portal/user-option', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user: 2, name: 'taskReportSnapshotKey', value: null }) });
  try {
    const p = await open(context, { user: 2 });
    const fetched = [];
    p.page.on('request', (r) => { if (/snapshot[^/]*$/.test(r.url())) fetched.push(r.url()); });
    await waitForLoadState(p.frame, ['done']);
    // The load is stored: the worker was started and the key material kept in userOption.
    await waitFor(async () => /^k1\./.test(await p.frame().evaluate(() => BX24.userOption.get('taskReportSnapshotKey') || '')),
      { what: 'the key material in BX24.userOption', timeoutMs: 15000 });
    const timing = await p.frame().evaluate(() => ({
      rows: performance.getEntriesByName('task-report:first-rows')[0]?.startTime,
      worker: performance.getEntriesByType('resource').filter((e) => /snapshot[^/]*$/.test(e.name)).map((e) => e.startTime),
    }));
    assert.ok(timing.rows > 0, JSON.stringify(timing));
    assert.ok(timing.worker.length > 0 && fetched.some((u) => u.endsWith('snapshot-worker.js')), `the worker was not fetched: ${JSON.stringify({ timing, fetched })}`);
    for (const at of timing.worker) assert.ok(at > timing.rows, `snapshot worker fetched at ${at} ms, first rows at ${timing.rows} ms`);
    assert.deepEqual(p.errors, []);
  } finally { await context.close(); }
});
