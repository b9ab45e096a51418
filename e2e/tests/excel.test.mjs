// Excel export (issue 16) inside the emulated portal, in English and Russian: a filtered,
// grouped view exported to .xlsx and read back with an independent reader (exceljs) is the
// CSV export of the same view cell by cell, typed (IDs numbers, labels text, dates dates);
// ID and title link to the task's page; the second sheet is the on-screen pivot; nothing of
// the exporter is fetched before the first export; a blocked exporter gives a clear message
// and the CSV export instead.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { launchBrowser, startInstalledApp, resetSavedView, openPortal, waitFor, waitForLoadState, exportCsv, csvTable } from '../lib/rig.mjs';

const N = 3000;
let browser;
let emu;
before(async () => { [browser, emu] = await Promise.all([launchBrowser(), startInstalledApp(N)]); });
after(async () => { await browser?.close(); await emu?.stop(); });
beforeEach(() => resetSavedView(emu));

/** Clicks "Excel", waits for the download; returns its file name and the workbook. */
async function exportXlsx(page, frame) {
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 60000 }),
    frame().click('[data-testid=export-xlsx]'),
  ]);
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(await download.path());
  return { name: download.suggestedFilename(), book };
}

/**
 * A cell as {type, value, link}. A link cell is a HYPERLINK(url, value) formula: its value is
 * the formula's own second argument, which must equal the cached result. (exceljs decodes a
 * cached string result's XML entities twice, so "&amp;" in a title would read back as "&":
 * where the text holds "&" only the argument is compared.)
 */
function read(cell) {
  const v = cell.value;
  if (v && typeof v === 'object' && 'formula' in v) {
    const m = /^HYPERLINK\("((?:[^"]|"")*)",(?:"((?:[^"]|"")*)"|([0-9]+))\)$/.exec(v.formula);
    assert.ok(m, `a link formula: ${v.formula}`);
    const value = m[2] !== undefined ? m[2].replace(/""/g, '"') : Number(m[3]);
    if (!String(value).includes('&')) assert.equal(v.result, value, `cached result of ${v.formula}`);
    return { type: typeof value === 'number' ? 'number' : 'string', value, link: m[1].replace(/""/g, '"') };
  }
  if (v instanceof Date) return { type: 'date', value: v };
  if (v === null || v === undefined) return { type: 'empty', value: null };
  return { type: typeof v, value: v };
}

