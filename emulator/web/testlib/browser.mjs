// Launches the system Chromium through playwright-core (never downloads a browser) and serves
// the SDK stand-in for //api.bitrix24.com/api/v1/ and the b24jssdk UMD build for the fixtures.
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-default-apps'];

const BX24_SOURCE = readFileSync(new URL('../bx24.js', import.meta.url), 'utf8');
// The package's exports map hides dist/umd; resolve the package root through package.json.
const B24JSSDK_UMD = readFileSync(
  require.resolve('@bitrix24/b24jssdk/package.json').replace(/package\.json$/, 'dist/umd/index.min.js'), 'utf8');

export function chromiumAvailable() {
  return existsSync(CHROMIUM);
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

/** A fresh context + page with the two routes, collecting page errors and REST POSTs. */
export async function newPage(browser) {
  const context = await browser.newContext();
  await context.route('**/api.bitrix24.com/api/v1/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/javascript; charset=utf-8', body: BX24_SOURCE }));
  await context.route('**/vendor/b24jssdk.umd.js', (route) =>
    route.fulfill({ status: 200, contentType: 'text/javascript; charset=utf-8', body: B24JSSDK_UMD }));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String((e && e.message) || e)));
  const requests = [];
  context.on('request', (r) => {
    if (r.method() === 'POST' && /\/rest\//.test(r.url())) {
      requests.push({ url: r.url(), body: r.postData(), contentType: r.headers()['content-type'] || '' });
    }
  });
  return { context, page, errors, requests, close: () => context.close() };
}

/** The app frame: the frame whose URL starts with appBase + file. */
export function appFrame(page, appBase, file, timeout = 15_000) {
  return waitFor(() => page.frames().find((f) => f.url().startsWith(appBase + file)),
    { timeout, what: `a frame at ${appBase + file}` });
}

/** Polls an async condition until it is truthy (no fixed sleeps). */
export async function waitFor(fn, { timeout = 10_000, interval = 50, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await fn();
    if (last) {
      return last;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}
