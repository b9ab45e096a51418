// The archives boot from a CDN-like sub-folder, however .wasm is served, and outside a
// portal (the SDK sets BX24 = null and throws) the app still starts and says where it is.
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
    const page = await browser.newPage();
    const errors = watchErrors(page);
    try {
      await routeSdk(page, SDK_OUTSIDE_PORTAL);
      await page.goto(server.url + 'index.html');
      const text = await waitFor(async () => {
        const t = await page.textContent('[data-testid=environment]').catch(() => null);
        return t && /Preview/.test(t) ? t : null;
      }, { what: 'the preview banner' });
      assert.match(text, /Preview/);
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
