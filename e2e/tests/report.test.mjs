// The report's features inside the emulated portal, in English and Russian: labels and
// number formats, sorting, search, presets, grouping, opening a task in the portal slider,
// the saved view restored from BX24.userOption, and CSV export of exactly what is shown.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launchBrowser, startEmulator, openPortal, waitFor, waitForLoadState, exportCsv, csvIds, csvTable, responsibleOf, ROOT } from '../lib/rig.mjs';

const N = 3000;
let browser;
let emu;
before(async () => {
  browser = await launchBrowser();
  emu = await startEmulator(['--app', join(ROOT, 'task-report.zip'), '--tasks', String(N)]);
  await fetch(emu.portal + '/__portal/installed', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"v":"Y"}' });
});
after(async () => { await browser?.close(); await emu?.stop(); });
// Every test starts from the default view (the saved view lives in the emulated portal).
beforeEach(async () => {
  await fetch(emu.portal + '/__portal/user-option', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user: 1, name: 'taskReportView', value: '' }) });
});

/** The header labels of the columns csvRows picks (ID, title, priority, status, note). */
const PICKED = [
  ['ID', 'Title', 'Priority', 'Status', 'Note'],
  ['ID', 'Название', 'Приоритет', 'Статус', 'Отметка'],
];

/** Rows of an exported CSV: [id, title, priority, status, note], found by their header (the
 * CSV follows the visible columns, issue 14). */
function csvRows(text) {
  const [header, ...rows] = csvTable(text);
  const labels = PICKED.find((l) => header.includes(l[1])) ?? PICKED[0];
  const at = labels.map((label) => header.indexOf(label));
  assert.ok(at.every((i) => i >= 0), `CSV header ${header}`);
  return rows.map((cells) => at.map((i) => cells[i]));
}

