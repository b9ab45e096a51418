// Preview without a portal, served the way `trunk serve` serves it (absolute / URLs, the
// real SDK URL failing outside Bitrix24): the demo portal, and the live webhook mode against
// the emulator's incoming-webhook endpoint (good, bad secret, missing scope, bad URL), and
// that the secret of a webhook URL shows up in no error: not in the page, not in the console.
import { test, before, after } from 'node:test';
import { createServer } from 'node:http';
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
  const console = [];
  page.on('console', (m) => console.push(m.text()));
  page.on('pageerror', (e) => console.push(`${e.message}\n${e.stack ?? ''}`));
  await routeSdk(page, SDK_OUTSIDE_PORTAL);
  await page.goto(server.url + query);
  return { page, frame: () => page.mainFrame(), errors, console, close: () => context.close() };
}

// Everything of the page a user (or a screen reader) can see: the visible and the hidden
// text, the error details, and every attribute (titles, labels) — except what the user typed
// into the URL field, which is theirs.
async function pageTexts(page) {
  return page.evaluate(() => {
    const out = [document.title, document.body.innerText, document.body.textContent];
    for (const el of document.querySelectorAll('*')) {
      for (const a of el.attributes) {
        if (!(el.id === 'webhook-url' && a.name === 'value')) out.push(`${a.name}=${a.value}`);
      }
    }
    return out.join('\n');
  });
}

async function assertNoSecret(p, secret, where) {
  const text = await pageTexts(p.page);
  assert.ok(!text.includes(secret), `${where}: the secret is in the page: ${text.slice(text.indexOf(secret) - 200, text.indexOf(secret) + 50)}`);
  const log = p.console.filter((m) => m.includes(secret));
  assert.deepEqual(log, [], `${where}: the secret is in the console`);
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

test('webhook URL rules: backslash, credentials, plain http, wrong path and URLs the browser refuses are refused, without repeating the secret', async () => {
  const secret = 'formleak7Q9zX2k';
  const cases = [
    [`https://evil.example\\acme.bitrix24.com/rest/1/${secret}/`, /backslash/],
    [`https://acme.bitrix24.com@evil.example/rest/1/${secret}/`, /user name or password/],
    [`https://${secret}:x@acme.bitrix24.com/rest/1/${secret}/`, /user name or password/],
    [`http://acme.bitrix24.com/rest/1/${secret}/`, /HTTPS only/],
    [`https://acme.bitrix24.com/rest/1/${secret}/task.item.list/more`, /rest\/1\/secret/],
    [`https://[acme]/rest/1/${secret}/`, /not a URL/],
    [`https://acme bitrix24.com/rest/1/${secret}/`, /not a URL/],
  ];
  const p = await openPreview();
  try {
    await loadState(p.page, ['done']);
    await p.page.click('[data-testid=webhook-toggle]');
    for (const [url, expected] of cases) {
      await p.page.fill('[data-testid=webhook-input]', url);
      await p.page.click('[data-testid=webhook-form] button[type=submit]');
      const message = await waitFor(async () => {
        const t = await p.page.textContent('[data-testid=webhook-error]', { timeout: 500 }).catch(() => null);
        return t && expected.test(t) ? t : null;
      }, { what: `the message for ${url.replace(secret, '…')}` });
      assert.match(message, expected);
      await assertNoSecret(p, secret, url.replace(secret, '…'));
      assert.equal(await p.page.evaluate(() => sessionStorage.length), 0, 'nothing stored');
    }
    // No request ever went out for a refused URL.
    assert.deepEqual(p.errors.filter((e) => !/Unable to initialize Bitrix24/.test(e)), []);
  } finally { await p.close(); }
});

test('webhook errors never show the secret: network failure, HTTP errors, pages that echo the URL, bad JSON, a wrong secret', async () => {
  // A portal that answers by the user id of the path: 500 → a server error page naming the
  // request URL, 404 → an HTML "not found" page naming it, 200 → broken JSON that names it.
  const echo = createServer((req, res) => {
    const user = /^\/rest\/(\d+)\//.exec(req.url)?.[1];
    const status = Number(user) || 500;
    const body = status === 200 ? `{"result": [{"id": "${req.url}` : `<html><h1>Error ${status}</h1><p>${req.url} failed</p></html>`;
    res.writeHead(status, { 'content-type': status === 200 ? 'application/json' : 'text/html', 'access-control-allow-origin': '*' });
    res.end(body);
  });
  await new Promise((r) => echo.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${echo.address().port}`;
  // A port nobody listens on: the connection is refused.
  const closed = createServer();
  await new Promise((r) => closed.listen(0, '127.0.0.1', r));
  const deadPort = closed.address().port;
  await new Promise((r) => closed.close(r));
  const cases = [
    ['network failure', `http://127.0.0.1:${deadPort}/rest/1/netleak7Q9zX2k/`, 'netleak7Q9zX2k', /cannot be reached/],
    ['HTTP 500 page naming the URL', `${base}/rest/500/httpleak7Q9zX2k/`, 'httpleak7Q9zX2k', /server error/i],
    ['HTTP 404 page naming the URL', `${base}/rest/404/pageleak7Q9zX2k/`, 'pageleak7Q9zX2k', /does not understand|could not understand/i],
    ['broken JSON naming the URL', `${base}/rest/200/jsonleak7Q9zX2k/`, 'jsonleak7Q9zX2k', /does not understand|could not understand/i],
    ['wrong secret (emulator)', `${emu.portal}/rest/1/authleak7Q9zX2k/`, 'authleak7Q9zX2k', /does not accept this webhook/],
  ];
  try {
    // In parallel: the retried ones wait up to half a minute before giving up.
    await Promise.all(cases.map(async ([what, url, secret, expected]) => {
      const p = await openPreview();
      try {
        await loadState(p.page, ['done']);
        await connectWebhook(p.page, url);
        const host = await waitFor(() => p.page.textContent('[data-testid=webhook-host]', { timeout: 500 }).catch(() => null), { what: `${what}: webhook host` });
        assert.equal(host, new URL(url).host, `${what}: the host shown is where the requests go`);
        // While it retries, too.
        await new Promise((r) => setTimeout(r, 1500));
        await assertNoSecret(p, secret, `${what} (retrying)`);
        await loadState(p.page, ['failed'], 90000);
        const panel = await p.page.textContent('[data-testid=error-panel]');
        assert.match(panel, expected, `${what}: ${panel}`);
        await assertNoSecret(p, secret, what);
        // The details say where, without the secret, when the answer named the URL.
        if (/naming/.test(what)) assert.match(panel, /\/rest\/\d+\/…\//, `${what}: ${panel}`);
      } finally {
        await p.page.evaluate(() => sessionStorage.clear()).catch(() => {});
        await p.close();
      }
    }));
  } finally { await new Promise((r) => echo.close(r)); }
});
