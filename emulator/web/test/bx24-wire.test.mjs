// (a) Wire format of the BX24 v1 stand-in (bx24.js), byte for byte against
// docs/platform/frame-protocol.md (the sections from "Bootstrap and outside a frame" to "Client
// throttle", and "Traps"), in node with fake window/parent/XHR objects. `frame-protocol.md "…"`
// names a section of that page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSdk, SID } from '../testlib/fake-frame.mjs';

const CB = '[0-9a-z]{32}';
const plain = (v) => JSON.parse(JSON.stringify(v)); // values from the vm realm → plain objects

/** Loads the SDK, answers getInitData and lets the deferred init callbacks run. */
function ready(data, opts) {
  const f = loadSdk(opts);
  f.init(data);
  f.tick(50);
  return f;
}

/** Runs a callMethod and returns the XHR it sends. */
function sendCall(f, method, params, cb) {
  const before = f.xhrs.length;
  f.BX24.callMethod(method, params, cb || (() => {}));
  assert.equal(f.xhrs.length, before, 'the request is deferred, never sent synchronously');
  f.tick(100);
  assert.equal(f.xhrs.length, before + 1, 'exactly one request');
  return f.xhrs[before];
}

test('bootstrap: getInitData is posted at load, string form, to http://DOMAIN (frame-protocol.md "Bootstrap and outside a frame", "Messages from the app to the portal")', () => {
  const f = loadSdk();
  assert.equal(f.loadError, null);
  assert.equal(f.posted.length, 1);
  assert.match(f.posted[0].message, new RegExp(`^getInitData::${CB}:${SID}$`));
  assert.equal(f.posted[0].target, 'http://localhost:8080');
});

test('bootstrap: :443/:80 are stripped and PROTOCOL=1 targets https', () => {
  const f = loadSdk({ name: `portal.example:443|1|${SID}` });
  assert.equal(f.posted[0].target, 'https://portal.example');
  f.init({ PROTOCOL: 1 });
  assert.equal(f.BX24.getDomain(), 'portal.example');
  const g = loadSdk({ name: `portal.example:80|0|${SID}` });
  assert.equal(g.posted[0].target, 'http://portal.example');
});

test('bootstrap: without DOMAIN or APP_SID the library nulls BX24 and throws at load (frame-protocol.md "Bootstrap and outside a frame")', () => {
  for (const name of ['', 'localhost:8080|0|', '|0|' + SID]) {
    const f = loadSdk({ name });
    assert.ok(f.loadError instanceof Error || f.loadError?.constructor?.name === 'Error', `throws for ${name}`);
    assert.equal(f.loadError.message, 'Unable to initialize Bitrix24 JS library!');
    assert.equal(f.window.BX24, null);
    assert.equal(f.posted.length, 0);
  }
});

test('init: handlers wait for init data; after init they run deferred by 10 ms (frame-protocol.md "Lifecycle and auth")', () => {
  const f = loadSdk();
  const calls = [];
  f.BX24.init(() => calls.push('early'));
  f.tick(1000);
  assert.deepEqual(calls, [], 'nothing before getInitData is answered');
  assert.equal(f.BX24.getAuth(), false, 'getAuth is false before init');
  f.init();
  f.tick(20);
  assert.deepEqual(calls, ['early']);
  f.BX24.init(() => calls.push('late'));
  assert.deepEqual(calls, ['early'], 'not synchronous');
  f.tick(9);
  assert.deepEqual(calls, ['early']);
  f.tick(1);
  assert.deepEqual(calls, ['early', 'late']);
});

test('replies: other origins are ignored; the reply is split at the first colon (frame-protocol.md "Replies from the portal")', () => {
  const f = loadSdk();
  const cb = f.posted[0].message.split(':')[2];
  f.deliver(cb + ':' + JSON.stringify({ AUTH_ID: 'evil', AUTH_EXPIRES: '3600', LANG: 'xx' }), 'http://127.0.0.1:8080');
  f.tick(50);
  assert.equal(f.BX24.getAuth(), false, 'a reply from another origin is dropped');
  f.init({ LANG: 'de', PLACEMENT_OPTIONS: { note: 'a:b:c' } });
  assert.equal(f.BX24.getLang(), 'de');
  assert.deepEqual(plain(f.BX24.placement.info()), { placement: 'DEFAULT', options: { note: 'a:b:c' } });
});

