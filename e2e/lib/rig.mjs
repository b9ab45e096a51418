// The e2e rig: headless Debian Chromium (no browser download), a static server for the
// built archives, the local Bitrix24 emulator on free ports, and condition-based waits.
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, existsSync, statSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS = join(ROOT, 'e2e', 'artifacts');

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-default-apps',
];

/** Launches headless Chromium from /usr/bin/chromium. */
export async function launchBrowser(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}

/** Unzips an archive of the repo root into a fresh temporary directory. */
export function unzipArchive(name) {
  const dir = mkdtempSync(join(tmpdir(), 'task-report-e2e-'));
  execFileSync('unzip', ['-q', join(ROOT, name), '-d', dir]);
  return dir;
}

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml',
};

/**
 * Serves `dir` under `prefix` (like the Bitrix24 CDN's /bNNNN/app_local/<hash>/) on a free
 * port of 127.0.0.1. `wasmMime` decides how .wasm is served. Returns {url, close, requests}.
 */
export async function serveStatic(dir, { prefix = '/b1/app_local/0123456789abcdef0123456789abcdef/', wasmMime = 'application/wasm' } = {}) {
  const requests = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    requests.push({ path, status: 0 });
    const entry = requests[requests.length - 1];
    if (!path.startsWith(prefix)) { entry.status = 404; res.writeHead(404); res.end('not found'); return; }
    const rel = normalize(path.slice(prefix.length) || 'index.html');
    const file = join(dir, rel);
    if (rel.startsWith('..') || !existsSync(file) || statSync(file).isDirectory()) {
      entry.status = 404; res.writeHead(404); res.end('not found'); return;
    }
    const type = extname(file) === '.wasm' ? wasmMime : (MIME[extname(file)] || 'application/octet-stream');
    entry.status = 200;
    res.writeHead(200, { 'Content-Type': type });
    res.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * What the real v1 SDK does outside a Bitrix24 frame (docs/platform/frame-protocol.md,
 * "Bootstrap and outside a frame"): it sets BX24 = null and throws at load. Route the SDK URL to this in preview tests.
 */
export const SDK_OUTSIDE_PORTAL = "var BX24 = null; throw new Error('Unable to initialize Bitrix24 JS library!');";

/** Routes //api.bitrix24.com/api/v1/ of `page` to `body` (JavaScript). */
export async function routeSdk(page, body) {
  await page.route(/\/\/api\.bitrix24\.com\/api\/v1\/?/, (route) =>
    route.fulfill({ status: 200, contentType: 'application/javascript', body }));
}

/**
 * Starts the emulator binary (built by test.sh; `B24_EMULATOR_BIN` overrides the path) on free
 * ports; resolves with its URLs and helpers. Shared by the e2e tests and the benchmarks.
 */
export async function startEmulator(args = []) {
  const bin = process.env.B24_EMULATOR_BIN || join(ROOT, 'target', 'release', 'b24-emulator');
  if (!existsSync(bin)) throw new Error(`emulator binary missing: ${bin} (cargo build -p b24-emulator --release)`);
  const child = spawn(bin, ['--portal-port', '0', '--app-port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; if (stderr.length > 100000) stderr = stderr.slice(-50000); });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator did not start: ${stderr}`)), 60000);
    lines.once('line', (line) => { clearTimeout(timer); resolve(line); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`emulator exited ${code}: ${stderr}`)); });
  });
  const { control_token: token, ...urls } = JSON.parse(first);
  if (!token) {
    child.kill('SIGTERM');
    throw new Error(`emulator start line without control_token: ${first}`);
  }
  // /__control and /__truth need the run's token (X-Emulator-Token); other endpoints ignore it.
  const api = async (path, body) => {
    const headers = { 'X-Emulator-Token': token };
    const res = await fetch(urls.portal + path, body === undefined ? { headers } : {
      method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    return res.json();
  };
  return {
    ...urls,
    child,
    stderr: () => stderr,
    stats: () => api('/__stats'),
    truth: (user = 1) => api(`/__truth?user=${user}`),
    control: (knobs) => api('/__control', knobs),
    post: api,
    resetStats: () => api('/__stats/reset', {}),
    stop: () => new Promise((resolve) => { if (child.exitCode !== null) { resolve(); return; } child.once('exit', resolve); child.kill('SIGTERM'); }),
  };
}

/** Polls `predicate` (async allowed) every 50 ms until truthy or `timeoutMs`; never a fixed sleep. */
export async function waitFor(predicate, { timeoutMs = 20000, what = 'condition' } = {}) {
  const start = Date.now();
  let last;
  for (;;) {
    try { last = await predicate(); } catch (e) { last = e; }
    if (last && !(last instanceof Error)) return last;
    if (Date.now() - start > timeoutMs) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Saves a screenshot under e2e/artifacts/. */
export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, name);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** Collects page errors and failed responses (>= 400) of a page. */
export function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('favicon.ico')) errors.push(`HTTP ${r.status()} ${r.url()}`); });
  return errors;
}

