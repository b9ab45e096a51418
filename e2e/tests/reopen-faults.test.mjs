// Faults during the refresh of a reopened snapshot (issue 15), in the emulated portal with the
// real SDK, one browser profile that keeps the snapshot: every fault of the loading engine's
// matrix (the bucket, a 503 storm, 429, token expiry, 5xx pages, dropped connections, a hung
// request, malformed JSON) is switched on through /__control before a reopen. Each test checks
// from /__stats that the fault fired during the refresh, that the stored snapshot stayed on
// screen meanwhile (its CSV export is the stored tasks), that the refresh then recovered, or
// stopped with the usual message and a Retry that recovers, and that a further reopen shows
// what was stored — never something half-refreshed — and refreshes to a cold load's CSV.
//
// The app is the default archive, task-report.zip (rig.mjs `startSnapshotRig`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSnapshotRig, openInContext, coldLoadIds, waitFor, waitForLoadState, exportCsv, csvIds } from '../lib/rig.mjs';

const N = 3000;
let rig;
let browser;
let profile;
let emu;
/** The task IDs of the snapshot stored last (ascending); each case stores one first. */
let stored;

const ascending = (ids) => [...ids].sort((a, b) => a - b);
const truth = async () => ascending(await emu.truth(1));
const open = () => openInContext(profile, emu);
/** The IDs the page shows, through the app's own CSV export (ascending). */
const shownIds = async (p) => ascending(csvIds(await exportCsv(p.page, p.frame)));
const loadState = (p) => p.frame().getAttribute('[data-testid=load-status]', 'data-state', { timeout: 1000 }).catch(() => null);
/** Requests answered with an injected fault whose name starts with `prefix`. */
const faultsFired = (stats, prefix) => Object.entries(stats.by_fault ?? {})
  .filter(([name]) => name.startsWith(prefix)).reduce((sum, [, n]) => sum + n, 0);
/** The app's REST answers with HTTP `status` (the webhook's own requests left out). */
const appAnswers = (stats, status) => (stats.log ?? [])
  .filter((e) => e.status === status && !e.path.includes('/rest/1/')).length;

/** Waits until `p` shows the stored snapshot: "as of", or already stopped on the fault. */
const snapshotShown = (p) => waitFor(async () => (await p.frame().$('[data-testid=as-of]')) !== null
  || ['done', 'failed'].includes(await loadState(p)), { what: 'the stored snapshot', timeoutMs: 30000 });

/** Opens the app, waits for the snapshot on screen and for its refresh to end; gives the page. */
async function reopenAndRefresh() {
  const p = await open();
  await snapshotShown(p);
  await waitForLoadState(p.frame, ['done'], { timeoutMs: 60000 });
  // The snapshot is written after the refresh; give the save a moment.
  await p.page.waitForTimeout(1500);
  return p;
}

before(async () => {
  rig = await startSnapshotRig(N);
  ({ browser, profile, emu } = rig);
});
after(async () => { await rig?.close(); });

/**
 * Tasks edited, added and deleted since the stored snapshot, then the fault (`on()`), then a
 * reopen. Once `fired(stats)` says the fault hit the refresh, the stored tasks must be on
 * screen. `stops`: the refresh is expected to give up while the fault lasts (the usual
 * message and Retry; a reopen meanwhile shows the same stored tasks), then `off()` and Retry;
 * otherwise `off()` right away and the refresh recovers by itself (or, if it stopped
 * meanwhile, through Retry).
 */
