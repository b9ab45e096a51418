// Starts the real Rust emulator (b24-emulator) on free ports and reads its first stdout line:
// {"portal":"http://localhost:PA","app":"http://127.0.0.1:PB/b1/app_local/<hash>/","webhook":"…",
//  "control_token":"<32 hex>"} (the token goes in X-Emulator-Token on /__control and /__truth).
// B24_EMULATOR_BIN=<path> uses a built binary instead of `cargo run -q -p b24-emulator`.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * @returns {Promise<{info?:object, error?:string, stop:()=>Promise<void>}>}
 *   `error` when the emulator could not be started (build failure, exited early, no first line).
 */
export function startEmulator(appDir, { tasks = 200, timeoutMs = 600_000 } = {}) {
  const args = ['--portal-port', '0', '--app-port', '0', '--app', appDir, '--tasks', String(tasks)];
  const bin = process.env.B24_EMULATOR_BIN;
  const child = bin
    ? spawn(bin, args, { cwd: REPO, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn('cargo', ['run', '-q', '-p', 'b24-emulator', '--', ...args],
      { cwd: REPO, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let exited = false;
  const exitPromise = new Promise((resolve) => child.on('exit', () => { exited = true; resolve(); }));
  const stop = async () => {
    if (!exited) {
      try {
        process.kill(-child.pid, 'SIGTERM'); // the process group we started (cargo + the emulator)
      } catch {
        // already gone
      }
      await exitPromise;
    }
  };
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  return new Promise((resolve) => {
    let buffer = '';
    let done = false;
    const finish = (result) => {
      if (!done) {
        done = true;
        clearTimeout(timer);
        resolve({ ...result, stop });
      }
    };
    const timer = setTimeout(() => {
      finish({ error: `no first line within ${timeoutMs} ms; stderr: ${stderr}` });
    }, timeoutMs);
    child.stdout.on('data', (d) => {
      buffer += d;
      const nl = buffer.indexOf('\n');
      if (nl >= 0) {
        try {
          finish({ info: JSON.parse(buffer.slice(0, nl)) });
        } catch (e) {
          finish({ error: `first line is not JSON: ${buffer.slice(0, nl)}` });
        }
      }
    });
    child.on('error', (e) => finish({ error: String(e) }));
    exitPromise.then(() => finish({ error: `the emulator exited before printing its first line; stderr: ${stderr}` }));
  });
}