test('getAuth: expires_in is an absolute ms timestamp; false once expired (frame-protocol.md "Lifecycle and auth")', () => {
  const f = loadSdk();
  const t0 = f.clock.now;
  f.init({ AUTH_EXPIRES: '3600' });
  assert.deepEqual(plain(f.BX24.getAuth()), {
    access_token: 'tok1',
    refresh_token: 'ref1',
    expires_in: t0 + 3600 * 1000,
    domain: 'localhost:8080',
    member_id: 'member1',
  });
  assert.equal(f.BX24.isAdmin(), true);
  f.tick(3600 * 1000);
  assert.equal(f.BX24.getAuth(), false);
});

test('callMethod: the observed body of frame-protocol.md "Parameter encoding", byte for byte, POST to DOMAIN+PATH/method.json, no headers', () => {
  const f = ready();
  const xhr = sendCall(f, 'crm.deal.list', {
    filter: { '>ID': 5, STAGE_ID: ['NEW', 'WON'] },
    select: ['ID', 'TITLE'],
    flag: true,
    nul: null,
    undef: undefined,
    emptyArr: [],
    start: 50,
  });
  assert.equal(xhr.method, 'POST');
  assert.equal(xhr.async, true);
  assert.equal(xhr.url, 'http://localhost:8080/rest/crm.deal.list.json');
  assert.deepEqual(xhr.headers, {}, 'no Content-Type: the browser sends text/plain');
  assert.equal(
    xhr.body,
    'auth=tok1&flag=true&undef=undefined&filter[%3EID]=5&filter[STAGE_ID][0]=NEW&filter[STAGE_ID][1]=WON&select[0]=ID&select[1]=TITLE&emptyArr=',
  );
});

test('callMethod: task.item.list positional params (frame-protocol.md "Traps") and the empty-params traps', () => {
  const f = ready();
  const xhr = sendCall(f, 'task.item.list', [{ ID: 'desc' }, { '>ID': 0 }, { NAV_PARAMS: { nPageSize: 50, iNumPage: 1 } }, ['ID', 'TITLE']]);
  assert.equal(xhr.url, 'http://localhost:8080/rest/task.item.list.json');
  assert.equal(xhr.body, 'auth=tok1&0[ID]=desc&1[%3EID]=0&2[NAV_PARAMS][nPageSize]=50&2[NAV_PARAMS][iNumPage]=1&3[0]=ID&3[1]=TITLE');
  // An empty object produces no field at all: later arguments move up one place.
  assert.equal(sendCall(f, 'task.item.list', [{ ID: 'desc' }, {}, { NAV_PARAMS: { nPageSize: 2 } }]).body,
    'auth=tok1&0[ID]=desc&2[NAV_PARAMS][nPageSize]=2');
  // An empty array is sent as "1=".
  assert.equal(sendCall(f, 'task.item.list', [{ ID: 'desc' }, []]).body, 'auth=tok1&0[ID]=desc&1=');
  // Names and values are percent-encoded, brackets stay literal.
  assert.equal(sendCall(f, 'x.y', { 'a b': { 'c&d': 'e=f ü', n: 1.5, no: false } }).body,
    'auth=tok1&a%20b[c%26d]=e%3Df%20%C3%BC&a%20b[n]=1.5&a%20b[no]=false');
  assert.equal(sendCall(f, 'user.current', {}).url, 'http://localhost:8080/rest/user.current.json');
  assert.equal(sendCall(f, 'we/ird', {}).url, 'http://localhost:8080/rest/we%2Fird.json');
});

