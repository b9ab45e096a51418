// Helpers of the benchmark harness: the emulator process, the browser, small statistics and
// the machine description. The emulator process comes from e2e/lib/rig.mjs; the browser is
// Debian's /usr/bin/chromium as there, with flags for steady timing.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem, release, platform } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BENCH = join(ROOT, 'bench');

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-default-apps', '--enable-precise-memory-info',
  // Keep timers of a headless, never-focused page at full speed.
  '--disable-background-timer-throttling', '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

/** Headless Chromium from /usr/bin/chromium (or $CHROMIUM). */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/** Chromium's version string. */
export function browserVersion() {
  try {
    return execFileSync(process.env.CHROMIUM || '/usr/bin/chromium', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch { return 'unknown'; }
}

/** The emulator process: the e2e rig's, so both drive it the same way. */
export { startEmulator } from '../../e2e/lib/rig.mjs';

/** The median of the numbers in `values` (nulls ignored), or null. */
export function median(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** CPU model, cores, memory, OS, node and Chromium versions. */
export function machine() {
  let os = `${platform()} ${release()}`;
  try {
    const rel = readFileSync('/etc/os-release', 'utf8');
    const name = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(rel);
    if (name) os = `${name[1]} (kernel ${release()})`;
  } catch { /* not Linux */ }
  const list = cpus();
  return {
    cpu: list[0]?.model?.trim() || 'unknown',
    cores: list.length,
    memory_gib: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os,
    node: process.version,
    chromium: browserVersion(),
  };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * The first-load sums of an app folder's files ({file, raw, gzip}): its wasm/js/css and
 * index.html, without the installer (install*) and without the Excel exporter (exporter*,
 * fetched on the first export only, as scripts/package.py counts it) — reported apart.
 */
export function transferSums(files) {
  const base = (f) => f.file.split('/').pop();
  const exporter = files.filter((f) => base(f).startsWith('exporter'));
  const code = files.filter((f) => ['.wasm', '.js', '.css'].some((e) => f.file.endsWith(e))
    && !base(f).startsWith('install') && !base(f).startsWith('exporter'));
  const html = files.filter((f) => f.file === 'index.html');
  const sum = (list, k) => list.reduce((a, f) => a + f[k], 0);
  return {
    code_gzip: sum(code, 'gzip'),
    code_raw: sum(code, 'raw'),
    index_html_gzip: sum(html, 'gzip'),
    first_load_gzip: sum(code, 'gzip') + sum(html, 'gzip'),
    exporter_gzip: sum(exporter, 'gzip'),
  };
}