/**
 * Opens the emulated portal page as `user` (1 = admin) with the app inside, the BX24 SDK
 * URL served by the emulator's stand-in (`permissions`: e.g. clipboard-read for a copy test;
 * `clockAt`: a fake page clock starting at that time in ms). Resolves {page, frame: () => Frame,
 * errors, context, close}.
 */
export async function openPortal(browser, emu, { viewport = { width: 1280, height: 900 }, permissions = [], clockAt, ...where } = {}) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  if (permissions.length) await context.grantPermissions(permissions);
  // A fake clock in every frame, starting at `clockAt` (ms) and running on from there.
  if (clockAt !== undefined) await context.clock.install({ time: clockAt });
  const opened = await openInContext(context, emu, where);
  return { ...opened, context, close: () => context.close() };
}

/**
 * Opens the portal page for `user` in a new page of `context` (e.g. one browser profile kept
 * across visits). Resolves {page, frame: () => Frame, errors}.
 */
export async function openInContext(context, emu, { user = 1, lang = 'en', query = '' } = {}) {
  const page = await context.newPage();
  const sdk = await (await fetch(emu.portal + '/api/v1/')).text();
  await routeSdk(page, sdk);
  const errors = watchErrors(page);
  await page.goto(`${emu.portal}/?user=${user}&lang=${lang}${query}`);
  const frame = () => page.frames().find((f) => /\/app_local\//.test(f.url()));
  await waitFor(() => frame(), { what: 'the app frame' });
  return { page, frame, errors };
}

/**
 * The IDs (ascending) a cold load exports for `user`: a fresh incognito-like context, whose
 * frame storage Chromium blocks, so no stored snapshot is read or written.
 */
export async function coldLoadIds(browser, emu, user = 1) {
  return csvIds(await coldLoadCsv(browser, emu, user)).sort((a, b) => a - b);
}

/** The CSV a cold load exports for `user` (a fresh context: no snapshot), as text. */
export async function coldLoadCsv(browser, emu, user = 1) {
  const context = await browser.newContext({ acceptDownloads: true });
  try {
    const p = await openInContext(context, emu, { user });
    await waitForLoadState(p.frame, ['done']);
    return await exportCsv(p.page, p.frame);
  } finally { await context.close(); }
}

/** Waits until the app's load status says it is done (or failed); returns the status element's data-state. */
export async function waitForLoadState(frame, states = ['done'], { timeoutMs = 120000 } = {}) {
  return waitFor(async () => {
    const f = frame();
    if (!f) return null;
    const state = await f.getAttribute('[data-testid=load-status]', 'data-state', { timeout: 1000 }).catch(() => null);
    return states.includes(state) ? state : null;
  }, { timeoutMs, what: `load state ${states.join('|')}` });
}

/** Clicks "Export CSV" in the app and returns the parsed rows (first column = ID). */
export async function exportCsv(page, frame) {
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 30000 }),
    frame().click('[data-testid=export-csv]'),
  ]);
  const path = await download.path();
  const text = readFileSync(path, 'utf8');
  return text;
}