test('callBatch: the observed batch body of frame-protocol.md "Parameter encoding", byte for byte', () => {
  const f = ready();
  f.BX24.callBatch({
    a: ['user.current', {}],
    b: { method: 'department.get', params: { ID: '$result[a][UF_DEPARTMENT]' } },
  }, () => {}, true);
  f.tick(100);
  assert.equal(f.xhrs.length, 1);
  assert.equal(f.xhrs[0].url, 'http://localhost:8080/rest/batch.json');
  assert.equal(f.xhrs[0].body,
    'auth=tok1&halt=1&cmd[a]=user.current%3F&cmd[b]=department.get%3FID%3D%2524result%255Ba%255D%255BUF_DEPARTMENT%255D');
  f.BX24.callBatch([['task.item.list', [{ ID: 'asc' }]]], () => {});
  f.tick(100);
  assert.equal(f.xhrs[1].body, 'auth=tok1&halt=0&cmd[0]=task.item.list%3F0%5BID%5D%3Dasc');
});

test('ajaxResult: data/total/more/time and next() re-sending with start=answer.next (frame-protocol.md "REST calls and their results", "Traps")', () => {
  const f = ready();
  const results = [];
  const xhr = sendCall(f, 'task.item.list', [{ ID: 'desc' }], (r) => results.push(r));
  xhr.respond(200, JSON.stringify({ result: [{ ID: '7' }], next: '50', total: 120, time: { duration: 0.1 } }));
  assert.equal(results.length, 1);
  const r = results[0];
  assert.equal(r.status, 200);
  assert.deepEqual(plain(r.data()), [{ ID: '7' }]);
  assert.equal(r.total(), 120);
  assert.equal(r.more(), true);
  assert.equal(r.answer.next, 50, 'next is parseInt-ed');
  assert.deepEqual(plain(r.time()), { duration: 0.1 });
  assert.equal(r.error(), undefined);
  assert.equal(r.query.method, 'task.item.list');

  const second = [];
  assert.equal(r.next((x) => second.push(x)), undefined);
  f.tick(100);
  assert.equal(f.xhrs.length, 2);
  assert.equal(f.xhrs[1].url, xhr.url);
  assert.equal(f.xhrs[1].body, 'auth=tok1&start=50&0[ID]=desc');
  f.xhrs[1].respond(200, JSON.stringify({ result: [{ ID: '1' }], total: 120 }));
  assert.equal(second.length, 1, 'next(cb) calls the new callback');
  assert.equal(results.length, 1, 'not the old one');
  assert.equal(second[0].more(), false);
  assert.equal(second[0].next(), false, 'nothing more');
  f.tick(100);
  assert.equal(f.xhrs.length, 2);

  // Without a callback argument next() reuses the original callback.
  r.next();
  f.tick(100);
  f.xhrs[2].respond(200, JSON.stringify({ result: [] }));
  assert.equal(results.length, 2);
  assert.ok(Number.isNaN(results[1].total()), 'total() is NaN without total');
});

test('ajaxResult: 4xx answers reach the callback with an ajaxError (frame-protocol.md "Answers, errors and token refresh in the SDK")', () => {
  const f = ready();
  const got = [];
  const xhr = sendCall(f, 'task.item.list', [{ BAD: 'x' }], (r) => got.push(r));
  xhr.respond(400, JSON.stringify({ error: 'ERROR_CORE', error_description: 'bad key' }));
  assert.equal(got.length, 1);
  const err = got[0].error();
  assert.equal(err.status, 400);
  assert.equal(err.getStatus(), 400);
  assert.equal(err.getError().error, 'ERROR_CORE');
  assert.equal(err.ex.error_description, 'bad key');
  assert.equal(String(err), 'ERROR_CORE: bad key (400)');
  assert.equal(got[0].error_description(), 'bad key');
  // An empty 2xx body becomes {result:{}}.
  const empty = [];
  sendCall(f, 'x', {}, (r) => empty.push(r)).respond(200, '');
  assert.deepEqual(plain(empty[0].data()), {});
});

test('5xx, unparsable JSON and network errors throw "Query error!" and never call back (frame-protocol.md "Answers, errors and token refresh in the SDK")', () => {
  const f = ready();
  let called = 0;
  const isQueryError = (e) => String(e).includes('Query error!');
  assert.throws(() => sendCall(f, 'a', {}, () => called++).respond(503, '{"error":"QUERY_LIMIT_EXCEEDED"}'), isQueryError);
  assert.throws(() => sendCall(f, 'a', {}, () => called++).respond(500, '<html>oops</html>'), isQueryError);
  assert.throws(() => sendCall(f, 'a', {}, () => called++).respond(200, '{"result":[1,'), isQueryError);
  assert.throws(() => sendCall(f, 'a', {}, () => called++).fail(), isQueryError);
  assert.equal(called, 0);
});

