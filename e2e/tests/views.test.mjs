// Report views (issue 14) in English and Russian: grouping by responsible (named groups, by
// name, every task once), the responsible × status pivot (most overdue first, its overdue
// column adds up to the header counter, a click filters to exactly that count), a date preset
// (deadline "this week" counted in the portal's +03:00 offset, checked against the portal's
// own FILTER, and moving on to the next week by itself at the portal's midnight, under a fake
// page clock), and a person filter with the search inside its list (checked against the
// portal's FILTER by RESPONSIBLE_ID). The portal's answers come from the emulator through the
// SDK inside the app frame, independent of the app's own query code.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launchBrowser, startEmulator, openPortal, waitFor, waitForLoadState, ROOT } from '../lib/rig.mjs';

const APP = join(ROOT, 'task-report.zip');
const TASKS = 3000;
let browser;
let emu;
before(async () => {
  browser = await launchBrowser();
  emu = await startEmulator(['--app', APP, '--tasks', String(TASKS), '--bucket', 'off']);
  await fetch(emu.portal + '/__portal/installed', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"v":"Y"}' });
});
after(async () => { await emu?.stop(); await browser?.close(); });
// Every test starts from the default view (the saved view lives in the emulated portal).
beforeEach(async () => {
  await fetch(emu.portal + '/__portal/user-option', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user: 1, name: 'taskReportView', value: '' }) });
});

const TEXT = {
  en: { fallback: /^User #\d+$/, thisWeek: 'This week', deadline: 'Deadline', of: ' of ', pivot: 'Responsible × status' },
  ru: { fallback: /^Пользователь #\d+$/, thisWeek: 'Эта неделя', deadline: 'Крайний срок', of: ' из ', pivot: 'Исполнитель × статус' },
};

/** A number as the app prints it (digit groups with , . or no-break space). */
const num = (text) => Number(String(text).replace(/[^\d]/g, ''));

/** "N of M tasks" → [N, M]. */
async function shownCount(f, lang) {
  const text = await f.textContent('[data-testid=shown-count]');
  const [n, m] = text.split(TEXT[lang].of);
  return [num(n), num(m)];
}

/** The portal's own count of tasks matching `filter` (tasks.task.list total), asked from the frame. */
async function portalTotal(f, filter) {
  return f.evaluate((filter) => new Promise((resolve, reject) => {
    // eslint-disable-next-line no-undef
    BX24.callMethod('tasks.task.list', { filter, select: ['ID'] }, (r) => {
      if (r.error()) reject(new Error(String(r.error()))); else resolve(r.total());
    });
  }), filter);
}

/** Opens the app as the admin in `lang` and waits for the load and the names. */
async function openReport(lang) {
  const portal = await openPortal(browser, emu, { lang });
  await waitForLoadState(portal.frame, ['done'], { timeoutMs: 120000 });
  const f = portal.frame();
  // The names arrive after the load: the pivot's first row is a name, not a fallback.
  await waitFor(async () => {
    const first = await f.textContent('[data-testid=person-row] th').catch(() => '');
    return first && !TEXT[lang].fallback.test(first.trim());
  }, { what: 'resolved names', timeoutMs: 30000 });
  return portal;
}

/** Today's Monday and Sunday (YYYY-MM-DD) in the portal's +03:00. */
function thisWeekInPortal() {
  const local = new Date(Date.now() + 3 * 3600 * 1000); // UTC fields = +03:00 wall clock
  const weekday = (local.getUTCDay() + 6) % 7; // Monday = 0
  const monday = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - weekday));
  const sunday = new Date(monday.getTime() + 6 * 86400 * 1000);
  const day = (d) => d.toISOString().slice(0, 10);
  return [day(monday), day(sunday)];
}

/** JavaScript's version of the app's name folding for the order check. */
const fold = (s) => s.trim().toLowerCase().replaceAll('ё', 'е');