/** The cells of an exported CSV, header line first (BOM skipped; `;` or `,`; RFC 4180 quotes). */
export function csvTable(text) {
  const sep = text.includes(';') && !text.split('\r\n')[0].includes(',') ? ';' : ',';
  return text.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean).map((line) => {
    const cells = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') quoted = false; else cur += c;
      } else if (c === '"') quoted = true; else if (c === sep) { cells.push(cur); cur = ''; } else cur += c;
    }
    cells.push(cur);
    return cells;
  });
}

/** An emulator with `tasks` tasks serving the default archive, the app marked installed. */
export async function startInstalledApp(tasks) {
  const emu = await startEmulator(['--app', join(ROOT, 'task-report.zip'), '--tasks', String(tasks)]);
  await fetch(emu.portal + '/__portal/installed', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"v":"Y"}' });
  return emu;
}

/** Forgets user 1's saved view (the next open shows the default view). */
export async function resetSavedView(emu) {
  await fetch(emu.portal + '/__portal/user-option', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user: 1, name: 'taskReportView', value: '' }) });
}

/** The task's RESPONSIBLE_ID as the portal itself answers it (through the emulator's incoming webhook). */
export async function responsibleOf(emu, id) {
  const body = `0[ID]=desc&1[ID]=${id}&2[NAV_PARAMS][nPageSize]=1&3[0]=ID&3[1]=RESPONSIBLE_ID`;
  const res = await fetch(`${emu.portal}/rest/1/emulatorsecret0001/task.item.list.json`, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body,
  });
  const answer = await res.json();
  const user = Number(answer.result?.[0]?.RESPONSIBLE_ID);
  if (!(user > 0)) throw new Error(`RESPONSIBLE_ID of task ${id}: ${JSON.stringify(answer)}`);
  return user;
}

/** The task IDs of an exported CSV (header and BOM skipped). */
export function csvIds(text) {
  return text.replace(/^\uFEFF/, '').split('\r\n').slice(1).filter(Boolean).map((line) => Number(line.split(/[;,]/)[0]));
}

/**
 * What the reopen tests share: the default archive (task-report.zip, which carries the stored
 * snapshot of issue 15) in an emulator of `tasks` tasks with
 * dense IDs (no ID gaps, so a refresh is the incremental one), installed; a browser for cold
 * loads and a persistent profile that keeps the snapshot. Resolves {emu, browser, profile, close}.
 */
export async function startSnapshotRig(tasks) {
  const browser = await launchBrowser();
  const profile = await launchProfile();
  const emu = await startEmulator(['--app', join(ROOT, 'task-report.zip'), '--tasks', String(tasks), '--dense-ids', 'true']);
  await fetch(emu.portal + '/__portal/installed', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"v":"Y"}' });
  return { emu, browser, profile, close: async () => { await profile.close(); await browser.close(); await emu.stop(); } };
}

/**
 * A persistent Chromium profile that allows third-party storage (the cookie setting off), as
 * a default desktop profile may: the app frame is another site than the portal. Playwright's
 * own contexts are incognito-like, where Chromium blocks the frame's IndexedDB.
 */
export async function launchProfile() {
  const dir = mkdtempSync(join(tmpdir(), 'task-report-profile-'));
  mkdirSync(join(dir, 'Default'));
  writeFileSync(join(dir, 'Default', 'Preferences'),
    JSON.stringify({ profile: { cookie_controls_mode: 0, block_third_party_cookies: false } }));
  return chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    acceptDownloads: true,
    args: CHROMIUM_ARGS,
  });
}
