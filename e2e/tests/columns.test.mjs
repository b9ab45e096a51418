// The table of issue 14 in the emulated portal, in English and Russian: the default columns
// with names and dates, the column chooser and its persistence across a reopen (saved in
// BX24.userOption), keyboard navigation, copying selected rows as TSV (read back from the
// clipboard), and the CSV export following the visible columns.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launchBrowser, startEmulator, openPortal, waitFor, waitForLoadState, exportCsv, ROOT } from '../lib/rig.mjs';

const N = 400;
let browser;
let emu;
before(async () => {
  browser = await launchBrowser();
  // sonet_group: the app may read project names (else they show as "Project #12").
  emu = await startEmulator(['--app', join(ROOT, 'task-report.zip'), '--tasks', String(N), '--app-scopes', 'task,user,sonet_group']);
  await fetch(emu.portal + '/__portal/installed', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"v":"Y"}' });
});
after(async () => { await browser?.close(); await emu?.stop(); });
beforeEach(async () => {
  await fetch(emu.portal + '/__portal/user-option', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user: 1, name: 'taskReportView', value: '' }) });
});

const LANG = {
  en: {
    header: ['ID', 'Title', 'Responsible', 'Deadline', 'Priority', 'Status'],
    project: 'Project', note: 'Note',
    fallback: /^(User|Project) #\d+$/,
    date: /^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{2}:\d{2}$/,
    relative: /^(today|tomorrow|in \d+\s+days?|overdue today|\d+\s+days? overdue)$/,
  },
  ru: {
    header: ['ID', 'Название', 'Исполнитель', 'Крайний срок', 'Приоритет', 'Статус'],
    project: 'Проект', note: 'Отметка',
    fallback: /^(Пользователь|Проект) #\d+$/,
    date: /^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}$/,
    relative: /^(сегодня|завтра|через \d+\s+(день|дня|дней)|просрочена сегодня|просрочена на \d+\s+(день|дня|дней))$/,
  },
};

const headers = (f) => f.$$eval('[data-testid=report-table] thead .sort-label', (els) => els.map((e) => e.textContent));
const cellTexts = (f, sel) => f.$$eval(`[data-testid=report-table] [data-testid=row] ${sel}`, (els) => els.map((el) => el.textContent.trim()));

/** Waits until the responsible cells show names (resolved after the load); returns them. */
const namesShown = (f, L) => waitFor(async () => {
  const cells = await cellTexts(f, 'td.c-responsible');
  return cells.length > 10 && cells.every((t) => !L.fallback.test(t)) ? cells : null;
}, { what: 'responsible names', timeoutMs: 30000 });

/** Parses CSV text (BOM, header) into rows of cells. */
function parseCsv(text, sep) {
  const rows = [];
  let row = [];
  let cur = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') quoted = false; else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) { row.push(cur); cur = ''; }
    else if (c === '\r' && body[i + 1] === '\n') { row.push(cur); rows.push(row); row = []; cur = ''; i++; }
    else cur += c;
  }
  return rows;
}

