// (b) The portal page (portal.html/portal.js) and the stand-in in Chromium, against a node stub
// of the emulator's HTTP contract (support/stub-emulator.mjs). Runs without the Rust binary;
// emulator.test.mjs runs the same scenarios against the real emulator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startStub } from '../testlib/stub-emulator.mjs';
import { chromiumAvailable, launchBrowser, newPage, appFrame, waitFor } from '../testlib/browser.mjs';
import * as scenarios from '../testlib/scenarios.mjs';

const FIXTURE_APP = fileURLToPath(new URL('./fixture-app/', import.meta.url));
const FIXTURE_B24JSSDK = fileURLToPath(new URL('./fixture-b24jssdk/', import.meta.url));
const skip = chromiumAvailable() ? false : 'no /usr/bin/chromium (apt-get install -y chromium)';
const TASKS = 120;

let browser;
let stub;
let stubJs;
const envOf = (s) => ({
  portal: s.portal,
  app: s.app,
  webhook: s.webhook,
  tasks: TASKS,
  stats: async () => (await fetch(s.portal + '/__stats')).json(),
  expireTokens: async () => s.expireTokens(),
});

before(async () => {
  if (skip) return;
  browser = await launchBrowser();
  stub = await startStub({ appDir: FIXTURE_APP, tasks: TASKS });
  stubJs = await startStub({ appDir: FIXTURE_B24JSSDK, tasks: TASKS });
});

after(async () => {
  await browser?.close();
  await stub?.close();
  await stubJs?.close();
});

// Order matters: the install flow marks the app installed, the later ones open index.html.
test('stub: installer stage → installFinish → reload into index.html', { skip }, () => scenarios.installFlow(browser, envOf(stub)));
test('stub: index.html drives init/getAuth/callMethod/next/callBatch/fitWindow/openPath', { skip }, () => scenarios.indexFlow(browser, envOf(stub)));
test('stub: expired_token → refreshAuth via the portal → retry', { skip }, () => scenarios.refreshFlow(browser, envOf(stub)));
test('stub: parent protocol details (forms, SID/origin checks, no-reply commands)', { skip }, () => scenarios.parentProtocol(browser, envOf(stub)));
test('stub: @bitrix24/b24jssdk frame client initialises and calls REST', { skip }, () => scenarios.b24jssdkFrame(browser, envOf(stubJs)));
test('stub: @bitrix24/b24jssdk webhook client lists tasks and parses a batch', () => scenarios.webhookClient(envOf(stubJs)));

test('stub: a failed refresh shows the portal alert and never replies (docs/platform/frame-protocol.md "Portal commands that do not answer")', { skip }, async () => {
  const p = await newPage(browser);
  try {
    await p.page.goto(stub.portal + '/');
    const frame = await appFrame(p.page, stub.app, 'index.html');
    await frame.waitForFunction(() => window.__app && window.__app.sliderRequested, null, { timeout: 20_000 });
    stub.state.refreshFails = true;
    await frame.evaluate(() => BX24.refreshAuth(() => { window.__refreshed = true; }));
    await p.page.waitForSelector('#portal-alert:not([hidden])', { timeout: 5_000 });
    assert.equal(await p.page.textContent('#portal-alert'), 'Unable to get new token! Reload page, please!');
    // A later answered command proves the refreshAuth message was handled before it.
    await frame.evaluate(() => BX24.placement.getInterface(() => { window.__barrier = true; }));
    await frame.waitForFunction(() => window.__barrier, null, { timeout: 5_000 });
    assert.equal(await frame.evaluate(() => window.__refreshed), undefined);
    const log = await p.page.evaluate(() => window.__portalLog);
    const cb = log.find((e) => e.dir === 'in' && String(e.data).startsWith('refreshAuth:')).data.split(':')[2];
    assert.ok(!log.some((e) => e.dir === 'out' && e.data.startsWith(cb + ':')), 'no reply');
  } finally {
    stub.state.refreshFails = false;
    await p.close();
  }
});

test('stub: the stand-in refuses to load outside a portal frame (docs/platform/frame-protocol.md "Bootstrap and outside a frame")', { skip }, async () => {
  const p = await newPage(browser);
  try {
    await p.page.goto(stub.app + 'index.html');
    await waitFor(() => p.errors.length > 0, { what: 'the load error' });
    assert.match(p.errors[0], /Unable to initialize Bitrix24 JS library!/);
    assert.equal(await p.page.evaluate(() => window.BX24), null);
  } finally {
    await p.close();
  }
});
