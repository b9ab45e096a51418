// Browser scenarios shared by the stub run (portal-stub.test.mjs) and the real-emulator run
// (emulator.test.mjs). `env` = { portal, app, webhook, tasks, stats(), expireTokens() }.
import assert from 'node:assert/strict';
import { newPage, appFrame, waitFor } from './browser.mjs';

const CB = '[0-9a-z]{32}';
const HEX32 = /^[0-9a-f]{32}$/;

async function portalState(page) {
  return page.evaluate(() => ({
    sid: window.__portal.sid,
    log: window.__portalLog.map((e) => ({ dir: e.dir, data: e.data, origin: e.origin, note: e.note })),
    title: document.getElementById('pagetitle').textContent,
    alert: document.getElementById('portal-alert').hidden ? null : document.getElementById('portal-alert').textContent,
  }));
}

const ins = (log) => log.filter((e) => e.dir === 'in' && !e.note).map((e) => e.data);
const outs = (log) => log.filter((e) => e.dir === 'out').map((e) => e.data);

/** Installer stage: install.html calls installFinish → the portal reloads into index.html (docs/platform/frame-protocol.md "Install flow"). */
export async function installFlow(browser, env) {
  const p = await newPage(browser);
  try {
    await p.page.goto(env.portal + '/');
    // The installer finishes on its own and the page reloads quickly: keep the URL it was loaded with.
    const installUrl = new URL((await appFrame(p.page, env.app, 'install.html')).url());
    const host = new URL(env.portal).host;
    const installSid = installUrl.searchParams.get('APP_SID');
    assert.match(installSid, HEX32);
    assert.equal(installUrl.search, `?DOMAIN=${host}&PROTOCOL=0&LANG=en&APP_SID=${installSid}`);

    await p.page.waitForURL(/install_finished=Y/, { timeout: 15_000 });
    await appFrame(p.page, env.app, 'index.html');
    const portal = await portalState(p.page);
    assert.match(portal.sid, HEX32);
    assert.notEqual(portal.sid, installSid, 'a fresh APP_SID per render');

    // The iframe exactly as Bitrix24 builds it for a static app (docs/platform/frame-protocol.md
    // "How the portal builds the frame").
    const attrs = await p.page.evaluate(() => {
      const f = window.__portal.frame;
      return { id: f.id, name: f.name, allow: f.getAttribute('allow'), sandbox: f.hasAttribute('sandbox'), src: f.src };
    });
    assert.equal(attrs.id, 'appframe_' + portal.sid);
    assert.equal(attrs.name, `${host}|0|${portal.sid}`);
    assert.equal(attrs.allow, 'geolocation *; microphone *; camera *; autoplay *;');
    assert.equal(attrs.sandbox, false);
    assert.equal(attrs.src, `${env.app}index.html?DOMAIN=${host}&PROTOCOL=0&LANG=en&APP_SID=${portal.sid}`);

    // installFinish → setInstallFinish:{}::SID (no callback, never answered), seen in the mirrored log.
    const stats = await env.stats();
    const mirrored = stats.frame_log.filter((e) => e.dir === 'in').map((e) => e.data);
    assert.ok(mirrored.includes(`setInstallFinish:{}::${installSid}`),
      'the portal log mirror has setInstallFinish: ' + JSON.stringify(mirrored));
    assert.deepEqual(p.errors, []);
  } finally {
    await p.close();
  }
}

