// Excel export (issue 16) inside the emulated portal, in English and Russian: a filtered,
// grouped view with non-default columns (names, dates, deadline, time estimate and spent)
// exported to .xlsx and read back with an independent reader (exceljs) is the CSV export of
// the same view, every cell's value and type (IDs numbers, titles and labels text — also a
// title "123", "TRUE", "2024-01-01" or "=SUM(A1)" —, dates dates, durations [h]:mm numbers);
// ID and title link to the task's page with its responsible; group header and subtotal rows
// are the screen's; sheets 2 and 3 are the on-screen pivots; nothing of the exporter is
// fetched before the first export; a blocked exporter gives a clear message and the CSV
// export instead.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { launchBrowser, startEmulator, resetSavedView, openPortal, waitFor, waitForLoadState, exportCsv, csvTable, responsibleOf, ROOT } from '../lib/rig.mjs';

const N = 3000;
let browser;
let emu;
before(async () => {
  browser = await launchBrowser();
  // sonet_group: project names (else "Project #12" in both exports).
  emu = await startEmulator(['--app', join(ROOT, 'task-report.zip'), '--tasks', String(N), '--app-scopes', 'task,user,sonet_group']);
  await fetch(emu.portal + '/__portal/installed', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"v":"Y"}' });
});
after(async () => { await browser?.close(); await emu?.stop(); });
beforeEach(() => resetSavedView(emu));

/** Saves user 1's view (report/view.rs format) before the app opens. */
async function saveView(view) {
  await fetch(emu.portal + '/__portal/user-option', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user: 1, name: 'taskReportView', value: JSON.stringify(view) }) });
}

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

/** Excel's day 0 (1899-12-30) in ms since the Unix epoch. */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/**
 * A cell as {type, value, link}: 'number', 'string', 'date', 'duration' (seconds) or 'empty'.
 * A link cell is a HYPERLINK(url, value) formula — its value is the formula's own second
 * argument, which must equal the cached result, of the same type — or a hyperlink object
 * (a text cell). exceljs decodes a cached string result's XML entities twice, so "&amp;" in a
 * title would read back as "&": where the text holds "&" only the argument is compared.
 */