for (const lang of ['en', 'ru']) {
  const L = LANG[lang];

  test(`${lang}: the default columns show names and dates`, async () => {
    const p = await openPortal(browser, emu, { lang });
    try {
      await waitForLoadState(p.frame, ['done']);
      const f = p.frame();
      assert.deepEqual(await headers(f), L.header);
      // Names come after the load: the responsible cells turn from "User #12" into names.
      const names = await namesShown(f, L);
      assert.ok(names.some((t) => /\s/.test(t)), `names like "Name Last name": ${names.slice(0, 5)}`);
      const deadlines = await f.$$eval('[data-testid=report-table] [data-testid=row] td.c-deadline', (tds) => tds.map((td) => ({
        date: td.querySelector('.date')?.textContent ?? td.textContent.trim(),
        rel: td.querySelector('.rel')?.textContent ?? null,
      })));
      const dated = deadlines.filter((d) => d.date !== '—');
      assert.ok(dated.length > 0, 'some tasks have a deadline');
      for (const d of dated) assert.match(d.date, L.date);
      const relative = dated.filter((d) => d.rel !== null).map((d) => d.rel.replace(/\u00a0/g, ' '));
      assert.ok(relative.length > 0, 'open tasks show how far their deadline is');
      for (const r of relative) assert.match(r, L.relative);
      // The meta status (overdue, unviewed…) beside the status is never cut at 1280 px: the
      // status gives way first, and the cell's tooltip names both.
      const metas = await f.$$eval('[data-testid=report-table] [data-testid=row] td.c-status', (tds) => tds
        .filter((td) => td.querySelectorAll('.badge').length === 2)
        .map((td) => {
          const meta = td.querySelectorAll('.badge')[1];
          const cell = td.getBoundingClientRect();
          return { text: meta.textContent, cut: meta.scrollWidth > meta.clientWidth + 1 || meta.getBoundingClientRect().right > cell.right + 0.5, title: td.title };
        }));
      assert.ok(metas.length > 0, 'some tasks show a meta status');
      // Nor are the IDs or the column names of the default view.
      const cut = (els) => els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent);
      assert.deepEqual(await f.$$eval('[data-testid=report-table] [data-testid=row] td.c-id', cut), [], 'IDs shown whole');
      assert.deepEqual(await f.$$eval('[data-testid=report-table] thead .sort-label', cut), [], 'column names shown whole');
      for (const m of metas) {
        assert.ok(!m.cut, `meta status "${m.text}" shown whole`);
        assert.ok(m.title.endsWith(` · ${m.text}`), `tooltip "${m.title}" names the meta status`);
      }
    } finally { await p.close(); }
  });

  test(`${lang}: the column chooser shows, hides and moves columns, kept across a reopen; CSV follows`, async () => {
    const p = await openPortal(browser, emu, { lang });
    // Project shown (appended), Priority hidden, Deadline moved before Responsible.
    const [id, title, responsible, deadline, , status] = L.header;
    const expected = [id, title, deadline, responsible, status, L.project];
    try {
      await waitForLoadState(p.frame, ['done']);
      const f = p.frame();
      // All from the keyboard: the summary, the checkboxes and the move buttons.
      await f.focus('[data-testid=column-chooser] summary');
      await f.press('[data-testid=column-chooser] summary', 'Enter');
      await waitFor(() => f.isVisible('[data-testid=col-toggle-project]'), { what: 'the chooser open' });
      await f.focus('[data-testid=col-toggle-project]');
      await p.page.keyboard.press('Space');
      await f.focus('[data-testid=col-toggle-priority]');
      await p.page.keyboard.press('Space');
      await f.focus('[data-testid=col-up-deadline]');
      await p.page.keyboard.press('Enter');
      await waitFor(async () => JSON.stringify(await headers(f)) === JSON.stringify(expected), { what: `headers ${expected}` });
      await waitFor(async () => JSON.stringify((await emu.stats()).user_options).includes('project'), { what: 'the view saved' });

      // CSV: the visible columns in their order, the note after the status, names of projects.
      const sep = lang === 'en' ? ',' : ';';
      const csv = parseCsv(await exportCsv(p.page, p.frame), sep);
      const withNote = [...expected];
      withNote.splice(withNote.indexOf(L.header[5]) + 1, 0, L.note);
      assert.deepEqual(csv[0], withNote);
      assert.equal(csv.length - 1, N);
      const projects = csv.slice(1).map((r) => r[withNote.indexOf(L.project)]);
      assert.ok(projects.some((t) => t !== '—' && !L.fallback.test(t)), `project names: ${[...new Set(projects)].slice(0, 5)}`);
      const responsible = csv.slice(1).map((r) => r[withNote.indexOf(L.header[2])]);
      assert.ok(responsible.every((t) => t === '—' || !L.fallback.test(t)), 'every responsible named');
      for (const d of csv.slice(1).map((r) => r[withNote.indexOf(L.header[3])]).filter((t) => t !== '—')) assert.match(d, L.date);
    } finally { await p.close(); }
    const again = await openPortal(browser, emu, { lang });
    try {
      await waitForLoadState(again.frame, ['done']);
      assert.deepEqual(await headers(again.frame()), expected);
    } finally { await again.close(); }
  });

  test(`${lang}: keyboard navigation, selection and copy as TSV`, async () => {
    const p = await openPortal(browser, emu, { lang, permissions: ['clipboard-read', 'clipboard-write'] });
    try {
      await waitForLoadState(p.frame, ['done']);
      const f = p.frame();
      await namesShown(f, L);
      const focusedId = () => f.evaluate(() => document.activeElement?.getAttribute('data-id'));
      const ids = await f.$$eval('[data-testid=report-table] [data-testid=row]', (rows) => rows.map((r) => r.getAttribute('data-id')));
      await f.focus('[data-testid=row]');
      assert.equal(await focusedId(), ids[0]);
      await p.page.keyboard.press('ArrowDown');
      await waitFor(async () => (await focusedId()) === ids[1], { what: 'ArrowDown' });
      await p.page.keyboard.press('End');
      await waitFor(async () => (await f.evaluate(() => document.activeElement?.getAttribute('aria-rowindex'))) === String(N + 1), { what: 'End: the last row' })
        .catch(async (e) => { throw new Error(`${e.message}; focused: ${await f.evaluate(() => { const rows = [...document.querySelectorAll('[data-testid=report-table] [data-testid=row]')].map((r) => r.getAttribute('aria-rowindex')); const sc = document.querySelector('.table-scroll'); return JSON.stringify([document.activeElement?.outerHTML.slice(0, 100), rows[0], rows[rows.length - 1], sc.scrollTop, sc.scrollHeight, sc.clientHeight]); })}`); });
      assert.ok((await f.$$('[data-testid=row]')).length <= 200, 'the DOM stays virtualised');
      await p.page.keyboard.press('Home');
      await waitFor(async () => (await focusedId()) === ids[0], { what: 'Home' });
      // Enter opens the task like a click does.
      await p.page.keyboard.press('Enter');
      await waitFor(async () => !(await p.page.isHidden('#slider-overlay')), { what: 'the portal slider' });
      assert.match(await p.page.textContent('#slider-path'), new RegExp(`/tasks/task/view/${ids[0]}/`));
      await p.page.click('#slider-close');

      // Select three rows (Space, Shift+ArrowDown twice) and copy them.
      await f.focus(`[data-testid=row][data-id="${ids[0]}"]`);
      await p.page.keyboard.press('Space');
      await p.page.keyboard.press('Shift+ArrowDown');
      await p.page.keyboard.press('Shift+ArrowDown');
      await waitFor(async () => (await f.$$('[data-testid=row][aria-selected=true]')).length === 3, { what: 'three rows selected' });
      await p.page.keyboard.press('Control+C');
      const tsv = await waitFor(async () => {
        const text = await p.page.evaluate(() => navigator.clipboard.readText()).catch(() => '');
        return text.includes('\t') ? text : null;
      }, { what: 'the clipboard' });
      const lines = tsv.split('\r\n').filter(Boolean).map((l) => l.split('\t'));
      assert.deepEqual(lines[0], [...L.header, L.note]);
      assert.deepEqual(lines.slice(1).map((l) => l[0]), ids.slice(0, 3));
      const titles = await cellTexts(f, 'td.c-title .title-text');
      assert.equal(lines[1][1], titles[0].replace(/^'/, ''));

      // Ctrl+A: every shown row (also those outside the DOM).
      await p.page.keyboard.press('Control+A');
      await waitFor(async () => (await f.$$('[data-testid=row][aria-selected=false]')).length === 0, { what: 'all selected' });
      await p.page.keyboard.press('Control+C');
      const all = await waitFor(async () => {
        const text = await p.page.evaluate(() => navigator.clipboard.readText()).catch(() => '');
        return text.split('\r\n').filter(Boolean).length === N + 1 ? text : null;
      }, { what: 'every row on the clipboard' });
      assert.equal(all.split('\r\n').filter(Boolean).length, N + 1);
      // Escape clears the selection.
      await p.page.keyboard.press('Escape');
      await waitFor(async () => (await f.$$('[data-testid=row][aria-selected=true]')).length === 0, { what: 'Escape: nothing selected' });
    } finally { await p.close(); }
  });
}

test('the header stays in view while the table scrolls, and a column can be resized from the keyboard and by dragging', async () => {
  const p = await openPortal(browser, emu, { lang: 'en' });
  try {
    await waitForLoadState(p.frame, ['done']);
    const f = p.frame();
    const top = () => f.$eval('[data-testid=report-table] thead th', (th) => th.getBoundingClientRect().top - th.closest('.table-scroll').getBoundingClientRect().top);
    await f.$eval('.table-scroll', (el) => { el.scrollTop = 2000; });
    await waitFor(async () => Math.abs(await top()) <= 1, { what: 'a sticky header' });
    const width = () => f.$eval('th.c-title', (th) => th.getBoundingClientRect().width);
    const before = await width();
    await f.focus('th.c-title [data-testid=col-resize]');
    for (let i = 0; i < 4; i++) await p.page.keyboard.press('ArrowRight');
    // 4 × 16 px; the table first fills its card, so the column grows by a little less.
    await waitFor(async () => (await width()) >= before + 40, { what: 'the title column wider' });
    await waitFor(async () => JSON.stringify((await emu.stats()).user_options).includes('\\"w\\":{\\"title\\"'), { what: 'the width saved' });

    // …and by dragging its handle with the pointer: wider while dragging, saved on release.
    const box = await (await f.$('th.c-title [data-testid=col-resize]')).boundingBox();
    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
    const keyed = await width();
    await p.page.mouse.move(x, y);
    await p.page.mouse.down();
    await p.page.mouse.move(x + 60, y, { steps: 3 });
    await p.page.mouse.move(x + 120, y, { steps: 3 });
    await waitFor(async () => (await width()) >= keyed + 100, { what: 'the title column wider while dragging' });
    await p.page.mouse.up();
    const saved = () => emu.stats().then((st) => Number(/\\"title\\":(\d+)/.exec(JSON.stringify(st.user_options))?.[1]));
    await waitFor(async () => (await saved()) >= Math.round(keyed) + 100, { what: 'the dragged width saved' });

    // "Default columns" puts the default widths and columns back.
    await f.click('[data-testid=column-chooser] summary');
    await f.click('[data-testid=columns-reset]');
    await waitFor(async () => Math.abs((await width()) - before) <= 2, { what: 'the default width back' });
    assert.equal(await f.isDisabled('[data-testid=columns-reset]'), true);
  } finally { await p.close(); }
});