test('expired_token: refreshAuth through the parent, then a silent retry with the new token (frame-protocol.md "Answers, errors and token refresh in the SDK")', () => {
  const f = ready();
  const got = [];
  sendCall(f, 'task.item.list', [{ ID: 'desc' }], (r) => got.push(r))
    .respond(401, JSON.stringify({ error: 'expired_token', error_description: 'The access token provided has expired' }));
  assert.equal(got.length, 0, 'the expired answer is not passed on');
  f.tick(50);
  const last = f.posted[f.posted.length - 1].message;
  assert.match(last, new RegExp(`^refreshAuth:\\{\\}:${CB}:${SID}$`));
  f.deliver(f.lastCallbackId() + ':' + JSON.stringify({ AUTH_ID: 'tok2', AUTH_EXPIRES: '3600', REFRESH_ID: 'ref2' }));
  f.tick(100);
  assert.equal(f.xhrs.length, 2);
  assert.equal(f.xhrs[1].body, 'auth=tok2&0[ID]=desc');
  f.xhrs[1].respond(200, JSON.stringify({ result: [], total: 0 }));
  assert.equal(got.length, 1);
  assert.equal(f.BX24.getAuth().refresh_token, 'ref2');
});

test('proactive refresh when the stored expiry has passed (frame-protocol.md "Answers, errors and token refresh in the SDK")', () => {
  const f = ready({ AUTH_EXPIRES: '60' });
  f.tick(61_000);
  f.BX24.callMethod('a.b', {}, () => {});
  f.tick(100);
  assert.equal(f.xhrs.length, 0, 'no request with the expired token');
  assert.match(f.posted[f.posted.length - 1].message, /^refreshAuth:\{\}:/);
  f.deliver(f.lastCallbackId() + ':' + JSON.stringify({ AUTH_ID: 'tok3', AUTH_EXPIRES: '3600', REFRESH_ID: 'ref3' }));
  f.tick(100);
  assert.equal(f.xhrs.length, 1);
  assert.equal(f.xhrs[0].body, 'auth=tok3');
});

test('callBatch: per-key ajaxResults from result/result_error/result_total/result_next (frame-protocol.md "REST calls and their results")', () => {
  const f = ready();
  let out;
  f.BX24.callBatch({
    one: ['task.item.list', [{ ID: 'desc' }]],
    two: { method: 'task.item.get', params: [1] },
  }, (o) => { out = o; });
  f.tick(100);
  f.xhrs[0].respond(200, JSON.stringify({
    result: {
      result: { one: [{ ID: '9' }] },
      result_error: { two: { error: 'ERROR_CORE', error_description: 'not found' } },
      result_total: { one: 75 },
      result_next: { one: 50 },
      result_time: {},
    },
    time: {},
  }));
  assert.deepEqual(Object.keys(out), ['one', 'two']);
  assert.deepEqual(plain(out.one.data()), [{ ID: '9' }]);
  assert.equal(out.one.total(), 75);
  assert.equal(out.one.more(), true);
  assert.equal(out.one.error(), undefined);
  assert.equal(out.two.error().getError().error, 'ERROR_CORE');
  assert.equal(out.two.data(), undefined, 'no result for a failed command');
  assert.equal(String(out.two.error()), 'ERROR_CORE: not found (200)');
  // next() on a batch item re-issues that single method with start.
  out.one.next(() => {});
  f.tick(100);
  assert.equal(f.xhrs[1].url, 'http://localhost:8080/rest/task.item.list.json');
  assert.equal(f.xhrs[1].body, 'auth=tok1&start=50&0[ID]=desc');

  // Array input → array output; PHP serialises 0..n-1 keyed maps as JSON arrays.
  let arr;
  f.BX24.callBatch([['a.b', {}], ['c.d', {}]], (o) => { arr = o; });
  f.tick(100);
  f.xhrs[2].respond(200, JSON.stringify({ result: { result: ['x', 'y'], result_error: [], result_total: [], result_next: [] } }));
  assert.ok(Array.isArray(arr) || Object.prototype.toString.call(arr) === '[object Array]');
  assert.equal(arr.length, 2);
  assert.equal(arr[1].data(), 'y');

  // A failed batch (401 NO_AUTH_FOUND) makes the callback path throw, as in the SDK (frame-protocol.md "REST calls and their results").
  f.BX24.callBatch({ a: ['x', {}] }, () => {});
  f.tick(100);
  assert.throws(() => f.xhrs[3].respond(401, JSON.stringify({ error: 'NO_AUTH_FOUND' })), TypeErrorLike);
});