/** The CSV text of a date cell (exceljs reads the serial as a UTC Date of the local clock). */
function dateText(lang, d) {
  const p = (n) => String(n).padStart(2, '0');
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const time = `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
  return lang === 'en'
    ? `${months[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} ${time}`
    : `${p(d.getUTCDate())}.${p(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${time}`;
}

/** The sheet is the on-screen table `selector` (header, rows, totals row), counts as numbers. */
async function samePivot(f, selector, sheet, lang, total, totalAt) {
  const screen = await f.$$eval(`${selector} tr`, (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
  const rows = [];
  sheet.eachRow((row) => rows.push(row.values.slice(1)));
  assert.equal(rows.length, screen.length, `${selector}: ${rows.length} rows vs ${screen.length} on screen`);
  rows.forEach((row, i) => {
    assert.equal(row.length, screen[i].length, `${selector} row ${i}: ${JSON.stringify(row)} vs ${JSON.stringify(screen[i])}`);
    row.forEach((v, j) => {
      if (i > 0 && j > 0) {
        assert.equal(typeof v, 'number', `${selector} ${i},${j}`);
        assert.equal(v, digits(screen[i][j]), `${selector} ${i},${j}`);
      } else assert.equal(v, screen[i][j], `${selector} ${i},${j}: ${JSON.stringify(row)} vs ${JSON.stringify(screen[i])}`);
    });
  });
  assert.equal(rows.at(-1)[0], LANG[lang].total);
  assert.equal(rows.at(-1).at(totalAt), total);
}

const digits = (s) => Number(String(s).replace(/\D/g, ''));

const LANG = {
  en: { sheets: ['Tasks', 'Status × priority', 'Responsible × status'], total: 'Total' },
  ru: { sheets: ['Задачи', 'Статус × приоритет', 'Исполнитель × статус'], total: 'Итого' },
};

for (const lang of ['en', 'ru']) {
  test(`${lang}: a filtered, grouped view exported to Excel is its CSV export, typed and linked, with the pivot`, async () => {
    const p = await openPortal(browser, emu, { lang });
    const fetched = [];
    p.page.context().on('request', (r) => fetched.push(r.url()));
    let workers = 0;
    p.page.on('worker', () => { workers += 1; });
    try {
      await waitForLoadState(p.frame, ['done']);
      const f = p.frame();
      // Nothing of the exporter before the first export.
      assert.deepEqual(fetched.filter((u) => /exporter/.test(u)), []);
      assert.equal(workers, 0);

      // Filter (a search word from the titles) and group by priority.
      const all = csvTable(await exportCsv(p.page, p.frame));
      const word = all.slice(1).map((r) => r[1]).join(' ').split(/\s+/).find((w) => /^[A-Za-zА-Яа-яЁё]{5,}$/.test(w));
      await f.fill('[data-testid=search]', word);
      await waitFor(async () => /\d/.test(await f.textContent('[data-testid=shown-count]'))
        && csvTable(await exportCsv(p.page, p.frame)).length < all.length, { what: 'search applied' });
      await f.selectOption('[data-testid=group-by]', '2');
      await waitFor(async () => (await f.$$('[data-testid=group]')).length >= 2, { what: 'groups' });
      const csv = csvTable(await exportCsv(p.page, p.frame));
      const [csvHead, ...csvRows] = csv;
      assert.ok(csvRows.length > 0 && csvRows.length < N, `${csvRows.length} rows`);

      const { name, book } = await exportXlsx(p.page, p.frame);
      const today = new Date();
      const day = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
      assert.equal(name, `tasks-${new URL(emu.portal).hostname}-${day}.xlsx`);
      assert.ok(fetched.some((u) => /exporter-worker\.js$/.test(u)), 'the exporter is fetched on the first export');
      assert.deepEqual(book.worksheets.map((s) => s.name), LANG[lang].sheets);

      // Sheet 1: header, then per group a header row and its tasks, in the CSV's order.
      const sheet = book.worksheets[0];
      const head = sheet.getRow(1).values.slice(1);
      const groups = [];
      const tasks = [];
      sheet.eachRow((row, n) => {
        if (n === 1) return;
        const cells = head.map((_, i) => read(row.getCell(i + 1)));
        if (cells[0].type === 'string' && !cells[0].link) groups.push(cells[0].value);
        else tasks.push(cells);
      });
      const onScreen = await f.$$eval('[data-testid=group] .group-toggle', (bs) => bs.map((b) => {
        const [, label, count] = b.children;
        return `${label.textContent} (${count.textContent})`;
      }));
      assert.equal(groups.length, onScreen.length, `groups ${groups} vs screen ${onScreen}`);
      groups.forEach((g, i) => assert.equal(g, onScreen[i], `group ${i}`));
      assert.equal(tasks.length, csvRows.length);
      const shared = head.map((h) => csvHead.indexOf(h));
      for (const column of ['ID', lang === 'en' ? 'Title' : 'Название']) assert.ok(head.includes(column) && csvHead.includes(column), `${column} in ${head} and ${csvHead}`);
      let compared = 0;
      tasks.forEach((cells, r) => {
        const line = csvRows[r];
        const id = Number(line[0]);
        cells.forEach((cell, c) => {
          const at = shared[c];
          if (at < 0) {
            // A column the CSV does not have (yet): typed by its kind anyway.
            assert.ok(['empty', 'string', 'date', 'number'].includes(cell.type), `${head[c]} of ${id}`);
            return;
          }
          const text = line[at].replace(/^'/, '');
          const where = `${head[c]} of task ${id} (row ${r + 2})`;
          if (c === 0) assert.equal(cell.type, 'number', where);
          if (cell.type === 'number') assert.equal(String(cell.value), text, where);
          else if (cell.type === 'date') assert.equal(dateText(lang, cell.value), text, where);
          else if (cell.type === 'empty') assert.ok(text === '' || text === '—', `${where}: ${text}`);
          else assert.equal(cell.value, text, where);
          compared += 1;
        });
        // ID and title link to the task's page in the portal.
        const link = cells[0].link;
        assert.match(link, new RegExp(`^${emu.portal.replace(/[.]/g, '\\.')}/company/personal/user/\\d+/tasks/task/view/${id}/$`), `link of ${id}`);
        // A formula's text argument holds at most 255 characters: a longer title is plain text.
        if (cells[1].value.length <= 255) assert.equal(cells[1].link, link, `title link of ${id}`);
        else assert.ok(!cells[1].link, `long title of ${id} without a link`);
      });
      assert.ok(compared >= csvRows.length * 4, `${compared} cells compared`);

      // Sheets 2 and 3: the on-screen pivots, cell by cell, counts as numbers.
      await samePivot(f, '[data-testid=pivot]', book.worksheets[1], lang, N, -1);
      await samePivot(f, '[data-testid=person-pivot]', book.worksheets[2], lang, N, 2);
      assert.deepEqual(p.errors, []);
    } finally { await p.close(); }
  });
}

test('a blocked exporter: a clear message, the CSV export instead, and the report keeps working', async () => {
  const p = await openPortal(browser, emu, { lang: 'ru' });
  await p.page.context().route(/exporter/, (route) => route.abort());
  try {
    await waitForLoadState(p.frame, ['done']);
    const f = p.frame();
    const [download] = await Promise.all([
      p.page.waitForEvent('download', { timeout: 30000 }),
      f.click('[data-testid=export-xlsx]'),
    ]);
    assert.match(download.suggestedFilename(), /\.csv$/);
    assert.match(await f.textContent('[data-testid=export-xlsx] + [role=status]'), /Excel не удался, скачан CSV/);
    assert.equal(await f.textContent('[data-testid=export-xlsx]'), 'Excel');
    // The rest of the report is untouched: sorting still works.
    await f.click('th.c-title button');
    await waitFor(async () => (await f.getAttribute('th.c-title', 'aria-sort')) === 'ascending', { what: 'title sort' });
  } finally { await p.close(); }
});
