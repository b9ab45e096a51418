// The archives boot from a CDN-like sub-folder, however .wasm is served, and outside a
// portal (the SDK sets BX24 = null and throws) the app still starts and says how to open it
// from Bitrix24, in the browser's language; it offers no webhook form (no secret may be kept
// in the storage of the CDN origin, which other apps share).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, unzipArchive, serveStatic, routeSdk, SDK_OUTSIDE_PORTAL, waitFor, watchErrors } from '../lib/rig.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const cases = [
  ['task-report.zip', 'application/wasm'],
  ['task-report-wasm.zip', 'application/wasm'],
  ['task-report-wasm.zip', 'application/octet-stream'],
];

for (const [archive, wasmMime] of cases) {
  test(`${archive} boots outside a portal with .wasm as ${wasmMime}`, async () => {
    const dir = unzipArchive(archive);
    const server = await serveStatic(dir, { wasmMime });
    // One case in Russian: the message follows the browser's language.
    const russian = wasmMime === 'application/octet-stream';
    const page = await browser.newPage({ locale: russian ? 'ru-RU' : 'en-US' });
    const errors = watchErrors(page);
    try {
      await routeSdk(page, SDK_OUTSIDE_PORTAL);
      await page.goto(server.url + 'index.html');
      const text = await waitFor(async () => {
        const t = await page.textContent('[data-testid=environment]').catch(() => null);
        return t && /Bitrix24|Битрикс24/.test(t) ? t : null;
      }, { what: 'the outside-a-portal message' });
      if (russian) {
        assert.match(text, /работает внутри Битрикс24/);
        assert.match(text, /в левом меню выберите «Приложения»/);
      } else {
        assert.match(text, /This app works inside Bitrix24/);
        assert.match(text, /in the left menu choose Applications/);
      }
      // No webhook form, nothing kept in the CDN origin's storage.
      assert.equal(await page.$('[data-testid=webhook-toggle], [data-testid=webhook-form], input'), null);
      assert.equal(await page.evaluate(() => sessionStorage.length + localStorage.length), 0);
      // Only the SDK's deliberate throw may appear as a page error.
      assert.deepEqual(errors.filter((e) => !/Unable to initialize Bitrix24 JS library/.test(e)), []);
      // Every file came from the app's own sub-folder.
      assert.ok(server.requests.every((r) => r.status === 200), JSON.stringify(server.requests));
      if (archive === 'task-report.zip') {
        assert.ok(server.requests.every((r) => !r.path.endsWith('.wasm')), 'the embedded build must not fetch a .wasm file');
      }
    } finally {
      await page.close();
      await server.close();
    }
  });
}

// Inside a portal frame whose SDK script did not load, the app says so before the portal could
// tell it the user's language: it takes the LANG the portal puts in the frame's URL
// (docs/platform/frame-protocol.md, "How the portal builds the frame"), not the browser's.
for (const [lang, locale, title, reason, reload] of [
  ['de', 'en-US', 'Bitrix24 hat die App nicht gestartet.', /Das Bitrix24 JS SDK .* wurde nicht geladen/, 'Neu laden'],
  ['ru', 'de-DE', 'Битрикс24 не запустил приложение.', /Не загрузился JS SDK Битрикс24/, 'Обновить'],
]) {
  test(`in a portal frame without the SDK: the start-up error in the frame's language (${lang})`, async () => {
    const dir = unzipArchive('task-report.zip');
    const server = await serveStatic(dir, { wasmMime: 'application/wasm' });
    const page = await browser.newPage({ locale });
    try {
      await page.addInitScript(() => { window.name = 'portal.example.com|1|0123456789abcdef0123456789abcdef'; });
      await page.route(/\/\/api\.bitrix24\.com\/api\/v1\/?/, (route) => route.fulfill({ status: 404, body: 'not found' }));
      await page.goto(`${server.url}index.html?DOMAIN=portal.example.com&PROTOCOL=1&LANG=${lang}&APP_SID=0123`);
      const text = await waitFor(async () => {
        const t = await page.textContent('[data-testid=environment][role=alert]', { timeout: 500 }).catch(() => null);
        return t || null;
      }, { what: 'the start-up error' });
      assert.ok(text.includes(title), text);
      assert.match(text, reason);
      assert.equal((await page.textContent('[data-testid=environment] button')).trim(), reload);
    } finally {
      await page.close();
      await server.close();
    }
  });
}