function TypeErrorLike(e) {
  return e && e.name === 'TypeError';
}

test('throttle: 90 calls burst, the 91st waits for the bucket to drain (frame-protocol.md "Client throttle")', () => {
  const f = ready();
  for (let i = 0; i < 91; i++) {
    f.BX24.callMethod('m', { i }, () => {});
  }
  f.tick(100);
  assert.equal(f.xhrs.length, 90);
  f.tick(800);
  assert.equal(f.xhrs.length, 90, 'still waiting');
  f.tick(300);
  assert.equal(f.xhrs.length, 91);
  assert.equal(f.xhrs[90].body, 'auth=tok1&i=90');
});

test('window/navigation messages are byte-exact (frame-protocol.md "Window and navigation", "Messages from the app to the portal")', () => {
  const f = ready();
  const sent = () => f.posted.slice(1).map((p) => p.message);
  const noop = () => {};
  f.BX24.fitWindow();
  f.BX24.resizeWindow('300px', '200');
  f.BX24.resizeWindow(0, 100); // not sent
  f.BX24.setTitle('Hi: there');
  f.BX24.scrollParentWindow('x'); // not sent
  f.BX24.scrollParentWindow('15');
  f.BX24.reloadWindow();
  f.BX24.openPath('/crm/deal/details/1/');
  f.BX24.im.callTo(5, true);
  f.BX24.im.openMessenger('chat1');
  f.BX24.userOption.set('view', 'table');
  f.BX24.selectUsers(noop);
  const messages = sent();
  assert.deepEqual(messages.slice(0, 9), [
    `resizeWindow:{"width":"100%","height":1234}::${SID}`,
    `resizeWindow:{"width":300,"height":200}::${SID}`,
    `setTitle:{"title":"Hi: there"}::${SID}`,
    `setScroll:{"scroll":15}::${SID}`,
    `reloadWindow:{}::${SID}`,
    `openPath:{"path":"/crm/deal/details/1/"}::${SID}`,
    `imCallTo:{"userId":5,"video":true}::${SID}`,
    `imOpenMessenger:{"dialogId":"chat1"}::${SID}`,
    `setUserOption:{"name":"view","value":"table"}::${SID}`,
  ]);
  assert.match(messages[9], new RegExp(`^selectUser:\\{"title":"","mult":true\\}:${CB}:${SID}$`));
  assert.equal(f.BX24.userOption.get('view'), 'table');

  f.BX24.closeApplication(noop);
  assert.match(sent().at(-1), new RegExp(`^closeApplication::${CB}:${SID}$`));
  f.BX24.placement.getInterface(noop);
  assert.match(sent().at(-1), new RegExp(`^getInterface::${CB}:${SID}$`));
  f.BX24.openPath('/marketplace/', noop);
  assert.match(sent().at(-1), new RegExp(`^openPath:\\{"path":"/marketplace/"\\}:${CB}:${SID}$`));
});

test('object form when the command contains a colon (frame-protocol.md "Messages from the app to the portal")', () => {
  const f = ready();
  f.BX24.placement.call('im:setTextareaContent', { text: 'x' }, () => {});
  const msg = f.posted.at(-1);
  assert.equal(typeof msg.message, 'object');
  assert.deepEqual(Object.keys(msg.message), ['method', 'params', 'callback', 'appSid']);
  assert.equal(msg.message.method, 'im:setTextareaContent');
  assert.deepEqual(plain(msg.message.params), { text: 'x' });
  assert.match(msg.message.callback, new RegExp(`^${CB}$`));
  assert.equal(msg.message.appSid, SID);
  assert.equal(msg.target, 'http://localhost:8080');
  assert.equal(f.BX24.placement.call('callMethod', {}, () => {}), false, 'refused for BX24 method names');
});

