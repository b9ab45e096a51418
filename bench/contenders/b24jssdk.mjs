// Contender: the official JS SDK's list loader (@bitrix24/b24jssdk, MIT), in node, through the
// emulator's incoming webhook. The SDK itself is unchanged. It only speaks HTTPS (B24Hook builds
// `https://<domain>/rest`), so this process puts a local TLS terminator (self-signed, made with
// openssl) in front of the emulator's plain-HTTP port; the extra localhost hop costs < 1 ms.
//
//   node contenders/b24jssdk.mjs --portal http://localhost:PORT --secret emulatorsecret0001 \
//        --user 1 --cap-s 300
// Prints one JSON line: {ok, rows, ids_ok?, first_page_ms, all_rows_ms, capped, error?}.
import { B24Hook } from '@bitrix24/b24jssdk';
import { createServer } from 'node:https';
import { request } from 'node:http';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const portal = new URL(args.portal);
const capMs = Number(args['cap-s'] ?? 300) * 1000;

/** A TLS terminator on a free port that forwards every request to the emulator. */
async function tlsFront() {
  const dir = mkdtempSync(join(tmpdir(), 'b24bench-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  const server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
    // Host names the emulator (it answers only to the addresses it listens on).
    const headers = { ...req.headers, host: portal.host };
    const up = request({ host: portal.hostname, port: portal.port, path: req.url, method: req.method, headers }, (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    up.on('error', () => { res.destroy(); });
    req.pipe(up);
  });
  rmSync(dir, { recursive: true, force: true });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: server.address().port, close: () => server.close() };
}

const front = await tlsFront();
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
const b24 = new B24Hook({ b24Url: `https://localhost:${front.port}`, userId: Number(args.user ?? 1), secret: args.secret });
b24.offClientSideWarning();

const ids = [];
const t0 = performance.now();
let firstPageMs = null;
let error = null;
let capped = false;
const gen = b24.actions.v2.fetchList.make({
  method: 'tasks.task.list',
  params: { select: ['ID', 'TITLE', 'STATUS', 'RESPONSIBLE_ID', 'DEADLINE', 'CREATED_DATE'] },
  idKey: 'id',
  cursorIdKey: 'ID',
  customKeyForResult: 'tasks',
});
try {
  for await (const chunk of gen) {
    if (firstPageMs === null) firstPageMs = performance.now() - t0;
    for (const row of chunk) ids.push(Number(row.id));
    if (performance.now() - t0 > capMs) { capped = true; break; }
  }
} catch (e) {
  error = String(e?.message ?? e);
}
const allMs = performance.now() - t0;
front.close();
console.log(JSON.stringify({ ok: !error && !capped, rows: ids.length, ids, first_page_ms: firstPageMs, all_rows_ms: capped || error ? null : allMs, elapsed_ms: allMs, capped, error }));
process.exit(0);
