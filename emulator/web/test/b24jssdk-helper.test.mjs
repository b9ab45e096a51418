// The emulator's app.info, profile and scope answers read by someone else's parsers: the
// official @bitrix24/b24jssdk helper (B24HelperManager.loadData: one batch of app.info +
// profile) and call.make('scope') inside the emulated portal. The answers are the documented
// shapes (docs/platform/rest-answers.md); this checks that the SDK built on those documents
// reads them into the values a portal would give.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../testlib/emulator-process.mjs';
import { chromiumAvailable, launchBrowser, newPage, appFrame } from '../testlib/browser.mjs';

const FIXTURE = fileURLToPath(new URL('./fixture-b24jssdk-helper/', import.meta.url));
const REQUIRED = process.env.B24_REQUIRE_EMULATOR === '1';

let browser;
let emu;
let unavailable = null;

before(async () => {
  emu = await startEmulator(FIXTURE, { tasks: 10 });
  unavailable = emu.error || (chromiumAvailable() ? null : 'no /usr/bin/chromium');
  if (!unavailable) browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await emu?.stop();
});

test('b24jssdk helper parses app.info (no SCOPE) and profile; scope lists the app\'s permissions', async (t) => {
  if (unavailable) {
    if (REQUIRED) assert.fail('emulator not available: ' + unavailable);
    t.skip('emulator not available: ' + unavailable.slice(0, 300));
    return;
  }
  const { portal, app: appBase } = emu.info;
  const p = await newPage(browser);
  try {
    await p.page.goto(portal + '/');
    const frame = await appFrame(p.page, appBase, 'index.html');
    await frame.waitForFunction(() => window.__app && (window.__app.done || window.__app.error), null, { timeout: 30_000 });
    const app = await frame.evaluate(() => window.__app);
    assert.equal(app.error, undefined, 'b24jssdk error: ' + app.error);
    // AppManager: ID and VERSION through parseInt, the rest as sent.
    assert.equal(app.helper.app.id, 1);
    assert.match(app.helper.app.code, /^local\./);
    assert.equal(app.helper.app.version, 1);
    assert.equal(app.helper.app.status, 'L');
    assert.equal(app.helper.app.isInstalled, true);
    // PaymentManager: DAYS null → 0; PAYMENT_EXPIRED "N" → false.
    assert.deepEqual(app.helper.payment, { isExpired: false, days: 0 });
    // LicenseManager: LICENSE must be a string (the SDK calls LICENSE.includes).
    assert.equal(app.helper.license.license, 'en_project');
    assert.equal(app.helper.license.languageId, 'en');
    assert.equal(app.helper.license.licenseType, 'project');
    assert.equal(app.helper.license.licenseFamily, 'project');
    assert.equal(app.helper.license.isSelfHosted, false);
    // ProfileManager: the administrator.
    assert.equal(app.helper.profile.id, 1);
    assert.equal(app.helper.profile.isAdmin, true);
    assert.ok(app.helper.profile.name);
    assert.deepEqual(app.scope, { ok: true, result: ['task', 'user'] });
    assert.deepEqual(p.errors, []);
  } finally {
    await p.close();
  }
});