test('callbacks are never removed: bindEvent gets every occurrence (frame-protocol.md "Replies from the portal")', () => {
  const f = ready();
  const events = [];
  f.BX24.placement.bindEvent('Some:event', (d) => events.push(plain(d)));
  const id = f.lastCallbackId();
  f.deliver(id + ':{"n":1}');
  f.deliver(id + ':{"n":2}');
  f.deliver(id + ':');
  assert.deepEqual(events, [{ n: 1 }, { n: 2 }, []]);
});

test('appOption.set and callBind are no-ops for non-admins (frame-protocol.md "REST calls and their results", "Options, dialogs, placement")', () => {
  const f = ready({ IS_ADMIN: false, APP_OPTIONS: { a: 1 } });
  const before = f.posted.length;
  f.BX24.appOption.set('a', 2, () => {});
  assert.equal(f.posted.length, before);
  assert.equal(f.BX24.appOption.get('a'), 1);
  assert.equal(f.BX24.callBind('ONTASKADD', 'https://h', () => {}), false);
  f.tick(100);
  assert.equal(f.xhrs.length, 0);
  const g = ready();
  g.BX24.appOption.set('a', 2);
  assert.equal(g.posted.at(-1).message, `setAppOption:{"name":"a","value":2}::${SID}`);
  g.BX24.callBind('ONTASKADD', 'https://h');
  g.tick(100);
  assert.equal(g.xhrs[0].body, 'auth=tok1&event=ONTASKADD&handler=https%3A%2F%2Fh&auth_type=0');
});

test('installFinish: INSTALL true, no install chain → setInstallFinish:{}::SID (frame-protocol.md "Lifecycle and auth", observed)', () => {
  const f = loadSdk();
  f.BX24.init(() => f.BX24.installFinish());
  f.init({ INSTALL: true, FIRST_RUN: true });
  f.tick(50);
  assert.deepEqual(f.posted.slice(1).map((p) => p.message), [`setInstallFinish:{}::${SID}`]);
});

test('installFinish: with an install chain only setInstall:{"install":true}::SID is posted (frame-protocol.md "Lifecycle and auth", observed)', () => {
  const f = loadSdk();
  const order = [];
  f.BX24.install(() => { order.push('install1'); f.BX24.installFinish(); });
  f.BX24.install(() => { order.push('install2'); f.BX24.installFinish(); });
  f.BX24.init(() => { order.push('init'); f.BX24.installFinish(); });
  f.init({ INSTALL: true, FIRST_RUN: true });
  f.tick(50);
  assert.deepEqual(order, ['install1', 'install2', 'init']);
  assert.deepEqual(f.posted.slice(1).map((p) => p.message), [`setInstall:{"install":true}::${SID}`]);
});

test('installFinish: a no-op when INSTALL is false; no setInstall without install handlers', () => {
  const f = loadSdk();
  f.BX24.init(() => f.BX24.installFinish());
  f.init({ INSTALL: false, FIRST_RUN: true });
  f.tick(50);
  assert.deepEqual(f.posted.slice(1), []);
  // FIRST_RUN false: install handlers are not run; init handlers are.
  const g = loadSdk();
  const order = [];
  g.BX24.install(() => order.push('install'));
  g.BX24.init(() => order.push('init'));
  g.init({ FIRST_RUN: false, INSTALL: false });
  g.tick(50);
  assert.deepEqual(order, ['init']);
  assert.deepEqual(g.posted.slice(1), []);
});

test('installFinish before init data posts at once (the premature-install trap, frame-protocol.md "Lifecycle and auth")', () => {
  const f = loadSdk();
  f.BX24.installFinish();
  assert.equal(f.posted.at(-1).message, `setInstallFinish:{}::${SID}`);
});