/** index.html with the v1 stand-in: init, getAuth, task.item.list + next(), batch, fitWindow, openPath. */
export async function indexFlow(browser, env) {
  const p = await newPage(browser);
  try {
    await p.page.goto(env.portal + '/');
    const frame = await appFrame(p.page, env.app, 'index.html');
    await frame.waitForFunction(() => window.__app && window.__app.sliderRequested, null, { timeout: 20_000 });
    assert.equal(await p.page.evaluate(() => window.__portal.sliderOpen()), true, 'the openPath slider is shown');
    assert.equal(await p.page.isVisible('#slider-overlay'), true);
    assert.match(await p.page.textContent('#slider-path'), /^\/crm\/deal\/details\/1\/\?from=rest_placement&from_app=/);
    await p.page.click('#slider-close');
    await frame.waitForFunction(() => window.__app.done, null, { timeout: 10_000 });
    const app = await frame.evaluate(() => window.__app);
    const portal = await portalState(p.page);
    const host = new URL(env.portal).host;

    // getAuth (docs/platform/frame-protocol.md "Lifecycle and auth"): absolute ms expiry, domain
    // from window.name.
    assert.ok(app.auth.access_token, 'access token');
    assert.ok(app.auth.refresh_token, 'refresh token');
    assert.ok(app.auth.expires_in > Date.now() + 60_000 && app.auth.expires_in < Date.now() + 7 * 86400_000,
      `expires_in is an absolute ms timestamp: ${app.auth.expires_in}`);
    assert.equal(app.auth.domain, host);
    assert.equal(app.domain, host);
    assert.equal(app.lang, 'en');
    assert.equal(app.isAdmin, true);
    assert.equal(app.placement.placement, 'DEFAULT');

    // REST through the portal's endpoint (docs/platform/frame-protocol.md "Parameter encoding"),
    // paging with next().
    assert.equal(app.page1.error, null);
    assert.equal(app.page1.status, 200);
    assert.equal(app.page1.count, Math.min(50, env.tasks));
    assert.equal(app.page1.total, env.tasks);
    assert.equal(app.page1.more, env.tasks > 50);
    assert.equal(app.page1.next, 50);
    assert.ok(app.page1.firstId > app.page1.lastId, 'ID desc');
    assert.ok(app.page1.keys.includes('ID') && app.page1.keys.includes('TITLE'), 'selected fields: ' + app.page1.keys);
    assert.equal(app.page2.error, null);
    assert.equal(app.page2.count, Math.min(50, env.tasks - 50));
    assert.ok(app.page2.firstId < app.page1.lastId, 'page 2 continues page 1');

    // Batch mapping and $result substitution.
    assert.deepEqual(app.batch.keys, ['first', 'after']);
    assert.equal(app.batch.first.error, null);
    assert.equal(app.batch.first.count, 2);
    assert.equal(app.batch.first.total, env.tasks);
    assert.equal(app.batch.after.error, null);
    assert.equal(app.batch.after.count, 2);
    assert.ok(app.batch.after.firstId > app.batch.first.lastId, '$result[first][1][ID] was substituted');

    // The wire bytes as the browser sent them.
    const lists = p.requests.filter((r) => r.url === `${env.portal}/rest/task.item.list.json`);
    assert.equal(lists.length, 2, 'one request per page: ' + JSON.stringify(p.requests.map((r) => r.url)));
    const token = app.auth.access_token;
    const params = '0[ID]=desc&1[%3EID]=0&2[NAV_PARAMS][nPageSize]=50&2[NAV_PARAMS][iNumPage]=1&3[0]=ID&3[1]=TITLE';
    assert.equal(lists[0].body, `auth=${token}&${params}`);
    assert.equal(lists[1].body, `auth=${token}&start=50&${params}`);
    assert.equal(lists[0].contentType, 'text/plain;charset=UTF-8');
    const batches = p.requests.filter((r) => r.url === `${env.portal}/rest/batch.json`);
    assert.equal(batches.length, 1);
    const cmd = (inner) => encodeURIComponent('task.item.list?' + inner);
    assert.equal(batches[0].body, `auth=${token}&halt=1` +
      `&cmd[first]=${cmd('0[ID]=asc&1[%3EID]=0&2[NAV_PARAMS][nPageSize]=2&2[NAV_PARAMS][iNumPage]=1&3[0]=ID&3[1]=TITLE')}` +
      `&cmd[after]=${cmd('0[ID]=asc&1[%3EID]=%24result%5Bfirst%5D%5B1%5D%5BID%5D&2[NAV_PARAMS][nPageSize]=2&2[NAV_PARAMS][iNumPage]=1&3[0]=ID')}`);

    // Parent side: the window messages and their replies (docs/platform/frame-protocol.md "Messages
    // from the app to the portal", "Replies from the portal").
    const inMsgs = ins(portal.log);
    assert.match(inMsgs[0], new RegExp(`^getInitData::${CB}:${portal.sid}$`));
    assert.ok(inMsgs.includes(`setTitle:{"title":"Fixture: tasks"}::${portal.sid}`), JSON.stringify(inMsgs));
    assert.equal(portal.title, 'Fixture: tasks');
    const resize = inMsgs.find((m) => m.startsWith('resizeWindow:'));
    assert.match(resize, new RegExp(`^resizeWindow:\\{"width":"100%","height":\\d+\\}:${CB}:${portal.sid}$`));
    assert.equal(JSON.parse(resize.split(':').slice(1, -2).join(':')).height, app.fit.scroll.scrollHeight);
    assert.ok(!inMsgs.some((m) => m.startsWith('setInstallFinish')), 'installFinish is a no-op when INSTALL is false');
    assert.ok(!inMsgs.some((m) => m.startsWith('setInstall:')), 'no install chain → no setInstall');
    const frameHeight = await p.page.evaluate(() => window.__portal.frame.offsetHeight);
    assert.equal(frameHeight, app.fit.scroll.scrollHeight, 'fitWindow applied the height');
    assert.equal(app.fit.reply.height, frameHeight);
    assert.ok(app.fit.reply.width > 0);

    const initCb = inMsgs[0].split(':')[2];
    const initReply = outs(portal.log).find((m) => m.startsWith(initCb + ':'));
    const init = JSON.parse(initReply.slice(33));
    assert.deepEqual(Object.keys(init).sort(), ['APP_OPTIONS', 'AUTH_EXPIRES', 'AUTH_ID', 'DOMAIN', 'FIRST_RUN',
      'INSTALL', 'IS_ADMIN', 'LANG', 'MEMBER_ID', 'PATH', 'PLACEMENT', 'PLACEMENT_OPTIONS', 'PROTOCOL', 'REFRESH_ID',
      'USER_OPTIONS']);
    assert.equal(init.DOMAIN, host);
    assert.equal(init.PROTOCOL, 0);
    assert.equal(init.PATH, '/rest');
    assert.equal(typeof init.AUTH_EXPIRES, 'string');
    assert.equal(init.INSTALL, false);
    assert.equal(init.AUTH_ID, token);

    assert.deepEqual(app.badPath, { result: 'error', errorCode: 'PATH_NOT_AVAILABLE' });
    assert.deepEqual(app.openPath, { result: 'close' });
    assert.equal(await p.page.evaluate(() => window.__portal.sliderOpen()), false);

    // The mirror to /__portal/log carries the same messages.
    await waitFor(async () => {
      const s = await env.stats();
      return s.frame_log.some((e) => e.dir === 'out' && String(e.data).endsWith(':{"result":"close"}'));
    }, { what: 'the mirrored log' });
    assert.deepEqual(p.errors, []);
  } finally {
    await p.close();
  }
}

