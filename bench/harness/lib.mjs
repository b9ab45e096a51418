// Helpers of the benchmark harness: the emulator process, the browser, small statistics and
// the machine description. Self-contained (bench/ has its own node_modules) but the same
// approach as e2e/lib/rig.mjs: Debian's /usr/bin/chromium, never a downloaded browser.
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync, readFileSync } from 'node:fs';
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

/** Starts target/release/b24-emulator on free ports; resolves with its URLs and helpers. */
export async function startEmulator(args) {
  const bin = process.env.B24_EMULATOR_BIN || join(ROOT, 'target', 'release', 'b24-emulator');
  if (!existsSync(bin)) throw new Error(`emulator binary missing: ${bin} (cargo build --release -p b24-emulator)`);
  const child = spawn(bin, ['--portal-port', '0', '--app-port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; if (stderr.length > 100000) stderr = stderr.slice(-50000); });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator did not start: ${stderr}`)), 60000);
    lines.once('line', (line) => { clearTimeout(timer); resolve(line); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`emulator exited ${code}: ${stderr}`)); });
  });
  const urls = JSON.parse(first);
  const api = async (path, body) => {
    const res = await fetch(urls.portal + path, body === undefined ? {} : {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    return res.json();
  };
  return {
    ...urls,
    stats: () => api('/__stats'),
    truth: (user = 1) => api(`/__truth?user=${user}`),
    post: api,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) { resolve(); return; }
      child.once('exit', resolve);
      child.kill('SIGTERM');
    }),
  };
}

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
