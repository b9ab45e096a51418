// (b) The same browser scenarios as portal-stub.test.mjs, against the real Rust emulator
// (`cargo run -q -p b24-emulator -- --portal-port 0 --app-port 0 --app <dir> --tasks 200`).
// If the emulator cannot be started the tests are skipped with the reason, unless
// B24_REQUIRE_EMULATOR=1, in which case they fail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../testlib/emulator-process.mjs';
import { chromiumAvailable, launchBrowser } from '../testlib/browser.mjs';
import * as scenarios from '../testlib/scenarios.mjs';

const FIXTURE_APP = fileURLToPath(new URL('./fixture-app/', import.meta.url));
const FIXTURE_B24JSSDK = fileURLToPath(new URL('./fixture-b24jssdk/', import.meta.url));
const REQUIRED = process.env.B24_REQUIRE_EMULATOR === '1';

let browser;
let emuApp;
let emuJs;
let unavailable = null;

async function envOf(emu) {
  const { portal, app, webhook, control_token: token } = emu.info;
  // /__control and /__truth need the run's token from the start-up line.
  const headers = { 'X-Emulator-Token': token };
  const get = async (path) => (await fetch(portal + path, { headers })).json();
  const control = async (knobs) => {
    const r = await fetch(portal + '/__control', {
      method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(knobs),
    });
    assert.equal(r.status, 200, await r.text());
  };
  return {
    portal,
    app,
    webhook,
    tasks: (await get('/__truth?user=1')).length, // what the admin can see
    stats: () => get('/__stats'),
    // Expire the tokens on the very next REST request only: expire_every = requests so far + 1.
    expireTokens: async () => control({ expire_every: (await get('/__stats')).requests + 1 }),
    control,
  };
}

before(async () => {
  const [a, b] = await Promise.all([startEmulator(FIXTURE_APP), startEmulator(FIXTURE_B24JSSDK)]);
  emuApp = a;
  emuJs = b;
  unavailable = a.error || b.error || (chromiumAvailable() ? null : 'no /usr/bin/chromium');
  if (unavailable) {
    return;
  }
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await emuApp?.stop();
  await emuJs?.stop();
});

/** Runs `fn(env)` against an emulator, or skips/fails when it is not available. */
function run(name, which, fn) {
  test(name, async (t) => {
    if (unavailable) {
      if (REQUIRED) {
        assert.fail('emulator not available: ' + unavailable);
      }
      t.skip('emulator not available: ' + unavailable.slice(0, 300));
      return;
    }
    await fn(await envOf(which()));
  });
}

// Order matters: the install flow marks the app installed, the later ones open index.html.
run('emulator: installer stage → installFinish → reload into index.html', () => emuApp, (env) => scenarios.installFlow(browser, env));
run('emulator: index.html drives init/getAuth/callMethod/next/callBatch/fitWindow/openPath', () => emuApp, (env) => scenarios.indexFlow(browser, env));
run('emulator: expired_token → refreshAuth via the portal → retry', () => emuApp, async (env) => {
  try {
    await scenarios.refreshFlow(browser, env);
  } finally {
    await env.control({ expire_every: 0 });
  }
});
run('emulator: parent protocol details (forms, SID/origin checks, no-reply commands)', () => emuApp, (env) => scenarios.parentProtocol(browser, env));
run('emulator: @bitrix24/b24jssdk frame client initialises and calls REST', () => emuJs, (env) => scenarios.b24jssdkFrame(browser, env));
run('emulator: @bitrix24/b24jssdk webhook client lists tasks and parses a batch', () => emuJs, (env) => scenarios.webhookClient(env));
run('emulator: the parent log is mirrored to /__stats frame_log', () => emuApp, async (env) => {
  const stats = await env.stats();
  assert.ok(Array.isArray(stats.frame_log));
  const dirs = new Set(stats.frame_log.map((e) => e.dir));
  assert.ok(dirs.has('in') && dirs.has('out'), 'both directions: ' + [...dirs]);
  assert.ok(stats.frame_log.some((e) => typeof e.data === 'string' && e.data.startsWith('getInitData::')));
});