/** expired_token → refreshAuth through the parent → silent retry (docs/platform/frame-protocol.md "Answers, errors and token refresh in the SDK"). */
export async function refreshFlow(browser, env) {
  const p = await newPage(browser);
  try {
    await p.page.goto(env.portal + '/');
    const frame = await appFrame(p.page, env.app, 'index.html');
    await frame.waitForFunction(() => window.__app && window.__app.sliderRequested, null, { timeout: 20_000 });
    const before = await frame.evaluate(() => BX24.getAuth().access_token);
    await env.expireTokens();
    await frame.evaluate(() => {
      window.__refresh = null;
      BX24.callMethod('task.item.list', [{ ID: 'desc' }, { '>ID': 0 }, { NAV_PARAMS: { nPageSize: 3 } }, ['ID']], (r) => {
        window.__refresh = { error: r.error() ? String(r.error()) : null, count: r.data().length, token: BX24.getAuth().access_token };
      });
    });
    await frame.waitForFunction(() => window.__refresh, null, { timeout: 15_000 });
    const got = await frame.evaluate(() => window.__refresh);
    assert.equal(got.error, null);
    assert.equal(got.count, 3);
    assert.notEqual(got.token, before, 'a new token after refresh');
    const portal = await portalState(p.page);
    const refresh = ins(portal.log).find((m) => m.startsWith('refreshAuth:'));
    assert.match(refresh, new RegExp(`^refreshAuth:\\{\\}:${CB}:${portal.sid}$`));
    const reply = outs(portal.log).find((m) => m.startsWith(refresh.split(':')[2] + ':'));
    const body = JSON.parse(reply.slice(33));
    assert.deepEqual(Object.keys(body).sort(), ['AUTH_EXPIRES', 'AUTH_ID', 'REFRESH_ID']);
    assert.equal(body.AUTH_ID, got.token);
    assert.deepEqual(p.errors, []);
  } finally {
    await p.close();
  }
}

