// The portal page refuses openPath to a user or task path under user 0 (or with a task ID that is
// not a positive number): the slider shows the error and the refusal is logged. Runs against the
// node stub (always) and the real emulator (skipped when it cannot start, unless
// B24_REQUIRE_EMULATOR=1), where /__stats refused_paths counts the refusals too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startStub } from '../testlib/stub-emulator.mjs';
import { startEmulator } from '../testlib/emulator-process.mjs';
import { chromiumAvailable, launchBrowser } from '../testlib/browser.mjs';
import * as scenarios from '../testlib/scenarios.mjs';

const FIXTURE_APP = fileURLToPath(new URL('./fixture-app/', import.meta.url));
const REQUIRED = process.env.B24_REQUIRE_EMULATOR === '1';
const skip = chromiumAvailable() ? false : 'no /usr/bin/chromium (apt-get install -y chromium)';

let browser;
let stub;
let emu;

const envOf = ({ portal, app }) => ({
  portal,
  app,
  stats: async () => (await fetch(portal + '/__stats')).json(),
});

/** Marks the fixture installed, so the admin gets index.html (not the installer stage). */
async function markInstalled(portal) {
  const r = await fetch(portal + '/__portal/installed', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"v":"Y"}',
  });
  assert.equal(r.status, 200, await r.text());
}

before(async () => {
  if (skip) return;
  browser = await launchBrowser();
  stub = await startStub({ appDir: FIXTURE_APP, tasks: 50 });
  emu = await startEmulator(FIXTURE_APP, { tasks: 50 });
});

after(async () => {
  await browser?.close();
  await stub?.close();
  await emu?.stop();
});

test('stub: openPath under user 0 is refused in the slider', { skip }, async () => {
  await markInstalled(stub.portal);
  await scenarios.taskPaths(browser, envOf(stub));
});

test('emulator: openPath under user 0 is refused in the slider and counted in /__stats', { skip }, async (t) => {
  if (emu.error) {
    if (REQUIRED) assert.fail('emulator not available: ' + emu.error);
    t.skip('emulator not available: ' + emu.error.slice(0, 300));
    return;
  }
  await markInstalled(emu.info.portal);
  const env = envOf(emu.info);
  assert.equal((await env.stats()).refused_paths, 0);
  await scenarios.taskPaths(browser, env);
});