function read(cell) {
  const v = cell.value;
  if (v && typeof v === 'object' && 'formula' in v) {
    const m = /^HYPERLINK\("((?:[^"]|"")*)",(?:"((?:[^"]|"")*)"|([0-9]+))\)$/.exec(v.formula);
    assert.ok(m, `a link formula: ${v.formula}`);
    const value = m[2] !== undefined ? m[2].replace(/""/g, '"') : Number(m[3]);
    // An empty text's cached result is an empty <v/>, which exceljs reads as no result.
    const cached = value === '' && v.result === undefined ? '' : v.result;
    if (!String(value).includes('&')) assert.strictEqual(cached, value, `cached result of ${v.formula}`);
    return { type: typeof value === 'number' ? 'number' : 'string', value, link: m[1].replace(/""/g, '"') };
  }
  if (v && typeof v === 'object' && 'hyperlink' in v) {
    assert.equal(typeof v.text, 'string', `a hyperlink object's text: ${JSON.stringify(v)}`);
    return { type: 'string', value: v.text, link: v.hyperlink };
  }
  if (cell.numFmt === '[h]:mm') {
    // A duration: a fraction of a day (exceljs may hand it over as a Date of that serial).
    const days = v instanceof Date ? (v.getTime() - EXCEL_EPOCH_MS) / 86400000 : v;
    assert.equal(typeof days, 'number', `a duration: ${JSON.stringify(v)}`);
    return { type: 'duration', value: Math.round(days * 86400) };
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

/** Seconds as the CSV and the screen write them: H:MM. */
const hmm = (secs) => `${Math.floor(secs / 3600)}:${String(Math.floor((secs % 3600) / 60)).padStart(2, '0')}`;

/**
 * A CSV field as the cell holds it: the CSV's formula guard (an apostrophe before a field
 * whose first non-blank character is = + - @ or a full-width form, or whose leading blanks
 * hold a TAB or CR; report/csv.rs) taken off.
 */
function unguard(text) {
  const rest = text.slice(1);
  return text.startsWith("'") && /^(\s*[=+\-@\uff1d\uff0b\uff0d\uff20]|[^\S\t\r]*[\t\r])/.test(rest) ? rest : text;
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
  en: {
    sheets: ['Tasks', 'Status × priority', 'Responsible × status'], total: 'Total', note: 'Note',
    types: { ID: 'number', Title: 'string', 'Created by': 'string', Project: 'string', Responsible: 'string', Deadline: 'date', Created: 'date', Closed: 'date', 'Time estimate': 'duration', 'Time spent': 'duration', Status: 'string' },
  },
  ru: {
    sheets: ['Задачи', 'Статус × приоритет', 'Исполнитель × статус'], total: 'Итого', note: 'Отметка',
    types: { ID: 'number', 'Название': 'string', 'Постановщик': 'string', 'Проект': 'string', 'Исполнитель': 'string', 'Крайний срок': 'date', 'Создана': 'date', 'Закрыта': 'date', 'Оценка времени': 'duration', 'Затрачено': 'duration', 'Статус': 'string' },
  },
};

/** The view both languages export: non-default columns, a status filter, sorted by title. */
const VIEW = {
  v: 1,
  c: ['id', 'title', 'created_by', 'project', 'responsible', 'deadline', 'created', 'closed', 'time_estimate', 'time_spent', 'status'],
  st: ['2', '3', '5'],
  s: 'title',
  d: 'a',
};

/** Titles of the emulator's dataset that look like a number, boolean, date or formula. */
const TYPED_LOOKING = ['123', 'TRUE', '2024-01-01', '=SUM(A1)', '#N/A', '1e3', '007', '12:30'];

for (const lang of ['en', 'ru']) {
  test(`${lang}: a filtered, grouped view exported to Excel is its CSV export, cell by cell, typed and linked, with the pivots`, async () => {
    await saveView(VIEW);
    const p = await openPortal(browser, emu, { lang });
    const fetched = [];
    p.page.context().on('request', (r) => fetched.push(r.url()));
    // The exporter's worker only: the snapshot's worker (issue 15) starts once the load is
    // complete, to store it.
    let workers = 0;
    p.page.on('worker', (w) => { if (/exporter/.test(w.url())) workers += 1; });
    const L = LANG[lang];
    try {
      await waitForLoadState(p.frame, ['done']);
      const f = p.frame();
      // Nothing of the exporter before the first export.
      assert.deepEqual(fetched.filter((u) => /exporter/.test(u)), []);
      assert.equal(workers, 0);

      // Group by priority on screen; names resolved (after the load) before both exports.
      await f.selectOption('[data-testid=group-by]', '2');
      await waitFor(async () => (await f.$$('[data-testid=group]')).length >= 2, { what: 'groups' });
      const csv = await waitFor(async () => {
        const t = csvTable(await exportCsv(p.page, p.frame));
        return t.slice(1).every((r) => [2, 4].every((i) => !/^(User|Project|Пользователь|Проект) #\d+$/.test(r[i]))) ? t : null;
      }, { what: 'names in the CSV', timeoutMs: 30000 });
      const [csvHead, ...csvRows] = csv;
      assert.ok(csvRows.length > N / 2 && csvRows.length < N, `the status filter keeps ${csvRows.length} of ${N}`);

      const { name, book } = await exportXlsx(p.page, p.frame);
      const today = new Date();
      const day = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
      assert.equal(name, `tasks-${new URL(emu.portal).hostname}-${day}.xlsx`);
      assert.ok(fetched.some((u) => /exporter-worker\.js$/.test(u)), 'the exporter is fetched on the first export');
      assert.deepEqual(book.worksheets.map((s) => s.name), L.sheets);

      // Sheet 1's columns are the CSV's, in order, without the CSV's note column.
      const sheet = book.worksheets[0];
      const head = sheet.getRow(1).values.slice(1);
      assert.deepEqual(head, Object.keys(L.types));
      assert.deepEqual(csvHead.filter((h) => !head.includes(h)), [L.note]);
      const at = head.map((h) => csvHead.indexOf(h));
      const durations = head.flatMap((h, i) => (L.types[h] === 'duration' ? [i] : []));

      // Rows: per group a header row, its tasks, then a subtotal row (a duration column is shown).
      const groups = [];
      const tasks = [];
      sheet.eachRow((row, n) => {
        if (n === 1) return;
        const cells = head.map((_, i) => read(row.getCell(i + 1)));
        if (cells[0].type === 'number') tasks.push(cells);
        else if (cells[0].value === L.total) groups.at(-1).subtotal = cells;
        else groups.push({ label: cells[0].value, first: tasks.length, rest: cells.slice(1) });
      });
      const screen = await f.$$eval('[data-testid=group]', (gs) => gs.map((g) => {
        const [, label, count] = g.querySelector('.group-toggle').children;
        const totals = g.querySelector('[data-testid=totals]');
        return { label: `${label.textContent} (${count.textContent})`, totals: totals ? [...totals.children].map((c) => c.textContent.trim()) : null };
      }));
      assert.deepEqual(groups.map((g) => g.label), screen.map((g) => g.label));
      groups.forEach((g, i) => {
        const where = `group ${g.label}`;
        assert.ok(g.rest.every((c) => c.type === 'empty'), `${where}: one label cell`);
        const end = groups[i + 1]?.first ?? tasks.length;
        assert.equal(digits(g.label.slice(g.label.lastIndexOf('('))), end - g.first, `${where}: its count`);
        assert.ok(g.subtotal, `${where}: a subtotal row`);
        for (const c of durations) {
          const sum = tasks.slice(g.first, end).reduce((s, t) => s + (t[c].type === 'duration' ? t[c].value : 0), 0);
          assert.deepEqual(g.subtotal[c], { type: 'duration', value: sum }, `${where}: ${head[c]} subtotal`);
          if (screen[i].totals) assert.equal(hmm(sum), screen[i].totals[c], `${where}: ${head[c]} as on screen`);
        }
      });

      // Every task cell is the CSV's cell of the same column, with the column's type.
      assert.equal(tasks.length, csvRows.length);
      const linkOf = new Map();
      const typed = new Set();
      let compared = 0;
      tasks.forEach((cells, r) => {
        const line = csvRows[r];
        const id = Number(line[at[0]]);
        cells.forEach((cell, c) => {
          const text = unguard(line[at[c]]);
          const where = `${head[c]} of task ${id} (CSV line ${r + 2}): ${JSON.stringify(cell)} vs ${JSON.stringify(text)}`;
          if (cell.type === 'empty') assert.equal(text, '—', where);
          else {
            assert.equal(cell.type, L.types[head[c]], where);
            if (cell.type === 'date') assert.equal(dateText(lang, cell.value), text, where);
            else if (cell.type === 'duration') assert.equal(hmm(cell.value), text, where);
            else assert.strictEqual(String(cell.value), text, where);
          }
          compared += 1;
        });
        if (TYPED_LOOKING.includes(cells[1].value)) typed.add(cells[1].value);
        // ID and title link to the task's page (a title over 255 characters is plain text).
        const link = cells[0].link;
        assert.match(link, new RegExp(`^${emu.portal.replace(/[.]/g, '\\.')}/company/personal/user/\\d+/tasks/task/view/${id}/$`), `link of ${id}`);
        if (cells[1].value.length <= 255) assert.equal(cells[1].link, link, `title link of ${id}`);
        else assert.ok(!cells[1].link, `long title of ${id} without a link`);
        linkOf.set(id, link);
      });
      assert.equal(compared, csvRows.length * head.length);
      // Titles that look like a number, boolean, date or formula came through as text.
      assert.deepEqual([...typed].sort(), [...TYPED_LOOKING].sort(), 'the dataset\'s typed-looking titles are in the view');
      // The right task: the user in the link is the task's responsible as the portal answers it
      // (a sample: the first task of each group and each typed-looking title's first task).
      const sample = new Set(groups.map((g) => tasks[g.first][0].value));
      for (const t of TYPED_LOOKING) sample.add(tasks.find((c) => c[1].value === t)[0].value);
      for (const id of sample) {
        assert.equal(linkOf.get(id), `${emu.portal}/company/personal/user/${await responsibleOf(emu, id)}/tasks/task/view/${id}/`);
      }

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
