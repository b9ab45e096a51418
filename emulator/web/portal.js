// Portal page of the local Bitrix24 emulator: hosts the app iframe and answers the BX24 frame
// protocol the way the portal's AppLayout does, as described in docs/platform/frame-protocol.md
// (`frame-protocol.md "…"` below names a section of it). Written for this project; no portal code
// is copied.
(function () {
  'use strict';

  const cfg = window.__B24_PORTAL__;
  const log = [];
  window.__portalLog = log;

  const $ = (id) => document.getElementById(id);

  if (!cfg) {
    showAlert('Emulator error: window.__B24_PORTAL__ was not injected.');
    return;
  }

  // ------------------------------------------------------------------ state
  const state = {
    // FIRST_RUN is true for the first getInitData reply only (frame-protocol.md "Init data")
    firstRun: !!cfg.firstRun,
    auth: Object.assign({}, cfg.auth || {}),
    userOptions: cfg.userOptions,
    appOptions: cfg.appOptions,
  };
  const placement = cfg.placement || 'DEFAULT';
  // Allow-list of openPath (AppLayout, frame-protocol.md "Window and navigation").
  const OPEN_PATH_ALLOWED = /^\/(crm\/(deal|lead|contact|company|type)|marketplace|company\/personal\/user\/\d+|workgroups\/group\/\d+)\//;
  // Stricter than the portal, to catch app bugs: a user page (and a task card under it,
  // /company/personal/user/<user ID>/tasks/task/view/<task ID>/) must name a real user. No
  // portal user has ID 0, and the documented example opens a task under its responsible's ID.
  const USER_PATH = /^\/company\/personal\/user\/([^/?#]*)(\/[^?#]*)?/;
  const TASK_VIEW = /^\/tasks\/task\/view\/([^/?#]*)/;
  const POSITIVE_ID = /^[1-9][0-9]*$/;

  /** Why the emulator refuses `path` (a user or task path with a bad ID), or null. */
  function userPathProblem(path) {
    const user = USER_PATH.exec(path);
    if (!user) {
      return null;
    }
    if (!POSITIVE_ID.test(user[1])) {
      return 'the user segment must be a positive user ID, got "' + user[1] + '"';
    }
    const task = TASK_VIEW.exec(user[2] || '');
    if (task && !POSITIVE_ID.test(task[1])) {
      return 'the task ID must be a positive number, got "' + task[1] + '"';
    }
    return null;
  }

  // ------------------------------------------------------------------ log
  function record(dir, data, origin, note) {
    const entry = { dir, data, origin, t: Date.now() };
    if (note) {
      entry.note = note;
    }
    log.push(entry);
    mirror(entry);
  }

  // Mirror every entry to the emulator (GET /__stats shows it as frame_log). sendBeacon survives
  // the navigations done by reloadWindow / setInstallFinish.
  function mirror(entry) {
    let body;
    try {
      body = JSON.stringify(entry);
    } catch (e) {
      body = JSON.stringify({ dir: entry.dir, data: String(entry.data), origin: entry.origin, t: entry.t });
    }
    const blob = new Blob([body], { type: 'application/json' });
    if (!(navigator.sendBeacon && navigator.sendBeacon('/__portal/log', blob))) {
      fetch('/__portal/log', { method: 'POST', body, headers: { 'Content-Type': 'application/json' }, keepalive: true })
        .catch(() => {});
    }
  }

  // ------------------------------------------------------------------ page chrome
  function showAlert(text) {
    const box = $('portal-alert');
    if (box) {
      box.textContent = text;
      box.hidden = false;
    }
  }

  function setPageTitle(title) {
    $('pagetitle').textContent = title;
    document.title = title;
  }

  // A fake side slider: shows what would open, replies when closed.
  let slider = null; // { onClose }

  function openSlider(title, text, onClose, isError) {
    if (slider) {
      closeSlider();
    }
    slider = { onClose };
    $('slider-title').textContent = title;
    $('slider-path').textContent = text;
    $('slider').classList.toggle('refused', !!isError);
    $('slider-overlay').hidden = false;
  }

  const refused = []; // { path, problem } of every refused path (test hook)

  // A path the emulator will not open: the slider shows the error instead of the page, the
  // console and the mirrored log (GET /__stats: refused_paths, frame_log) record it. The app
  // gets the usual reply when the slider is closed.
  function refusePath(path, problem, onClose) {
    const text = 'Refused by the emulator: ' + path + ' (' + problem +
      '; a task opens as /company/personal/user/<user ID>/tasks/task/view/<task ID>/)';
    console.error(text);
    refused.push({ path, problem });
    record('refused', path, location.origin, problem);
    openSlider('Path refused', text, onClose, true);
  }

  function closeSlider() {
    if (!slider) {
      return false;
    }
    const current = slider;
    slider = null;
    $('slider-overlay').hidden = true;
    if (current.onClose) {
      current.onClose();
    }
    return true;
  }

  // ------------------------------------------------------------------ the iframe
  // frame-protocol.md "How the portal builds the frame"
  const frame = document.createElement('iframe');
  frame.id = 'appframe_' + cfg.sid;
  frame.name = cfg.domain + '|' + cfg.protocol + '|' + cfg.sid;
  frame.setAttribute('allow', 'geolocation *; microphone *; camera *; autoplay *;');
  frame.setAttribute('frameborder', '0');
  // Static app: plain GET with the four query parameters; tokens only via getInitData
  // (frame-protocol.md "How the portal builds the frame").
  frame.src = cfg.appUrl + (cfg.appUrl.indexOf('?') >= 0 ? '&' : '?') +
    'DOMAIN=' + cfg.domain + '&PROTOCOL=' + cfg.protocol + '&LANG=' + cfg.lang + '&APP_SID=' + cfg.sid;

  // ------------------------------------------------------------------ replies
  // frame-protocol.md "Replies from the portal"
  function reply(callbackId, result) {
    if (!callbackId) {
      return; // only when the app supplied a callback id
    }
    const data = callbackId + ':' + (result === undefined ? '' : JSON.stringify(result));
    record('out', data, cfg.appOrigin);
    frame.contentWindow.postMessage(data, cfg.appOrigin);
  }

  function post(path, body) {
    return fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    }).then((r) => {
      if (!r.ok) {
        throw new Error(path + ' answered ' + r.status);
      }
      return r.text().then((t) => (t ? JSON.parse(t) : null));
    });
  }

  function failed(what) {
    return (err) => {
      console.error(what, err);
      showAlert(what + ' failed: ' + (err && err.message || err));
    };
  }

  // ------------------------------------------------------------------ commands
  // frame-protocol.md "Init data", "Portal commands that do not answer"
  const FAKE_USER = {
    id: '1', name: 'Emulated Admin', photo: '', position: 'Administrator',
    url: '/company/personal/user/1/', sub: false, sup: false,
  };
  const FAKE_USER_2 = {
    id: '2', name: 'Emulated Employee', photo: '', position: 'Employee',
    url: '/company/personal/user/2/', sub: true, sup: false,
  };

  const handlers = {
    getInitData(p, cb) {
      reply(cb, {
        LANG: cfg.lang,
        DOMAIN: location.host,
        PROTOCOL: Number(cfg.protocol) || 0,
        PATH: cfg.path || '/rest',
        AUTH_ID: state.auth.AUTH_ID,
        AUTH_EXPIRES: String(state.auth.AUTH_EXPIRES), // seconds, a string like the template's
        REFRESH_ID: state.auth.REFRESH_ID,
        MEMBER_ID: state.auth.MEMBER_ID,
        FIRST_RUN: state.firstRun,
        IS_ADMIN: !!cfg.isAdmin,
        INSTALL: !!cfg.install,
        USER_OPTIONS: state.userOptions,
        APP_OPTIONS: state.appOptions,
        PLACEMENT: placement,
        PLACEMENT_OPTIONS: cfg.placementOptions || {},
      });
      state.firstRun = false;
    },

    getInterface(p, cb) {
      reply(cb, { command: Object.keys(handlers), event: [] });
    },

    // On failure the portal shows an alert and never replies (frame-protocol.md "Portal commands
    // that do not answer").
    refreshAuth(p, cb) {
      post('/__portal/refresh', { refresh_token: state.auth.REFRESH_ID })
        .then((data) => {
          if (!data || !data.AUTH_ID) {
            throw new Error('no token');
          }
          state.auth.AUTH_ID = data.AUTH_ID;
          state.auth.AUTH_EXPIRES = data.AUTH_EXPIRES;
          state.auth.REFRESH_ID = data.REFRESH_ID;
          reply(cb, { AUTH_ID: data.AUTH_ID, AUTH_EXPIRES: data.AUTH_EXPIRES, REFRESH_ID: data.REFRESH_ID });
        })
        .catch(() => showAlert('Unable to get new token! Reload page, please!'));
    },

    resizeWindow(p, cb) {
      p = p || {};
      const height = parseInt(p.height, 10);
      if (height > 0) {
        frame.style.height = height + 'px';
      }
      if (p.width === '100%') {
        frame.style.width = '100%';
      } else {
        const width = parseInt(p.width, 10);
        if (width > 0) {
          frame.style.width = width + 'px';
        }
      }
      reply(cb, { width: frame.offsetWidth, height: frame.offsetHeight });
    },

    setTitle(p, cb) {
      if (placement !== 'DEFAULT') {
        return; // denied outside the DEFAULT placement (frame-protocol.md "Window and navigation")
      }
      setPageTitle(String((p || {}).title));
      reply(cb, p);
    },

    setScroll(p, cb) {
      window.scrollTo(0, parseInt((p || {}).scroll, 10) || 0);
      reply(cb, p);
    },

    setUserOption(p, cb) {
      p = p || {};
      post('/__portal/user-option', { user: cfg.userId, name: p.name, value: p.value })
        .then(() => {
          if (Array.isArray(state.userOptions) || !state.userOptions) {
            state.userOptions = {};
          }
          state.userOptions[p.name] = p.value;
          reply(cb, p);
        })
        .catch(failed('setUserOption'));
    },

    setAppOption(p, cb) {
      if (!cfg.isAdmin) {
        // non-admins never get a reply (frame-protocol.md "Options, dialogs, placement", "Portal
        // commands that do not answer")
        return;
      }
      p = p || {};
      post('/__portal/app-option', { name: p.name, value: p.value })
        .then((options) => {
          state.appOptions = options;
          reply(cb, options);
        })
        .catch(failed('setAppOption'));
    },

    setInstall(p, cb) {
      p = p || {};
      post('/__portal/install', { user: cfg.userId, install: !!p.install })
        .then(() => reply(cb, p))
        .catch(failed('setInstall'));
    },

    // Admin only: mark installed, then reload the top page with install_finished=Y|N; never replies
    // (frame-protocol.md "Portal commands that do not answer").
    setInstallFinish(p) {
      if (!cfg.isAdmin) {
        return;
      }
      const v = p && p.value === false ? 'N' : 'Y';
      post('/__portal/installed', { v })
        .then(() => {
          const url = new URL(location.href);
          url.searchParams.set('install_finished', v);
          location.href = url.toString();
        })
        .catch(failed('setInstallFinish'));
    },

    reloadWindow() {
      location.reload();
    },

    openPath(p, cb) {
      if (cfg.mobile) {
        reply(cb, { result: 'error', errorCode: 'METHOD_NOT_SUPPORTED_ON_DEVICE' });
        return;
      }
      const path = String((p || {}).path || '');
      if (!OPEN_PATH_ALLOWED.test(path)) {
        reply(cb, { result: 'error', errorCode: 'PATH_NOT_AVAILABLE' });
        return;
      }
      const problem = userPathProblem(path);
      if (problem) {
        refusePath(path, problem, () => reply(cb, { result: 'close' }));
        return;
      }
      const shown = path + (path.indexOf('?') >= 0 ? '&' : '?') + 'from=rest_placement&from_app=' +
        encodeURIComponent(cfg.appId || 'local');
      openSlider('Portal page', shown, () => reply(cb, { result: 'close' }));
    },

    openApplication(p, cb) {
      openSlider('Application', JSON.stringify(p || {}), () => reply(cb, undefined));
    },

    // The app is never shown inside a slider here, so there is nothing to close and no reply
    // (frame-protocol.md "Window and navigation").
    closeApplication() {},

    selectUser(p, cb) {
      reply(cb, p && p.mult ? [FAKE_USER, FAKE_USER_2] : FAKE_USER);
    },

    selectAccess(p, cb) {
      reply(cb, [{ id: 'U1', name: FAKE_USER.name }, { id: 'G2', name: 'All employees' }]);
    },

    selectCRM(p, cb) {
      reply(cb, { deal: [{ id: 'D_1', type: 'deal', place: 'deal', title: 'Emulated deal' }] });
    },

    // im* commands open the messenger in the real portal; nothing to answer (frame-protocol.md
    // "Window and navigation").
    imCallTo() {},
    imPhoneTo() {},
    imOpenMessenger() {},
    imOpenHistory() {},
  };

  // ------------------------------------------------------------------ receiving
  // frame-protocol.md "Messages from the app to the portal"
  function parse(data) {
    if (typeof data === 'string') {
      // Command = first part, APP_SID = last, callback = second-to-last, params = the middle
      // re-joined with ':' (params may contain colons).
      const parts = data.split(':');
      return {
        command: parts[0],
        sid: parts.length > 1 ? parts[parts.length - 1] : '',
        callback: parts.length > 2 ? parts[parts.length - 2] : '',
        params: parts.slice(1, -2).join(':'),
      };
    }
    if (data && typeof data === 'object') {
      return { command: data.method, sid: data.appSid, callback: data.callback, params: data.params };
    }
    return null;
  }

  window.addEventListener('message', (e) => {
    if (e.origin !== cfg.appOrigin) {
      record('in', e.data, e.origin, 'dropped: origin');
      return;
    }
    const msg = parse(e.data);
    if (!msg) {
      record('in', e.data, e.origin, 'dropped: not a string or object');
      return;
    }
    if (msg.sid !== cfg.sid) {
      record('in', e.data, e.origin, 'dropped: wrong APP_SID');
      return;
    }
    let params = msg.params;
    if (typeof params === 'string') {
      if (params === '') {
        params = undefined;
      } else {
        try {
          params = JSON.parse(params);
        } catch (err) {
          record('in', e.data, e.origin, 'dropped: params are not JSON');
          return;
        }
      }
    }
    const handler = Object.prototype.hasOwnProperty.call(handlers, msg.command) ? handlers[msg.command] : null;
    record('in', e.data, e.origin, handler ? undefined : 'ignored: unknown command');
    if (handler) {
      handler(params, msg.callback || '');
    }
  });

  // ------------------------------------------------------------------ start
  $('slider-close').addEventListener('click', closeSlider);
  $('user').textContent = 'User #' + cfg.userId + (cfg.isAdmin ? ' (administrator)' : '');
  $('menu-app').setAttribute('href', location.pathname + location.search);
  $('workarea').appendChild(frame);

  // Test hooks.
  window.__portal = {
    log,
    sid: cfg.sid,
    frame,
    sliderOpen: () => slider !== null,
    refused,
    closeSlider,
  };
})();