async function faultDuringRefresh({ on, off, fired, stops = false }) {
  // Each case starts from a snapshot that is surely stored: a reopen without faults.
  await emu.control(NO_FAULTS);
  await (await reopenAndRefresh()).page.close();
  stored = await truth();
  await emu.control({ update_tasks: 5, insert_tasks: 3, delete_tasks: 3 });
  assert.notDeepEqual(await truth(), stored, 'the refresh has something to change');
  await emu.resetStats();
  await on();
  const p = await open();
  try {
    await waitFor(async () => fired(await emu.stats()) > 0, { what: 'the fault during the refresh', timeoutMs: 60000 });
    assert.ok(['refreshing', 'failed'].includes(await loadState(p)), `state ${await loadState(p)}`);
    assert.deepEqual(await shownIds(p), stored, 'the stored snapshot stays on screen during the fault');
    if (stops) {
      await waitForLoadState(p.frame, ['failed'], { timeoutMs: 120000 });
      assert.ok(await p.frame().isVisible('[data-testid=error-panel]'), 'the usual message');
      assert.deepEqual(await shownIds(p), stored, 'the stored snapshot stays after the refresh stopped');
      // Nothing half-refreshed was stored: a reopen (the fault still on) shows the same tasks.
      const q = await open();
      await snapshotShown(q);
      assert.deepEqual(await shownIds(q), stored, 'the snapshot stored before the failed refresh');
      await q.page.close();
    }
    await off();
    const end = await waitForLoadState(p.frame, ['done', 'failed'], { timeoutMs: 150000 });
    if (end === 'failed') {
      assert.ok(await p.frame().isVisible('[data-testid=retry]'), 'Retry is offered');
      await p.frame().click('[data-testid=retry]');
      await waitForLoadState(p.frame, ['done'], { timeoutMs: 60000 });
    }
    assert.deepEqual(await shownIds(p), await truth(), 'refreshed: what the portal shows the user now');
    assert.deepEqual(p.errors.filter((e) => !/HTTP \d+ .*\/rest\//.test(e)), [], 'no page error');
    await p.page.waitForTimeout(1500);
  } finally {
    await off();
    await p.page.close();
  }
  // A further reopen shows what was stored (the refreshed tasks) and refreshes to a cold
  // load's result.
  const again = await reopenAndRefresh();
  try {
    const now = await truth();
    assert.deepEqual(await shownIds(again), now);
    assert.deepEqual(now, await coldLoadIds(browser, emu), 'a cold load exports the same');
  } finally { await again.page.close(); }
}

/** Every fault knob off (the 429 case's `off()` ends its method block). */
const NO_FAULTS = {
  fault_5xx_pct: 0, fault_drop_pct: 0, fault_query_limit_pct: 0, hang_next: 0, malformed_next: 0,
  expire_every: 0, latency_ms: 0,
};

/**
 * The bucket filled by another client of the portal (it is shared): ten calls every 200 ms,
 * from the moment one of them was refused. Resolves with the function that stops it.
 */
async function drainBucket() {
  let draining = true;
  let full = false;
  const call = () => fetch(`${emu.webhook}task.item.list`).then((r) => { if (r.status === 503) full = true; }, () => null);
  const done = (async () => {
    while (draining) {
      await Promise.all(Array.from({ length: 10 }, call));
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  await waitFor(() => full, { what: 'the bucket full' });
  return async () => { draining = false; await done; };
}

/** `task.item.list` blocked for the next `seconds` (0: unblocked). */
const BLOCK_LIST = (seconds) => ({ method: 'task.item.list', seconds });
const knobs = (on, off) => ({ on: () => emu.control(on), off: () => emu.control(off) });
const nothing = async () => {};
let stopDrain = nothing;

const CASES = [
  ['the leaky bucket (other calls of the portal filled it): waits, recovers', {
    on: async () => { stopDrain = await drainBucket(); },
    off: () => stopDrain(),
    fired: (stats) => appAnswers(stats, 503),
  }],
  ['a 503 QUERY_LIMIT_EXCEEDED storm: backs off, recovers', {
    ...knobs({ fault_query_limit_pct: 100 }, { fault_query_limit_pct: 0 }),
    fired: (stats) => faultsFired(stats, 'query_limit'),
  }],
  // A batch answers HTTP 200 with the blocked commands' OPERATION_TIME_LIMIT in result_error
  // (docs/platform/batch.md); /__stats counts each one (`by_error`). The method stays blocked
  // until `off()`, however long the reopen takes to reach the refresh (a block of fixed
  // length could end before it under load, and the fault never fired).
  ['429 OPERATION_TIME_LIMIT: waits the default minute, recovers', {
    ...knobs({ block_method: BLOCK_LIST(600) }, { block_method: BLOCK_LIST(0) }),
    fired: (stats) => stats.by_error?.OPERATION_TIME_LIMIT ?? 0,
  }],
  ['expiring tokens (every request): stops with the message and Retry, nothing stored', {
    ...knobs({ expire_every: 1 }, { expire_every: 0 }),
    fired: (stats) => (stats.tokens_expired >= 1 ? stats.by_status?.['401'] ?? 0 : 0),
    stops: true,
  }],
  ['5xx pages (all of them): retries, stops with Retry, nothing stored', {
    ...knobs({ fault_5xx_pct: 100 }, { fault_5xx_pct: 0 }),
    fired: (stats) => faultsFired(stats, 'http5'),
    stops: true,
  }],
  ['dropped connections: retries, recovers', {
    ...knobs({ fault_drop_pct: 100 }, { fault_drop_pct: 0 }),
    fired: (stats) => faultsFired(stats, 'drop'),
  }],
  // The latency keeps the retry from ending the refresh before the screen is checked.
  ['malformed JSON: retries, recovers', {
    ...knobs({ malformed_next: 1, latency_ms: 3000 }, { latency_ms: 0 }),
    fired: (stats) => faultsFired(stats, 'malformed'),
  }],
  ['a hung request: times out, retries, recovers', {
    on: () => emu.control({ hang_next: 1 }),
    off: nothing,
    fired: (stats) => faultsFired(stats, 'hang'),
  }],
];

for (const [name, fault] of CASES) {
  test(`refresh meets ${name}`, async () => {
    try {
      await faultDuringRefresh(fault);
    } finally { await stopDrain(); }
  });
}
