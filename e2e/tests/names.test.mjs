// Names of people and projects (issue 14): after the load the app asks the portal once more —
// one `batch` of `tasks.task.list` calls (FILTER ID lists, their rows' responsible / creator /
// group objects) plus `scope` — and the whole load stays within ceil(N / 2500) + 2 requests.
// Asserted from the emulator's /__stats until the UI shows the names (column model, issue 14).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launchBrowser, startEmulator, openPortal, waitFor, waitForLoadState, ROOT } from '../lib/rig.mjs';

const APP = join(ROOT, 'task-report.zip');
let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function emulator(args) {
  const emu = await startEmulator(['--app', APP, ...args]);
  await fetch(emu.portal + '/__portal/installed', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"v":"Y"}' });
  return emu;
}

for (const [n, load] of [[1, 1], [10000, 5]]) {
  test(`N = ${n}: one extra batch after the load names people and projects, within the budget`, async () => {
    const emu = await emulator(['--tasks', String(n), '--bucket', 'off']);
    try {
      const portal = await openPortal(browser, emu);
      try {
        await waitForLoadState(portal.frame, ['done'], { timeoutMs: 180000 });
        // `requests` counts a request when it arrives, `log` when it has been answered: wait
        // for the name request's answer (read while it was in flight, the log's last entry
        // was still the load's own request).
        await waitFor(async () => (await emu.stats()).log.length >= load + 1, { what: 'the name request answered', timeoutMs: 30000 });
        // Nothing more follows it.
        await new Promise((r) => setTimeout(r, 1000));
        const final = await emu.stats();
        assert.equal(final.requests, load + 1, JSON.stringify(final.by_method));
        assert.equal(final.log.length, final.requests, 'every request answered');
        assert.ok(final.requests <= Math.ceil(n / 2500) + 2);
        const last = final.log[final.log.length - 1];
        assert.equal(last.status, 200, JSON.stringify(last));
        assert.match(last.path, /batch/, JSON.stringify(last));
        // tasks.task.list calls (one per 50 covering tasks) plus scope.
        assert.ok(last.subcalls >= 2 && last.subcalls <= 50, JSON.stringify(last));
      } finally { await portal.close(); }
    } finally { await emu.stop(); }
  });
}

test('N = 0: nothing to name, no extra request', async () => {
  const emu = await emulator(['--tasks', '0']);
  try {
    const portal = await openPortal(browser, emu);
    try {
      await waitForLoadState(portal.frame, ['done'], { timeoutMs: 30000 });
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal((await emu.stats()).requests, 1);
    } finally { await portal.close(); }
  } finally { await emu.stop(); }
});