/**
 * Parent-side protocol details driven by raw postMessage from inside the app frame:
 * string and object forms, the b24jssdk 3-part form, wrong SID, wrong origin, unknown commands,
 * options, resize, dialogs, closeApplication (no reply).
 */
/**
 * Opens the portal page, lets the fixture app finish (closing its openPath slider), and returns
 * helpers to post raw frame messages from inside the app frame and read the portal's replies.
 */
async function rawFrame(p, env) {
  await p.page.goto(env.portal + '/');
  const frame = await appFrame(p.page, env.app, 'index.html');
  await frame.waitForFunction(() => window.__app && window.__app.sliderRequested, null, { timeout: 20_000 });
  // Let the fixture finish first (its openPath slider is open now).
  await p.page.evaluate(() => window.__portal.closeSlider());
  await frame.waitForFunction(() => window.__app.done, null, { timeout: 10_000 });
  const sid = await p.page.evaluate(() => window.__portal.sid);
  const portalOrigin = new URL(env.portal).origin;
  await frame.evaluate((origin) => {
    window.__replies = {};
    window.addEventListener('message', (e) => {
      if (e.origin === origin && typeof e.data === 'string') {
        const i = e.data.indexOf(':');
        window.__replies[e.data.slice(0, i)] = e.data.slice(i + 1);
      }
    });
  }, portalOrigin);
  const post = (msg) => frame.evaluate(([m, origin]) => parent.postMessage(m, origin), [msg, portalOrigin]);
  const reply = (id) => frame.waitForFunction((k) => window.__replies[k] !== undefined, id, { timeout: 5_000 })
    .then(() => frame.evaluate((k) => window.__replies[k], id));
  return { frame, sid, portalOrigin, post, reply };
}

export async function parentProtocol(browser, env) {
  const p = await newPage(browser);
  try {
    const { frame, sid, post, reply } = await rawFrame(p, env);

    // 3-part form as b24jssdk sends it when there are no params, and the object form.
    await post(`getInterface:cbiface:${sid}`);
    const iface = JSON.parse(await reply('cbiface'));
    for (const c of ['getInitData', 'refreshAuth', 'resizeWindow', 'setTitle', 'setScroll', 'setUserOption',
      'setAppOption', 'setInstall', 'setInstallFinish', 'openPath', 'reloadWindow', 'closeApplication']) {
      assert.ok(iface.command.includes(c), c);
    }
    assert.deepEqual(iface.event, []);
    await post({ method: 'setTitle', params: { title: 'Obj: form' }, callback: 'cbobj', appSid: sid });
    assert.deepEqual(JSON.parse(await reply('cbobj')), { title: 'Obj: form' });
    assert.equal(await p.page.textContent('#pagetitle'), 'Obj: form');

    // Options round trips.
    await post(`setUserOption:{"name":"view","value":"a:b"}:cbuopt:${sid}`);
    assert.deepEqual(JSON.parse(await reply('cbuopt')), { name: 'view', value: 'a:b' });
    await post(`setAppOption:{"name":"mode","value":"x"}:cbaopt:${sid}`);
    const whole = JSON.parse(await reply('cbaopt'));
    assert.equal(whole.mode, 'x', 'setAppOption replies with the whole options object');

    // resizeWindow with pixels, dialogs.
    await post(`resizeWindow:{"width":300,"height":200}:cbsize:${sid}`);
    assert.deepEqual(JSON.parse(await reply('cbsize')), { width: 300, height: 200 });
    await post(`selectUser:{"mult":false}:cbuser:${sid}`);
    assert.equal(typeof JSON.parse(await reply('cbuser')).id, 'string');
    await post(`openPath:{"path":"/company/personal/user/5/"}:cbpath:${sid}`);
    await waitFor(() => p.page.evaluate(() => window.__portal.sliderOpen()), { what: 'slider' });
    await p.page.evaluate(() => window.__portal.closeSlider());
    assert.deepEqual(JSON.parse(await reply('cbpath')), { result: 'close' });

    // No reply: wrong SID, unknown command, closeApplication outside a slider, im*; wrong origin.
    await post(`getInterface::cbwrongsid:${'0'.repeat(32)}`);
    await post(`noSuchCommand:{}:cbunknown:${sid}`);
    await post(`closeApplication::cbclose:${sid}`);
    await post(`imOpenMessenger:{"dialogId":"1"}:cbim:${sid}`);
    await p.page.evaluate((s) => window.postMessage(`getInterface::cbselforigin:${s}`, '*'), sid);
    // A final answered command proves the earlier ones were processed (messages are ordered).
    await post(`getInterface::cbbarrier:${sid}`);
    await reply('cbbarrier');
    await waitFor(() => p.page.evaluate(() => window.__portalLog.some((e) => e.note === 'dropped: origin')),
      { what: 'the self-origin message to be dropped' });
    const replies = await frame.evaluate(() => Object.keys(window.__replies));
    for (const id of ['cbwrongsid', 'cbunknown', 'cbclose', 'cbim', 'cbselforigin']) {
      assert.ok(!replies.includes(id), `no reply for ${id}`);
    }
    const log = (await portalState(p.page)).log;
    assert.ok(log.some((e) => e.note === 'dropped: wrong APP_SID'));
    assert.ok(log.some((e) => e.note === 'ignored: unknown command'));
    assert.ok(log.filter((e) => e.dir === 'out').every((e) => e.origin === new URL(env.app).origin),
      'replies go to the app origin only');
    assert.deepEqual(p.errors, []);
  } finally {
    await p.close();
  }
}

