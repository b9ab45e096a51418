// A small node stand-in for the Rust emulator's HTTP contract (test-only), so the portal page
// (portal.html/portal.js) and the SDK stand-in can be exercised in a browser without the Rust
// binary. It implements only what the browser tests touch: the portal page with the injected
// config, /portal.js, /api/v1/, the /__portal/* routes, /__stats, a minimal REST
// (task.item.list, batch, incl. webhook path) and the app origin serving a directory.
// The real emulator (emulator/src) is the reference; see emulator.test.mjs for tests against it.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';

const WEB = new URL('../', import.meta.url);
const read = (name) => readFileSync(new URL(name, WEB), 'utf8');
const WEBHOOK_PREFIX = '/rest/1/emulatorsecret0001/';
const APP_HASH = 'f00dfeedf00dfeedf00dfeedf00dfeed';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

function listen(server, host) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve(server.address().port));
  });
}

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function send(res, status, body, headers = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

/** PHP-like parse of a=1&b[c][0]=x: top level keeps first-appearance order (positional methods). */
export function parseForm(text) {
  const top = new Map();
  if (!text) {
    return top;
  }
  for (const pair of text.split('&')) {
    if (!pair) {
      continue;
    }
    const eq = pair.indexOf('=');
    const rawKey = decodeURIComponent((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '));
    const value = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
    const m = /^([^[]+)((?:\[[^\]]*\])*)$/.exec(rawKey);
    if (!m) {
      continue;
    }
    const segments = [...m[2].matchAll(/\[([^\]]*)\]/g)].map((s) => s[1]);
    if (segments.length === 0) {
      top.set(m[1], value);
      continue;
    }
    if (typeof top.get(m[1]) !== 'object') {
      top.set(m[1], {});
    }
    let node = top.get(m[1]);
    segments.forEach((seg, i) => {
      const key = seg === '' ? String(Object.keys(node).length) : seg;
      if (i === segments.length - 1) {
        node[key] = value;
      } else {
        if (typeof node[key] !== 'object') {
          node[key] = {};
        }
        node = node[key];
      }
    });
  }
  return top;
}

/**
 * Starts the stub. `appDir` is served on http://127.0.0.1:<port>/b1/app_local/<hash>/.
 * @returns {Promise<{portal:string, app:string, webhook:string, state:object, close:()=>Promise<void>}>}
 */
export async function startStub({ appDir, tasks = 200, tokenLifetime = 3600 } = {}) {
  const state = {
    installed: false,
    firstRunDone: new Set(),
    userOptions: {},
    appOptions: {},
    frameLog: [],
    requests: [],
    token: 'stub-access-1',
    refresh: 'stub-refresh-1',
    generation: 1,
    refreshFails: false,
  };
  const taskList = Array.from({ length: tasks }, (_, i) => ({ ID: String(i + 1), TITLE: `Task ${i + 1}` }));

  // ------------------------------------------------------------- REST (minimal)
  function taskItemList(args, start) {
    const [order = {}, filter = {}, params = {}, select = {}] = args.map((a) => (a && typeof a === 'object' ? a : {}));
    let rows = taskList.filter((t) => (filter['>ID'] === undefined ? true : Number(t.ID) > Number(filter['>ID'])));
    if (String(order.ID || '').toLowerCase() === 'asc') {
      rows.sort((a, b) => a.ID - b.ID);
    } else {
      rows.sort((a, b) => b.ID - a.ID);
    }
    const nav = params.NAV_PARAMS || {};
    let size = Math.min(50, Number(nav.nPageSize) || 50);
    let page = Number(nav.iNumPage) || 1;
    const fromStart = Math.floor((Number(start) || 0) / 50) + 1;
    if (fromStart > 1) {
      size = 50;
      page = fromStart;
    }
    const fields = Object.values(select);
    const result = rows.slice((page - 1) * size, page * size)
      .map((t) => (fields.length ? Object.fromEntries(fields.filter((f) => f in t).map((f) => [f, t[f]])) : t));
    const answer = { result };
    if (page < Math.ceil(rows.length / size)) {
      answer.next = page * size;
    }
    answer.total = rows.length;
    answer.time = { start: Date.now() / 1000, duration: 0.001 };
    return { status: 200, answer };
  }

  function call(method, args, start) {
    if (method === 'task.item.list' || method === 'task.item.getlist') {
      return taskItemList(args, start);
    }
    return { status: 404, answer: { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' } };
  }

  function batch(params) {
    const cmd = params.get('cmd') || {};
    const out = { result: {}, result_error: {}, result_total: {}, result_next: {}, result_time: {} };
    const resolveRef = (v) => {
      const m = typeof v === 'string' && /^\$result\[([^\]]+)\]((?:\[[^\]]*\])*)$/.exec(v);
      if (!m) {
        return v;
      }
      let node = out.result[m[1]];
      for (const seg of [...m[2].matchAll(/\[([^\]]*)\]/g)].map((s) => s[1])) {
        node = node == null ? undefined : node[seg];
      }
      return node === undefined ? v : node;
    };
    const deep = (v) => (v && typeof v === 'object'
      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deep(x)])) : resolveRef(v));
    for (const [key, line] of Object.entries(cmd)) {
      const q = String(line).indexOf('?');
      const method = q < 0 ? line : line.slice(0, q);
      const sub = parseForm(q < 0 ? '' : line.slice(q + 1));
      const args = [...sub].filter(([k]) => k !== 'start').map(([, v]) => deep(v));
      const r = call(method, args, sub.get('start'));
      if (r.answer.error) {
        out.result_error[key] = r.answer;
        if (String(params.get('halt')) === '1') {
          break;
        }
      } else {
        out.result[key] = r.answer.result;
        if (r.answer.total !== undefined) out.result_total[key] = r.answer.total;
        if (r.answer.next !== undefined) out.result_next[key] = r.answer.next;
        out.result_time[key] = r.answer.time;
      }
    }
    for (const k of Object.keys(out)) {
      if (Object.keys(out[k]).length === 0) out[k] = [];
    }
    return { status: 200, answer: { result: out, time: { duration: 0.001 } } };
  }

  async function rest(req, res, pathname) {
    const cors = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': 'origin, content-type, accept' };
    if (req.method === 'OPTIONS') {
      res.writeHead(200, cors);
      res.end();
      return;
    }
    const text = await readBody(req);
    const isJson = String(req.headers['content-type'] || '').startsWith('application/json');
    const params = isJson ? new Map(Object.entries(text ? JSON.parse(text) : {})) : parseForm(text);
    const webhook = pathname.startsWith(WEBHOOK_PREFIX);
    const method = decodeURIComponent((webhook ? pathname.slice(WEBHOOK_PREFIX.length) : pathname.slice('/rest/'.length))
      .replace(/\.json$/, ''));
    state.requests.push({ method, path: req.url, contentType: req.headers['content-type'] || '', body: text });
    if (!webhook) {
      const auth = params.get('auth');
      if (!auth) {
        send(res, 401, { error: 'NO_AUTH_FOUND', error_description: 'Wrong authorization data' }, cors);
        return;
      }
      if (auth !== state.token) {
        send(res, 401, { error: 'expired_token', error_description: 'The access token provided has expired' }, cors);
        return;
      }
    }
    const start = params.get('start');
    const args = [...params].filter(([k]) => k !== 'auth' && k !== 'start').map(([, v]) => v);
    const r = method === 'batch' ? batch(params) : call(method, args, start);
    send(res, r.status, r.answer, cors);
  }

  // ------------------------------------------------------------- portal origin
  let appBase = '';
  const hasInstaller = existsSync(path.join(appDir, 'install.html'));

  function portalPage(url) {
    const user = Number(url.searchParams.get('user') || 1);
    const isAdmin = user === 1;
    const install = hasInstaller && isAdmin && (!state.installed || url.searchParams.get('install') === '1');
    const cfg = {
      sid: randomBytes(16).toString('hex'),
      domain: `localhost:${portalPort}`,
      protocol: 0,
      lang: url.searchParams.get('lang') || 'en',
      path: '/rest',
      appUrl: appBase + (install ? 'install.html' : 'index.html'),
      appOrigin: `http://127.0.0.1:${appPort}`,
      install,
      firstRun: !state.firstRunDone.has(user),
      isAdmin,
      userId: user,
      auth: { AUTH_ID: state.token, AUTH_EXPIRES: String(tokenLifetime), REFRESH_ID: state.refresh, MEMBER_ID: 'stubmember' },
      userOptions: Object.keys(state.userOptions[user] || {}).length ? state.userOptions[user] : [],
      appOptions: Object.keys(state.appOptions).length ? state.appOptions : [],
      placement: 'DEFAULT',
      placementOptions: {},
    };
    const script = `<script>window.__B24_PORTAL__ = ${JSON.stringify(cfg).replace(/</g, '\\u003c')};</script>`;
    return read('portal.html').replace('<!--B24_PORTAL_CONFIG-->', script);
  }

  const portal = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const p = url.pathname;
    try {
      if (p.startsWith('/rest/')) {
        await rest(req, res, p);
      } else if (req.method === 'GET' && p === '/') {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(portalPage(url));
      } else if (req.method === 'GET' && p === '/portal.js') {
        res.writeHead(200, { 'Content-Type': TYPES['.js'] });
        res.end(read('portal.js'));
      } else if (req.method === 'GET' && p === '/api/v1/') {
        res.writeHead(200, { 'Content-Type': TYPES['.js'] });
        res.end(read('bx24.js'));
      } else if (req.method === 'GET' && p === '/__stats') {
        send(res, 200, { frame_log: state.frameLog, log: state.requests, requests: state.requests.length });
      } else if (req.method === 'POST' && p.startsWith('/__portal/')) {
        const body = JSON.parse((await readBody(req)) || 'null');
        switch (p) {
          case '/__portal/log':
            state.frameLog.push(body);
            send(res, 200, { ok: true });
            break;
          case '/__portal/refresh':
            if (state.refreshFails || body.refresh_token !== state.refresh) {
              send(res, 401, { error: 'invalid_grant' });
              break;
            }
            state.generation += 1;
            state.token = `stub-access-${state.generation}`;
            state.refresh = `stub-refresh-${state.generation}`;
            send(res, 200, { AUTH_ID: state.token, AUTH_EXPIRES: String(tokenLifetime), REFRESH_ID: state.refresh });
            break;
          case '/__portal/user-option':
            state.userOptions[body.user] = { ...state.userOptions[body.user], [body.name]: body.value };
            send(res, 200, state.userOptions[body.user]);
            break;
          case '/__portal/app-option':
            state.appOptions[body.name] = body.value;
            send(res, 200, state.appOptions);
            break;
          case '/__portal/install':
            if (body.install) state.firstRunDone.add(Number(body.user));
            send(res, 200, { ok: true });
            break;
          case '/__portal/installed':
            state.installed = body.v === 'Y';
            send(res, 200, { ok: true });
            break;
          default:
            send(res, 404, { error: 'not found' });
        }
      } else {
        send(res, 404, { error: 'not found' });
      }
    } catch (e) {
      send(res, 500, { error: String(e) });
    }
  });

  // ------------------------------------------------------------- app origin
  const prefix = `/b1/app_local/${APP_HASH}/`;
  const app = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const rel = url.pathname.startsWith(prefix) ? decodeURIComponent(url.pathname.slice(prefix.length)) : null;
    const file = rel === null ? null : path.join(appDir, rel || 'index.html');
    if (!file || !file.startsWith(path.resolve(appDir)) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream' });
    res.end(readFileSync(file));
  });

  const portalPort = await listen(portal, '127.0.0.1');
  const appPort = await listen(app, '127.0.0.1');
  appBase = `http://127.0.0.1:${appPort}${prefix}`;
  const close = () => Promise.all([portal, app].map((s) => new Promise((r) => {
    s.closeAllConnections?.();
    s.close(() => r());
  }))).then(() => {});
  return {
    portal: `http://localhost:${portalPort}`,
    app: appBase,
    webhook: `http://localhost:${portalPort}${WEBHOOK_PREFIX}`,
    state,
    /** Server-side token rotation: the client's token now answers 401 expired_token. */
    expireTokens() {
      state.generation += 1;
      state.token = `stub-access-${state.generation}`;
    },
    close,
  };
}
