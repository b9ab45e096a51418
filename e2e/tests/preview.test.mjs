// Preview without a portal, served the way `trunk serve` serves it (absolute / URLs, the
// real SDK URL failing outside Bitrix24): the demo portal, and the live webhook mode against
// the emulator's incoming-webhook endpoint (good, bad secret, missing scope, bad URL).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, serveStatic, routeSdk, SDK_OUTSIDE_PORTAL, startEmulator, waitFor, watchErrors, exportCsv, csvIds, ROOT } from '../lib/rig.mjs';

// Built by test.sh: `trunk build --public-url / --dist target/preview-dist` (default features = demo).
const DIST = join(ROOT, 'target', 'preview-dist');
let browser;
let server;
let emu;
before(async () => {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error(`${DIST} missing: build it with trunk (see test.sh, tier e2e)`);
  browser = await launchBrowser();
  server = await serveStatic(DIST, { prefix: '/' });
  emu = await startEmulator(['--app', join(ROOT, 'task-report.zip'), '--tasks', '500']);
});
after(async () => { await browser?.close(); await server?.close(); await emu?.stop(); });

async function openPreview(query = '') {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await routeSdk(page, SDK_OUTSIDE_PORTAL);
  await page.goto(server.url + query);
  return { page, frame: () => page.mainFrame(), errors, close: () => context.close() };
}

async function loadState(page, states, timeoutMs = 60000) {
  return waitFor(async () => {
    const s = await page.getAttribute('[data-testid=load-status]', 'data-state', { timeout: 500 }).catch(() => null);
    return states.includes(s) ? s : null;
  }, { timeoutMs, what: `load state ${states}` });
}

async function connectWebhook(page, url) {
  await page.click('[data-testid=webhook-toggle]');
  await page.fill('[data-testid=webhook-input]', url);
  await page.click('[data-testid=webhook-form] button[type=submit]');
}

test('demo portal: a full report on generated data, through the same engine', async () => {
  const p = await openPreview('?demo=2000&latency=0');
  try {
    assert.match(await p.page.textContent('[data-testid=preview-banner]'), /Preview/);
    await loadState(p.page, ['done']);
    assert.match(await p.page.textContent('[data-testid=shown-count]'), /2,000 of 2,000/);
    const rows = await p.page.$$('[data-testid=row]');
    assert.ok(rows.length > 10 && rows.length <= 200, `${rows.length} rows in the DOM`);
    const ids = csvIds(await exportCsv(p.page, p.frame));
    assert.equal(new Set(ids).size, 2000);
    // A taller window shows more of the (virtualised) table without any scrolling: the
    // table measures its viewport again on resize.
    await p.page.setViewportSize({ width: 1280, height: 600 });
    const rowCount = () => p.page.$$eval('[data-testid=row]', (r) => r.length);
    const short = await waitFor(async () => {
      const a = await rowCount();
      await new Promise((r) => setTimeout(r, 300));
      return a === (await rowCount()) ? a : null;
    }, { what: 'a settled row count' });
    await p.page.setViewportSize({ width: 1280, height: 1100 });
    await waitFor(async () => (await rowCount()) > short, { what: `more than ${short} rows after the window grew`, timeoutMs: 5000 });
    assert.deepEqual(p.errors.filter((e) => !/Unable to initialize Bitrix24/.test(e)), []);
  } finally { await p.close(); }
});

test('webhook mode: the portal\'s real tasks through an incoming webhook; the secret stays out of the URL', async () => {
  const p = await openPreview();
  try {
    await loadState(p.page, ['done']);
    await connectWebhook(p.page, emu.webhook);
    const host = await waitFor(() => p.page.textContent('[data-testid=webhook-host]', { timeout: 500 }).catch(() => null), { what: 'webhook host' });
    assert.equal(host, new URL(emu.portal).host);
    await loadState(p.page, ['done']);
    const ids = csvIds(await exportCsv(p.page, p.frame));
    const truth = await emu.truth();
    assert.equal(ids.length, truth.length, `csv ${ids.length} vs truth ${truth.length}, max ${Math.max(...ids)} vs ${Math.max(...truth)}`);
    assert.deepEqual(ids.slice().sort((a, b) => a - b), truth.slice().sort((a, b) => a - b));
    assert.ok(!p.page.url().includes('emulatorsecret'), 'the secret must not be in the page URL');
    const stored = await p.page.evaluate(() => Object.values(sessionStorage).join(' '));
    assert.match(stored, /emulatorsecret0001/);
    const local = await p.page.evaluate(() => Object.values(localStorage).join(' '));
    assert.doesNotMatch(local, /emulatorsecret/);
    // One click forgets it and goes back to demo data.
    await p.page.click('[data-testid=webhook-forget]');
    await waitFor(async () => !(await p.page.$('[data-testid=webhook-host]')), { what: 'webhook forgotten' });
    assert.doesNotMatch(await p.page.evaluate(() => Object.values(sessionStorage).join(' ')), /emulatorsecret/);
  } finally { await p.close(); }
});

test('webhook mode: a wrong secret and a webhook without the task scope get clear messages', async () => {
  for (const [secret, expected] of [['wrongsecret12345', /does not accept this webhook/], ['emulatornotasks01', /webhook lacks the Tasks \(task\) permission/]]) {
    const p = await openPreview();
    try {
      await loadState(p.page, ['done']);
      await connectWebhook(p.page, `${emu.portal}/rest/1/${secret}/`);
      await loadState(p.page, ['failed']);
      const text = await p.page.textContent('[data-testid=error-panel]');
      assert.match(text, expected);
    } finally {
      await p.page.evaluate(() => sessionStorage.clear()).catch(() => {});
      await p.close();
    }
  }
});

test('webhook mode: a malformed URL is refused before any request', async () => {
  const p = await openPreview();
  try {
    await loadState(p.page, ['done']);
    await connectWebhook(p.page, 'https://acme.bitrix24.com/rest/task.item.list');
    const message = await waitFor(() => p.page.textContent('[data-testid=webhook-error]', { timeout: 500 }).catch(() => null), { what: 'validation message' });
    assert.match(message, /rest\/1\/secret/);
    assert.equal(await p.page.evaluate(() => sessionStorage.length), 0);
  } finally { await p.close(); }
});