/**
 * Task and user paths in openPath must name a real user (and task): user 0 is refused with a
 * visible error in the slider, recorded in the page's log and, on the emulator, counted in
 * /__stats refused_paths; a path under a real user opens as before.
 */
export async function taskPaths(browser, env) {
  const p = await newPage(browser);
  try {
    const { sid, post, reply } = await rawFrame(p, env);
    const sliderText = () => p.page.textContent('#slider-path');
    const isRefused = () => p.page.evaluate(() => document.getElementById('slider').classList.contains('refused'));
    const open = async (path, id) => {
      await post(`openPath:${JSON.stringify({ path })}:${id}:${sid}`);
      await waitFor(() => p.page.evaluate(() => window.__portal.sliderOpen()), { what: `slider for ${path}` });
      const shown = { text: await sliderText(), refused: await isRefused() };
      await p.page.evaluate(() => window.__portal.closeSlider());
      assert.deepEqual(JSON.parse(await reply(id)), { result: 'close' }, `${path}: replied on close`);
      return shown;
    };
    const before = (await env.stats()).refused_paths;

    const bad = ['/company/personal/user/0/tasks/task/view/42/', '/company/personal/user/7/tasks/task/view/0/',
      '/company/personal/user/0/'];
    for (const [i, path] of bad.entries()) {
      const shown = await open(path, `cbbad${i}`);
      assert.ok(shown.text.startsWith('Refused by the emulator: ' + path), shown.text);
      assert.equal(shown.refused, true, `${path}: the slider shows an error`);
    }
    const good = '/company/personal/user/7/tasks/task/view/42/';
    const shown = await open(good, 'cbgood');
    assert.ok(shown.text.startsWith(good + '?from=rest_placement&from_app='), shown.text);
    assert.equal(shown.refused, false);

    assert.deepEqual(await p.page.evaluate(() => window.__portal.refused.map((r) => r.path)), bad);
    if (before !== undefined) {
      await waitFor(async () => (await env.stats()).refused_paths === before + bad.length,
        { what: `/__stats refused_paths = ${before + bad.length}` });
      const logged = (await env.stats()).frame_log.filter((e) => e.dir === 'refused').map((e) => e.data);
      assert.deepEqual(logged.slice(-bad.length), bad);
    }
    assert.deepEqual(p.errors, []);
  } finally {
    await p.close();
  }
}