// The report's collation: trimmed, lower case, ё = е (a leading ' is the CSV's formula guard).
const fold = (s) => s.replace(/^'/, '').trim().toLowerCase().replace(/ё/g, 'е');

const LANG = {
  en: { title: 'Task report', count: `${N.toLocaleString('en-US')} of ${N.toLocaleString('en-US')}`, completed: 'Completed' },
  ru: { title: 'Отчёт по задачам', count: '3\u00a0000 из 3\u00a0000', completed: 'Завершена' },
};

for (const lang of ['en', 'ru']) {
  test(`${lang}: labels, sorting by title, search, preset, grouping and CSV export`, async () => {
    const p = await openPortal(browser, emu, { lang });
    try {
      await waitForLoadState(p.frame, ['done']);
      const f = p.frame();
      assert.match(await f.textContent('[data-testid=report]'), new RegExp(LANG[lang].title));
      assert.match(await f.textContent('[data-testid=shown-count]'), new RegExp(LANG[lang].count));

      // Sort by title: the header says so and the exported rows are in title order.
      await f.click('th.c-title button');
      await waitFor(async () => (await f.getAttribute('th.c-title', 'aria-sort')) === 'ascending', { what: 'title sort' });
      const exported = csvRows(await exportCsv(p.page, p.frame));
      const sorted = exported.map((r) => fold(r[1]));
      assert.equal(sorted.length, N);
      const outOfOrder = sorted.findIndex((t, i) => i > 0 && sorted[i - 1].localeCompare(t, 'ru') > 0 && sorted[i - 1] > t);
      assert.equal(outOfOrder, -1, `title order broken at ${outOfOrder}: ${sorted[outOfOrder - 1]} > ${sorted[outOfOrder]}`);

      // Search for a word of a visible title: every exported row contains it.
      const word = exported.map((r) => r[1]).join(' ').split(/\s+/).find((w) => /^[A-Za-zА-Яа-яЁё]{5,}$/.test(w));
      await f.fill('[data-testid=search]', word.toUpperCase());
      await waitFor(async () => !(await f.textContent('[data-testid=shown-count]')).includes(LANG[lang].count), { what: 'search applied' });
      const found = csvRows(await exportCsv(p.page, p.frame));
      assert.ok(found.length > 0 && found.length < N, `${found.length} rows`);
      assert.ok(found.every((r) => fold(r[1]).includes(fold(word))), `every row contains ${word}`);
      await f.fill('[data-testid=search]', '');

      // The Completed preset: only completed tasks.
      await f.click('[data-testid=preset-2]');
      await waitFor(async () => (await f.getAttribute('[data-testid=preset-2]', 'aria-pressed')) === 'true'
        || (await f.getAttribute('[data-testid=preset-2]', 'aria-checked')) === 'true', { what: 'preset active' });
      const completed = csvRows(await exportCsv(p.page, p.frame));
      assert.ok(completed.length > 0);
      assert.ok(completed.every((r) => r[3] === LANG[lang].completed), `statuses: ${[...new Set(completed.map((r) => r[3]))]}`);
      await f.click('[data-testid=preset-0]');

      // Group by status: one collapsible table per status, and still at most 200 rows in the DOM.
      await f.selectOption('[data-testid=group-by]', '1');
      await waitFor(async () => (await f.$$('[data-testid=group]')).length >= 5, { what: 'groups' });
      assert.ok((await f.$$('[data-testid=row]')).length <= 200);
      await f.selectOption('[data-testid=group-by]', '0');
    } finally { await p.close(); }
  });
}

test('a row opens the task card in the portal slider (BX24.openPath)', async () => {
  const p = await openPortal(browser, emu, { lang: 'en' });
  try {
    await waitForLoadState(p.frame, ['done']);
    const id = await p.frame().getAttribute('[data-testid=row]', 'data-id');
    await p.frame().click('[data-testid=row] .title-text');
    await waitFor(async () => !(await p.page.isHidden('#slider-overlay')), { what: 'the portal slider' });
    // The documented path with the task's responsible user (docs/platform/task-links.md); the
    // portal adds its own from=rest_placement&from_app=… (docs/platform/frame-protocol.md,
    // "Window and navigation").
    const user = await responsibleOf(emu, id);
    assert.ok((await p.page.textContent('#slider-path')).startsWith(`/company/personal/user/${user}/tasks/task/view/${id}/`));
    await p.page.click('#slider-close');
  } finally { await p.close(); }
});

test('the view (sort, search) is saved in BX24.userOption and restored next time', async () => {
  const p = await openPortal(browser, emu, { lang: 'en' });
  try {
    await waitForLoadState(p.frame, ['done']);
    await p.frame().click('th.c-priority button');
    await p.frame().fill('[data-testid=search]', 'report');
    await waitFor(async () => JSON.stringify((await emu.stats()).user_options).includes('report'), { what: 'setUserOption' });
  } finally { await p.close(); }
  const again = await openPortal(browser, emu, { lang: 'en' });
  try {
    await waitForLoadState(again.frame, ['done']);
    const f = again.frame();
    assert.equal(await f.inputValue('[data-testid=search]'), 'report');
    assert.notEqual(await f.getAttribute('th.c-priority', 'aria-sort'), 'none');
    assert.ok(await f.getAttribute('th.c-priority', 'aria-sort'));
  } finally { await again.close(); }
});

test('where the portal cannot open a task (mobile app), rows become plain links', async () => {
  const p = await openPortal(browser, emu, { lang: 'en', query: '&mobile=1' });
  try {
    await waitForLoadState(p.frame, ['done']);
    const id = await p.frame().getAttribute('[data-testid=row]', 'data-id');
    await p.frame().click('[data-testid=row] .title-text');
    // The portal answers METHOD_NOT_SUPPORTED_ON_DEVICE; the app falls back to normal links.
    const href = await waitFor(() => p.frame().getAttribute(`[data-testid=row][data-id="${id}"] a`, 'href', { timeout: 500 }).catch(() => null), { what: 'a task link' });
    assert.equal(href, `${emu.portal}/company/personal/user/${await responsibleOf(emu, id)}/tasks/task/view/${id}/`);
    assert.ok(await p.page.isHidden('#slider-overlay'));
  } finally { await p.close(); }
});

test('no horizontal scrollbar at 1280 px, and the portal frame fits the content', async () => {
  const p = await openPortal(browser, emu, { lang: 'ru', viewport: { width: 1280, height: 900 } });
  try {
    await waitForLoadState(p.frame, ['done']);
    const [scrollWidth, clientWidth] = await p.frame().evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    assert.ok(scrollWidth <= clientWidth, `${scrollWidth} > ${clientWidth}`);
    // BX24.fitWindow: the iframe is as tall as the app's content (no inner page scrollbar).
    const fitted = () => waitFor(async () => {
      const content = await p.frame().evaluate(() => document.body.scrollHeight);
      const frame = await p.page.evaluate(() => document.querySelector('iframe').getBoundingClientRect().height);
      return Math.abs(frame - content) <= 2 ? frame : null;
    }, { what: 'the frame fitted to the content', timeoutMs: 10000 });
    const full = await fitted();
    // The content gets shorter (a search that matches nothing): the frame follows it down, and
    // back up when the search is cleared (fitWindow alone can only grow the frame).
    await p.frame().fill('[data-testid=search]', 'zzzz-no-such-task');
    await waitFor(async () => (await fitted()) < full - 100, { what: 'the frame shrunk to the shorter content', timeoutMs: 10000 });
    await p.frame().fill('[data-testid=search]', '');
    await waitFor(async () => Math.abs((await fitted()) - full) <= 2, { what: 'the frame grown back', timeoutMs: 10000 });
    const width = await p.page.evaluate(() => document.querySelector('iframe').style.width);
    assert.equal(width, '100%', 'fitWindow gives the frame its full width back');
  } finally { await p.close(); }
});

test('counters and pivot cells filter the table to what they count', async () => {
  const p = await openPortal(browser, emu, { lang: 'en' });
  try {
    await waitForLoadState(p.frame, ['done']);
    const f = p.frame();
    const number = (s) => Number(s.replace(/[^0-9]/g, ''));
    // The "Overdue" counter: its number = the rows it leaves, all with the Overdue note.
    const overdue = number(await f.textContent('[data-testid=counter-overdue] .counter-value'));
    assert.ok(overdue > 0);
    await f.click('[data-testid=counter-overdue]');
    await waitFor(async () => (await f.getAttribute('[data-testid=counter-overdue]', 'aria-pressed')) === 'true', { what: 'counter active' });
    const rows = csvRows(await exportCsv(p.page, p.frame));
    assert.equal(rows.length, overdue);
    assert.ok(rows.every((r) => r[4] === 'Overdue'), `notes: ${[...new Set(rows.map((r) => r[4]))]}`);
    await f.click('[data-testid=counter-overdue]');
    // A pivot cell (first row = a status, first column = a priority): that many rows, all of that pair.
    const cell = await f.$('[data-testid=pivot] tbody tr:first-child .cell-button');
    const label = await cell.getAttribute('aria-label');
    const count = number(await cell.textContent());
    await cell.click();
    await waitFor(async () => (await cell.getAttribute('aria-pressed')) === 'true', { what: 'pivot cell active' });
    const picked = csvRows(await exportCsv(p.page, p.frame));
    assert.equal(picked.length, count, label);
    assert.equal(new Set(picked.map((r) => `${r[2]}|${r[3]}`)).size, 1, 'one status × priority pair');
  } finally { await p.close(); }
});

test('print: the whole current view, without the controls', async () => {
  const p = await openPortal(browser, emu, { lang: 'en' });
  try {
    await waitForLoadState(p.frame, ['done']);
    const f = p.frame();
    // Headless Chromium has no print dialog: behave like a browser opening one (beforeprint, no afterprint yet).
    await f.evaluate(() => { window.print = () => window.dispatchEvent(new Event('beforeprint')); });
    await f.click('[data-testid=print]');
    await waitFor(() => f.$('[data-testid=print-view]'), { what: 'the print view' });
    assert.equal((await f.$$('[data-testid=print-view] tbody tr')).length, N);
    await p.page.emulateMedia({ media: 'print' });
    assert.equal(await f.$eval('[data-testid=search]', (el) => getComputedStyle(el.closest('.filter-bar') || el).display), 'none');
    // Grouped by status, the printout follows the groups, like the screen and the CSV export.
    await p.page.emulateMedia({ media: 'screen' });
    await f.evaluate(() => window.dispatchEvent(new Event('afterprint')));
    await waitFor(async () => !(await f.$('[data-testid=print-view]')), { what: 'print view closed' });
    await f.selectOption('[data-testid=group-by]', '1');
    await waitFor(() => f.$('[data-testid=group]'), { what: 'groups' });
    const exported = csvIds(await exportCsv(p.page, p.frame));
    await f.click('[data-testid=print]');
    await waitFor(() => f.$('[data-testid=print-view]'), { what: 'the grouped print view' });
    const printed = await f.$$eval('[data-testid=print-view] tbody tr td:first-child', (tds) => tds.map((td) => Number(td.textContent)));
    assert.equal(printed.length, N);
    assert.deepEqual(printed, exported, 'print order = grouped screen/export order');
    assert.notDeepEqual(printed, printed.slice().sort((a, b) => b - a), 'grouped order differs from plain ID order');
  } finally { await p.close(); }
});