for (const lang of ['en', 'ru']) {
  test(`${lang}: grouping by responsible names every group and keeps every task once`, async () => {
    const portal = await openReport(lang);
    try {
      const f = portal.frame();
      await f.selectOption('[data-testid=group-by]', '3');
      await waitFor(async () => (await f.$$('[data-testid=group]')).length > 1, { what: 'groups' });
      const groups = await f.$$eval('[data-testid=group] .group-toggle', (els) => els.map((el) => ({
        name: el.children[1].textContent, count: el.children[2].textContent,
      })));
      const total = groups.reduce((s, g) => s + num(g.count), 0);
      assert.equal(total, TASKS);
      const named = groups.filter((g) => !TEXT[lang].fallback.test(g.name));
      assert.ok(named.length >= groups.length - 1, JSON.stringify(groups));
      // Named groups in name order.
      const names = named.map((g) => fold(g.name));
      assert.deepEqual(names, [...names].sort(), JSON.stringify(names));
      // The grouping is kept in the saved view: a reopen shows it again.
      await waitFor(async () => JSON.stringify((await emu.stats()).user_options).includes('responsible'), { what: 'setUserOption' });
    } finally { await portal.close(); }
    const again = await openReport(lang);
    try {
      const f = again.frame();
      assert.equal(await f.$eval('[data-testid=group-by]', (s) => s.value), '3');
      assert.ok((await f.$$('[data-testid=group]')).length > 1);
    } finally { await again.close(); }
  });

  test(`${lang}: the responsible × status pivot puts the most overdue first and filters by a click`, async () => {
    const portal = await openReport(lang);
    try {
      const f = portal.frame();
      assert.equal((await f.textContent('[data-testid=person-pivot] caption')).trim(), TEXT[lang].pivot);
      // All its columns in view at 1280 px: long status names wrap in the header, no sideways scrolling.
      const overflow = await f.$eval('[data-testid=person-pivot]', (t) => t.parentElement.scrollWidth - t.parentElement.clientWidth);
      assert.ok(overflow <= 1, `the pivot is ${overflow} px wider than its card`);
      const rows = await f.$$eval('[data-testid=person-pivot] tbody tr', (trs) => trs.map((tr) => ({
        name: tr.querySelector('th').textContent,
        overdue: tr.querySelector('td.overdue').textContent,
        total: tr.querySelector('td.total').textContent,
      })));
      assert.ok(rows.length > 5, JSON.stringify(rows));
      const overdue = rows.map((r) => num(r.overdue));
      for (let i = 1; i < overdue.length - 1; i++) assert.ok(overdue[i - 1] >= overdue[i], JSON.stringify(overdue));
      assert.equal(rows.reduce((s, r) => s + num(r.total), 0), TASKS);
      const counter = num(await f.textContent('[data-testid=counter-overdue] .counter-value'));
      assert.equal(overdue.reduce((s, n) => s + n, 0), counter);
      assert.ok(overdue[0] > 0);
      // A click on the top person's overdue count shows exactly those tasks, all overdue.
      await f.click('[data-testid=person-row] td.overdue button');
      await waitFor(async () => (await shownCount(f, lang))[0] === overdue[0], { what: 'the person filter' });
      assert.equal(await f.textContent('[data-testid=filter-responsible] .dropdown-count'), '1');
      assert.equal(await f.getAttribute('[data-testid=person-row] td.overdue button', 'aria-pressed'), 'true');
      await f.click('[data-testid=person-row] td.overdue button');
      await waitFor(async () => (await shownCount(f, lang))[0] === TASKS, { what: 'filter cleared' });
    } finally { await portal.close(); }
  });

  test(`${lang}: deadline "this week" matches the portal's own filter in its +03:00 offset`, async () => {
    const portal = await openReport(lang);
    try {
      const f = portal.frame();
      await f.click('[data-testid=filter-date-deadline] summary');
      await f.click(`[data-testid=filter-date-deadline] label:has-text("${TEXT[lang].thisWeek}") input`);
      await waitFor(async () => (await f.textContent('[data-testid=filter-date-deadline] summary')).includes(TEXT[lang].thisWeek), { what: 'the preset' });
      const [shown] = await shownCount(f, lang);
      const [monday, sunday] = thisWeekInPortal();
      const expected = await portalTotal(f, { '>=DEADLINE': `${monday}T00:00:00+03:00`, '<=DEADLINE': `${sunday}T23:59:59+03:00` });
      assert.ok(expected > 0, 'the demo data has deadlines this week');
      assert.equal(shown, expected);
      assert.ok((await f.textContent('[data-testid=filter-date-deadline] summary')).startsWith(TEXT[lang].deadline));
      await f.click('[data-testid=clear-filters]');
      await waitFor(async () => (await shownCount(f, lang))[0] === TASKS, { what: 'filters cleared' });
    } finally { await portal.close(); }
  });

  test(`${lang}: deadline "this week" moves on to the next week at the portal's midnight`, async () => {
    const [monday, sunday] = thisWeekInPortal();
    const week = (from, to) => ({ '>=DEADLINE': `${from}T00:00:00+03:00`, '<=DEADLINE': `${to}T23:59:59+03:00` });
    const later = (day) => new Date(Date.parse(`${day}T00:00:00Z`) + 7 * 86400 * 1000).toISOString().slice(0, 10);
    // The app opens on Sunday evening at 23:58 in the portal's +03:00, two minutes before
    // the next week begins; the page's clock runs on from there.
    const portal = await openPortal(browser, emu, { lang, clockAt: Date.parse(`${sunday}T23:58:00+03:00`) });
    try {
      await waitForLoadState(portal.frame, ['done'], { timeoutMs: 120000 });
      const f = portal.frame();
      await f.click('[data-testid=filter-date-deadline] summary');
      await f.click(`[data-testid=filter-date-deadline] label:has-text("${TEXT[lang].thisWeek}") input`);
      const thisWeek = await portalTotal(f, week(monday, sunday));
      const nextWeek = await portalTotal(f, week(later(monday), later(sunday)));
      assert.notEqual(thisWeek, nextWeek, 'the demo data tells the two weeks apart');
      await waitFor(async () => (await shownCount(f, lang))[0] === thisWeek, { what: 'this week before midnight' });
      // Midnight passes without a click: the preset now keeps next week's deadlines.
      await portal.context.clock.fastForward(180_000);
      await waitFor(async () => (await shownCount(f, lang))[0] === nextWeek, { what: 'the next week after midnight', timeoutMs: 10000 });
    } finally { await portal.close(); }
  });

  test(`${lang}: a responsible filter found by the search in its list matches the portal's filter`, async () => {
    const portal = await openReport(lang);
    try {
      const f = portal.frame();
      await f.click('[data-testid=filter-responsible] summary');
      const labels = await f.$$eval('[data-testid=filter-responsible] label span', (els) => els.map((e) => e.textContent));
      const pick = labels.find((l) => !TEXT[lang].fallback.test(l.replace(/ \(.*\)$/, '')));
      assert.ok(pick, JSON.stringify(labels));
      const name = pick.replace(/ \(.*\)$/, '');
      const listed = num(pick.match(/\(([^)]*)\)$/)[1]);
      // Typing part of the name narrows the list to it.
      await f.fill('[data-testid=filter-responsible-search]', name.slice(0, Math.min(name.length, 6)).toUpperCase());
      const narrowed = await f.$$eval('[data-testid=filter-responsible] label span', (els) => els.map((e) => e.textContent));
      assert.ok(narrowed.length < labels.length && narrowed.includes(pick), JSON.stringify(narrowed));
      await f.click(`[data-testid=filter-responsible] label:has-text("${pick}") input`);
      await waitFor(async () => (await shownCount(f, lang))[0] === listed, { what: 'the responsible filter' });
      // The portal agrees: its FILTER by that person's ID (from the task's own page link).
      const id = Number(await f.getAttribute('[data-testid=row]', 'data-id'));
      const responsible = await f.evaluate((id) => new Promise((resolve) => {
        // eslint-disable-next-line no-undef
        BX24.callMethod('tasks.task.list', { filter: { ID: id }, select: ['ID', 'RESPONSIBLE_ID'] }, (r) => resolve(r.data().tasks[0].responsibleId));
      }), id);
      assert.equal(await portalTotal(f, { RESPONSIBLE_ID: responsible }), listed);
    } finally { await portal.close(); }
  });
}