/** The official @bitrix24/b24jssdk frame client initialises in the emulated portal and calls REST. */
export async function b24jssdkFrame(browser, env) {
  const p = await newPage(browser);
  try {
    await p.page.goto(env.portal + '/');
    const frame = await appFrame(p.page, env.app, 'index.html');
    await frame.waitForFunction(() => window.__app && (window.__app.done || window.__app.error), null, { timeout: 30_000 });
    const app = await frame.evaluate(() => window.__app);
    assert.equal(app.error, undefined, 'b24jssdk error: ' + app.error);
    const portal = await portalState(p.page);
    assert.equal(app.init.sid, portal.sid);
    assert.equal(app.init.lang, 'en');
    assert.equal(app.init.isAdmin, true);
    assert.equal(app.init.hasAuth, true);
    assert.equal(app.init.installMode, false);
    assert.equal(app.rest.ok, true);
    assert.equal(app.rest.count, Math.min(5, env.tasks));
    assert.equal(app.rest.total, env.tasks);
    assert.equal(portal.title, 'b24jssdk fixture');
    const inMsgs = ins(portal.log);
    // b24jssdk drops empty parts: getInitData:<cb>:<sid>; FIRST_RUN → it sends setInstall and awaits the reply.
    assert.match(inMsgs[0], new RegExp(`^getInitData:[^:]+:${portal.sid}$`));
    if (app.init.firstRun) {
      const setInstall = inMsgs.find((m) => m.startsWith('setInstall:'));
      assert.match(setInstall, new RegExp(`^setInstall:\\{"install":true\\}:[^:]+:${portal.sid}$`));
    }
    assert.deepEqual(p.errors, []);
  } finally {
    await p.close();
  }
}

/** The b24jssdk webhook client (node) lists tasks and parses a batch answer. */
export async function webhookClient(env) {
  const { B24Hook, LoggerFactory } = await import('@bitrix24/b24jssdk');
  // B24Hook only accepts HTTPS webhooks and hard-codes https:// in its base URL; the emulator is
  // plain HTTP. Test shim: parse the URL as https, then point the instance's base URLs back at http.
  const hook = B24Hook.fromWebhookUrl(env.webhook.replace(/^http:/, 'https:'));
  const bases = new Map([...hook.auth.getTargetOriginWithPath()].map(([v, url]) => [v, url.replace(/^https:/, 'http:')]));
  hook.auth.getTargetOriginWithPath = () => bases;
  if (LoggerFactory && hook.setLogger) {
    hook.setLogger(LoggerFactory.createNullLogger());
  }
  const list = await hook.actions.v2.call.make({
    method: 'task.item.list',
    params: { order: { ID: 'desc' }, filter: { '>ID': 0 }, params: { NAV_PARAMS: { nPageSize: 50, iNumPage: 1 } }, select: ['ID', 'TITLE'] },
  });
  assert.equal(list.isSuccess, true, JSON.stringify(list.getErrorMessages?.()));
  const rows = list.getData().result;
  assert.equal(rows.length, Math.min(50, env.tasks));
  assert.equal(list.getTotal(), env.tasks);
  assert.ok(Number(rows[0].ID) > Number(rows[rows.length - 1].ID));

  const batch = await hook.actions.v2.batch.make({
    calls: {
      newest: ['task.item.list', { order: { ID: 'desc' }, filter: { '>ID': 0 }, params: { NAV_PARAMS: { nPageSize: 2, iNumPage: 1 } }, select: ['ID'] }],
      oldest: { method: 'task.item.list', params: { order: { ID: 'asc' }, filter: { '>ID': 0 }, params: { NAV_PARAMS: { nPageSize: 3, iNumPage: 1 } }, select: ['ID'] } },
    },
    options: { isHaltOnError: true, returnAjaxResult: true },
  });
  assert.equal(batch.isSuccess, true, JSON.stringify(batch.getErrorMessages?.()));
  const data = batch.getData();
  assert.equal(data.newest.getData().result.length, 2);
  assert.equal(data.oldest.getData().result.length, 3);
  assert.ok(Number(data.newest.getData().result[0].ID) > Number(data.oldest.getData().result[0].ID));
  hook.destroy?.();
}
