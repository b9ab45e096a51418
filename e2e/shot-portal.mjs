// Screenshots of the app inside the emulated portal (for the README):
//   node e2e/shot-portal.mjs <out.png> [--lang en] [--width 1280] [--tasks 100000] [--dark]
import { launchBrowser, startEmulator, openPortal, waitForLoadState, ROOT } from './lib/rig.mjs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : def; };
const out = args[0];
const emu = await startEmulator(['--app', join(ROOT, 'task-report.zip'), '--tasks', opt('--tasks', '100000')]);
await fetch(emu.portal + '/__portal/installed', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"v":"Y"}' });
const browser = await launchBrowser();
try {
  const width = Number(opt('--width', '1280'));
  const portal = await openPortal(browser, emu, { lang: opt('--lang', 'en'), viewport: { width, height: width < 600 ? 800 : 900 } });
  if (args.includes('--dark')) await portal.page.emulateMedia({ colorScheme: 'dark' });
  await waitForLoadState(portal.frame, ['done', 'failed'], { timeoutMs: 180000 });
  // A tall viewport instead of fullPage: Chromium paints tall iframes blank in fullPage mode.
  await new Promise((r) => setTimeout(r, 1000));
  const height = await portal.page.evaluate(() => document.documentElement.scrollHeight);
  await portal.page.setViewportSize({ width, height: Math.min(height, 3000) });
  await new Promise((r) => setTimeout(r, 1000));
  await portal.page.screenshot({ path: out });
  console.log(JSON.stringify({ errors: portal.errors, stats: (await emu.stats()).requests }));
  await portal.close();
} finally {
  await browser.close();
  await emu.stop();
}
