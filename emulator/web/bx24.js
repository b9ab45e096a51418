/*
 * BX24 v1 JS SDK stand-in for the local Bitrix24 emulator (served in place of //api.bitrix24.com/api/v1/).
 *
 * Written for this project from the behaviour described in docs/platform/frame-protocol.md (the
 * API surface, the frame messages, the REST transport, the traps). It is NOT a copy of the
 * Bitrix file (which carries no licence). `frame-protocol.md "…"` below names a section of that page.
 *
 * Fidelity rule used where the document is silent: prefer the stricter behaviour, so that an app
 * which works with this stand-in also works with the real SDK.
 */
(function (window) {
  'use strict';

  var document = window.document;

  // ---------------------------------------------------------------- bootstrap
  // frame-protocol.md "Bootstrap and outside a frame"
  // Only window.name is read: "DOMAIN|PROTOCOL|APP_SID"; the URL query string is ignored.
  var nameParts = String(window.name || '').split('|');
  var PARAMS = {
    DOMAIN: (nameParts[0] || '').replace(/:(80|443)$/, ''),
    PROTOCOL: parseInt(nameParts[1], 10) || 0,
    APP_SID: nameParts[2] || '',
    PATH: '',
    LANG: '',
    AUTH_ID: '',
    REFRESH_ID: '',
    AUTH_EXPIRES: 0, // absolute ms timestamp (frame-protocol.md "Lifecycle and auth")
    MEMBER_ID: '',
    IS_ADMIN: false,
    FIRST_RUN: false,
    INSTALL: false,
    USER_OPTIONS: {},
    APP_OPTIONS: {},
    PLACEMENT: '',
    PLACEMENT_OPTIONS: {}
  };

  if (!PARAMS.DOMAIN || !PARAMS.APP_SID) {
    // frame-protocol.md "Bootstrap and outside a frame": outside a portal frame the library nulls
    // itself and fails at load.
    window.BX24 = null;
    throw new Error('Unable to initialize Bitrix24 JS library!');
  }

  var initialized = false;
  var initQueue = [];        // BX24.init handlers waiting for init data
  var installQueue = [];     // BX24.install handlers (functions or script URLs)
  var installChainDone = false;
  var domReady = false;
  var readyQueue = [];

  function portalOrigin() {
    return 'http' + (PARAMS.PROTOCOL ? 's' : '') + '://' + PARAMS.DOMAIN;
  }

  // 32 characters of [0-9a-z], like the SDK's util.uniqid (frame-protocol.md "Messages from the
  // app to the portal").
  function uniqid() {
    var chars = '0123456789abcdefghijklmnopqrstuvwxyz';
    var s = '';
    for (var i = 0; i < 32; i++) {
      s += chars.charAt(Math.floor(Math.random() * chars.length));
    }
    return s;
  }

  function isArray(v) {
    return Object.prototype.toString.call(v) === '[object Array]';
  }

  // ---------------------------------------------------------------- messages
  // frame-protocol.md "Messages from the app to the portal", "Replies from the portal"
  // Callbacks are registered by id and never removed (frame-protocol.md "Replies from the portal"),
  // so repeated replies
  // (placement.bindEvent) keep working.
  var callbacks = {};

  function sendMessage(command, params, callback) {
    var cbId = '';
    if (typeof callback === 'function') {
      cbId = uniqid();
      callbacks[cbId] = callback;
    }
    var message;
    if (String(command).indexOf(':') >= 0) {
      // Object form for commands that contain ':' (placement commands, frame-protocol.md "Messages
      // from the app to the portal").
      message = { method: command, params: params || '', callback: cbId, appSid: PARAMS.APP_SID };
    } else {
      message = command + ':' + (params ? JSON.stringify(params) : '') + ':' + cbId + ':' + PARAMS.APP_SID;
    }
    window.parent.postMessage(message, portalOrigin());
  }

  function runCallback(e) {
    if (e.origin !== portalOrigin()) {
      // frame-protocol.md "Replies from the portal": replies from any other origin are ignored
      return;
    }
    // frame-protocol.md "Replies from the portal": the real SDK assumes a string here; a non-string
    // from the portal origin throws.
    var data = e.data;
    var pos = data.indexOf(':');
    var id = pos < 0 ? data : data.substring(0, pos);
    var rest = pos < 0 ? '' : data.substring(pos + 1);
    var args = rest.length > 0 ? JSON.parse(rest) : [];
    if (Object.prototype.hasOwnProperty.call(callbacks, id)) {
      callbacks[id].apply(window, [args]);
    }
  }

  window.addEventListener('message', runCallback, false);

  // ---------------------------------------------------------------- DOM ready
  function onDomReady() {
    if (domReady) {
      return;
    }
    domReady = true;
    var queue = readyQueue;
    readyQueue = [];
    for (var i = 0; i < queue.length; i++) {
      queue[i].call(document);
    }
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', onDomReady, false);
  } else {
    domReady = true;
  }

  // ---------------------------------------------------------------- init data
  // frame-protocol.md "Init data"
  function applyInitData(data) {
    data = data || {};
    // DOMAIN from window.name wins (it is always present, see bootstrap).
    if (!PARAMS.DOMAIN && data.DOMAIN) {
      PARAMS.DOMAIN = String(data.DOMAIN).replace(/:(80|443)$/, '');
    }
    if (typeof data.PROTOCOL !== 'undefined') {
      PARAMS.PROTOCOL = parseInt(data.PROTOCOL, 10) || 0;
    }
    PARAMS.PATH = data.PATH || '';
    PARAMS.LANG = data.LANG || '';
    PARAMS.AUTH_ID = data.AUTH_ID || '';
    PARAMS.REFRESH_ID = data.REFRESH_ID || '';
    PARAMS.AUTH_EXPIRES = Date.now() + (parseInt(data.AUTH_EXPIRES, 10) || 0) * 1000;
    if (PARAMS.AUTH_ID) {
      // frame-protocol.md "Init data": IS_ADMIN / MEMBER_ID are only applied when AUTH_ID is
      // non-empty.
      PARAMS.IS_ADMIN = !!data.IS_ADMIN;
      PARAMS.MEMBER_ID = data.MEMBER_ID || '';
    }
    PARAMS.FIRST_RUN = !!data.FIRST_RUN;
    PARAMS.INSTALL = !!data.INSTALL;
    PARAMS.USER_OPTIONS = data.USER_OPTIONS || {};
    PARAMS.APP_OPTIONS = data.APP_OPTIONS || {};
    PARAMS.PLACEMENT = data.PLACEMENT || '';
    PARAMS.PLACEMENT_OPTIONS = data.PLACEMENT_OPTIONS || {};
  }

  function runInitHandlers() {
    var queue = initQueue;
    initQueue = [];
    for (var i = 0; i < queue.length; i++) {
      queue[i]();
    }
  }

  // frame-protocol.md "Lifecycle and auth": after init, installFinish stays active only in the
  // installer stage (INSTALL true);
  // during the BX24.install chain it advances the chain; after the chain it is a no-op.
  function noop() {}

  function postInstallFinish() {
    sendMessage('setInstallFinish', {});
  }

  function runInstallChain() {
    var index = 0;
    function next() {
      if (index >= installQueue.length) {
        installChainDone = true;
        BX24.installFinish = noop;
        sendMessage('setInstall', { install: true });
        runInitHandlers();
        return;
      }
      var handler = installQueue[index++];
      if (typeof handler === 'function') {
        handler();
      } else {
        BX24.loadScript(handler);
      }
    }
    BX24.installFinish = next;
    next();
  }

  function onInitData(data) {
    if (initialized) {
      return; // the init callback id is never removed; ignore a repeated reply
    }
    applyInitData(data);
    initialized = true;
    if (PARAMS.FIRST_RUN && installQueue.length > 0) {
      runInstallChain();
    } else {
      BX24.installFinish = PARAMS.INSTALL ? postInstallFinish : noop;
      runInitHandlers();
    }
  }

  // ---------------------------------------------------------------- REST: encoding
  // frame-protocol.md "Parameter encoding"
  function isFileInput(v) {
    return !!v && typeof v === 'object' && v.nodeType === 1 &&
      String(v.tagName).toUpperCase() === 'INPUT' && String(v.type).toLowerCase() === 'file';
  }

  // Scalars first, then objects (recursively); literal brackets; encoded keys and values;
  // arrays as [0],[1]…; empty array → "name="; empty object → nothing; null omitted;
  // undefined → "undefined"; booleans → "true"/"false"; Date → toJSON().
  function prepareData(data, prefix) {
    var scalars = [];
    var objects = [];
    for (var key in data) {
      if (!Object.prototype.hasOwnProperty.call(data, key)) {
        continue;
      }
      var value = data[key];
      var name = prefix ? prefix + '[' + encodeURIComponent(key) + ']' : encodeURIComponent(key);
      if (value === null) {
        continue;
      }
      if (value instanceof Date) {
        value = value.toJSON();
      }
      if (typeof value === 'object') {
        if (isArray(value) && value.length === 0) {
          objects.push(name + '=');
        } else {
          var nested = prepareData(value, name);
          if (nested.length > 0) {
            objects.push(nested);
          }
        }
      } else {
        scalars.push(name + '=' + encodeURIComponent(value));
      }
    }
    return scalars.concat(objects).join('&');
  }

  // File inputs are sent as name[0]=<file name>&name[1]=<base64 content> (frame-protocol.md
  // "Parameter encoding"). Reading is
  // asynchronous, so the params tree is copied with each file input replaced first.
  function resolveFiles(data, done) {
    var pending = 1;
    function finish() {
      if (--pending === 0) {
        done(out);
      }
    }
    function walk(src) {
      if (src === null || typeof src !== 'object' || src instanceof Date) {
        return src;
      }
      if (isFileInput(src)) {
        var holder = [];
        var file = src.files && src.files[0];
        if (file && window.FileReader) {
          pending++;
          var reader = new window.FileReader();
          reader.onload = function () {
            var url = String(reader.result);
            holder.push(file.name, url.substring(url.indexOf(',') + 1));
            finish();
          };
          reader.onerror = finish;
          reader.readAsDataURL(file);
        }
        return holder;
      }
      var copy = isArray(src) ? [] : {};
      for (var k in src) {
        if (Object.prototype.hasOwnProperty.call(src, k)) {
          copy[k] = walk(src[k]);
        }
      }
      return copy;
    }
    var out = walk(data);
    finish();
  }

  function hasFileInput(data) {
    if (data === null || typeof data !== 'object') {
      return false;
    }
    if (isFileInput(data)) {
      return true;
    }
    for (var k in data) {
      if (Object.prototype.hasOwnProperty.call(data, k) && hasFileInput(data[k])) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- REST: client throttle
  // frame-protocol.md "Client throttle"
  // Leaky bucket: 90 calls of burst, drains 0.002 per ms (2 calls/s); a full bucket waits 1000 ms.
  var bucket = { amount: 0, last: Date.now() };

  function throttle(run) {
    var now = Date.now();
    bucket.amount = Math.max(0, bucket.amount - (now - bucket.last) * 0.002);
    bucket.last = now;
    if (bucket.amount < 90) {
      bucket.amount += 1;
      setTimeout(run, 10); // sends are additionally deferred by 10 ms
    } else {
      setTimeout(function () { throttle(run); }, 1000);
    }
  }

  // ---------------------------------------------------------------- REST: results
  // frame-protocol.md "REST calls and their results"
  function AjaxError(status, ex) {
    this.status = status;
    this.ex = ex;
  }
  AjaxError.prototype.getError = function () { return this.ex; };
  AjaxError.prototype.getStatus = function () { return this.status; };
  AjaxError.prototype.toString = function () {
    return this.ex.error + (this.ex.error_description ? ': ' + this.ex.error_description : '') +
      ' (' + this.status + ')';
  };

  function AjaxResult(answer, query, status) {
    this.answer = answer;
    this.query = cloneQuery(query);
    this.status = status;
    if (typeof this.answer.next !== 'undefined') {
      this.answer.next = parseInt(this.answer.next, 10);
    }
    this.ajaxError = undefined;
    if (typeof this.answer.error !== 'undefined' && this.answer.error !== null) {
      // ex is the whole answer when error is a string (single call), else the error object (batch item).
      this.ajaxError = new AjaxError(this.status,
        typeof this.answer.error === 'string' ? this.answer : this.answer.error);
    }
  }
  AjaxResult.prototype.data = function () { return this.answer.result; };
  AjaxResult.prototype.error = function () { return this.ajaxError; };
  AjaxResult.prototype.error_description = function () { return this.answer.error_description; };
  AjaxResult.prototype.more = function () { return !isNaN(this.answer.next); };
  AjaxResult.prototype.total = function () { return parseInt(this.answer.total, 10); };
  // time() is listed by the current docs (frame-protocol.md "REST calls and their results"); the
  // 2022 copy lacks it.
  AjaxResult.prototype.time = function () { return this.answer.time; };
  AjaxResult.prototype.next = function (cb) {
    if (!this.more()) {
      return false;
    }
    var query = cloneQuery(this.query);
    query.start = this.answer.next;
    if (typeof cb === 'function') {
      query.callback = cb;
    }
    ajaxCall(query);
    // Returns undefined, like callMethod (the stricter reading of frame-protocol.md "REST calls and
    // their results").
    return undefined;
  };

  function cloneQuery(q) {
    return { method: q.method, data: q.data, callback: q.callback, start: q.start };
  }

  // ---------------------------------------------------------------- REST: transport
  // frame-protocol.md "Parameter encoding"
  function isSuccess(status) {
    return (status >= 200 && status < 300) || status === 304 ||
      (status >= 400 && status < 500) || status === 1223 || status === 0;
  }

  function restUrl(method) {
    return portalOrigin() + PARAMS.PATH + '/' + encodeURIComponent(method) + '.json';
  }

  function ajaxCall(query) {
    // Proactive refresh when the stored expiry has passed (frame-protocol.md "Answers, errors and
    // token refresh in the SDK").
    if (PARAMS.AUTH_EXPIRES <= Date.now()) {
      BX24.refreshAuth(function () { throttle(function () { send(query); }); });
      return;
    }
    throttle(function () { send(query); });
  }

  function send(query) {
    if (hasFileInput(query.data)) {
      resolveFiles(query.data, function (data) { xhrSend(query, data); });
    } else {
      xhrSend(query, query.data);
    }
  }

  function xhrSend(query, data) {
    var body = 'auth=' + PARAMS.AUTH_ID;
    if (query.start) {
      body += '&start=' + query.start;
    }
    var encoded = data ? prepareData(data) : '';
    if (encoded.length > 0) {
      body += '&' + encoded;
    }
    var xhr = new window.XMLHttpRequest();
    xhr.open('POST', restUrl(query.method), true);
    // No Content-Type header: the browser sends text/plain, a CORS simple request
    // (frame-protocol.md "Parameter encoding").
    xhr.onload = function () {
      var status = xhr.status;
      if (!isSuccess(status)) {
        // frame-protocol.md "Answers, errors and token refresh in the SDK": 5xx never reaches the
        // callback
        throw 'Query error!';
      }
      var text = xhr.responseText;
      var answer;
      if (!text) {
        answer = { result: {} };
      } else {
        try {
          answer = JSON.parse(text);
        } catch (e) {
          throw 'Query error!';
        }
      }
      if (answer && answer.error === 'expired_token') {
        // frame-protocol.md "Answers, errors and token refresh in the SDK": refresh through the
        // parent, then retry silently.
        BX24.refreshAuth(function () { ajaxCall(query); });
        return;
      }
      if (typeof query.callback === 'function') {
        query.callback(new AjaxResult(answer, query, status));
      }
    };
    xhr.onerror = function () {
      throw 'Query error!';
    };
    xhr.send(body);
  }

  function callMethod(method, params, callback) {
    var data = params;
    if (data && typeof data === 'object' && !isArray(data) && data.start) {
      // frame-protocol.md "Parameter encoding": a truthy start in params is dropped; only
      // ajaxResult.next() pages.
      data = {};
      for (var k in params) {
        if (Object.prototype.hasOwnProperty.call(params, k) && k !== 'start') {
          data[k] = params[k];
        }
      }
    }
    var query = { method: method, data: data, callback: callback };
    BX24.init(function () { ajaxCall(query); });
  }

  function callBatch(calls, callback, haltOnError) {
    var arrayInput = isArray(calls);
    var cmd = arrayInput ? [] : {};
    var entries = arrayInput ? [] : {};
    var key;
    for (key in calls) {
      if (!Object.prototype.hasOwnProperty.call(calls, key)) {
        continue;
      }
      var entry = calls[key];
      var method = isArray(entry) ? entry[0] : entry.method;
      var params = isArray(entry) ? entry[1] : entry.params;
      entries[key] = { method: method, data: params };
      cmd[key] = method + '?' + (params ? prepareData(params) : '');
    }
    callMethod('batch', { halt: haltOnError ? 1 : 0, cmd: cmd }, function (res) {
      // frame-protocol.md "REST calls and their results": a failed batch (e.g. 401) has no result;
      // dereferencing it throws like the real SDK.
      var data = res.data();
      var out = arrayInput ? [] : {};
      for (var k in cmd) {
        if (!Object.prototype.hasOwnProperty.call(cmd, k)) {
          continue;
        }
        out[k] = new AjaxResult({
          result: data.result[k],
          error: data.result_error[k],
          total: data.result_total[k],
          next: data.result_next[k]
        }, { method: entries[k].method, data: entries[k].data, callback: callback }, res.status);
      }
      if (typeof callback === 'function') {
        callback(out);
      }
    });
  }

  // ---------------------------------------------------------------- the public object
  // frame-protocol.md "API surface"
  var BX24 = {
    init: function (cb) {
      if (typeof cb !== 'function') {
        return;
      }
      if (initialized) {
        setTimeout(cb, 10);
      } else {
        initQueue.push(cb);
      }
    },

    install: function (handler) {
      if (typeof handler === 'function' || typeof handler === 'string') {
        installQueue.push(handler);
      }
    },

    // Before init data arrives this posts at once (frame-protocol.md "Lifecycle and auth":
    // premature calls mark the app installed).
    installFinish: postInstallFinish,

    getAuth: function () {
      if (!initialized || PARAMS.AUTH_EXPIRES <= Date.now()) {
        return false;
      }
      return {
        access_token: PARAMS.AUTH_ID,
        refresh_token: PARAMS.REFRESH_ID,
        expires_in: PARAMS.AUTH_EXPIRES,
        domain: PARAMS.DOMAIN,
        member_id: PARAMS.MEMBER_ID
      };
    },

    refreshAuth: function (cb) {
      BX24.init(function () {
        sendMessage('refreshAuth', {}, function (params) {
          PARAMS.AUTH_ID = params.AUTH_ID;
          PARAMS.REFRESH_ID = params.REFRESH_ID;
          PARAMS.AUTH_EXPIRES = Date.now() + (parseInt(params.AUTH_EXPIRES, 10) || 0) * 1000;
          if (typeof cb === 'function') {
            cb(BX24.getAuth());
          }
        });
      });
    },

    isAdmin: function () { return PARAMS.IS_ADMIN; },
    getLang: function () { return PARAMS.LANG; },
    getDomain: function () { return PARAMS.DOMAIN; },

    callMethod: function (method, params, callback) {
      callMethod(method, params, callback);
    },
    callBatch: function (calls, callback, haltOnError) {
      callBatch(calls, callback, haltOnError);
    },

    callBind: function (event, handler, authType, cb) {
      if (!PARAMS.IS_ADMIN) {
        return false;
      }
      if (typeof authType === 'function') {
        cb = authType;
        authType = 0;
      }
      callMethod('event.bind', { event: event, handler: handler, auth_type: authType || 0 }, cb);
      return undefined;
    },
    callUnbind: function (event, handler, authType, cb) {
      if (!PARAMS.IS_ADMIN) {
        return false;
      }
      if (typeof authType === 'function') {
        cb = authType;
        authType = undefined;
      }
      var params = { event: event, handler: handler };
      if (typeof authType !== 'undefined') {
        params.auth_type = authType;
      }
      callMethod('event.unbind', params, cb);
      return undefined;
    },

    canUse: function (what) {
      return what === 'upload' ? !!window.FileReader : false;
    },

    // ------------------------------------------------------------ window / navigation
    // frame-protocol.md "Window and navigation"
    getScrollSize: function () {
      var de = document.documentElement;
      return {
        scrollWidth: Math.max(de.scrollWidth, de.offsetWidth),
        scrollHeight: Math.max(de.scrollHeight, de.offsetHeight)
      };
    },
    resizeWindow: function (width, height, cb) {
      width = parseInt(width, 10);
      height = parseInt(height, 10);
      if (width > 0 && height > 0) {
        sendMessage('resizeWindow', { width: width, height: height }, cb);
      }
    },
    fitWindow: function (cb) {
      sendMessage('resizeWindow', { width: '100%', height: BX24.getScrollSize().scrollHeight }, cb);
    },
    scrollParentWindow: function (scroll, cb) {
      scroll = parseInt(scroll, 10);
      if (!isNaN(scroll)) {
        sendMessage('setScroll', { scroll: scroll }, cb);
      }
    },
    reloadWindow: function (cb) {
      sendMessage('reloadWindow', {}, cb);
    },
    setTitle: function (title, cb) {
      sendMessage('setTitle', { title: String(title) }, cb);
    },
    openApplication: function (params, cb, settings) {
      params = params || {};
      if (settings) {
        var names = ['width', 'leftBoundary', 'title', 'label'];
        for (var i = 0; i < names.length; i++) {
          if (typeof settings[names[i]] !== 'undefined') {
            params['bx24_' + names[i]] = settings[names[i]];
          }
        }
      }
      sendMessage('openApplication', params, cb);
    },
    openPath: function (path, cb) {
      sendMessage('openPath', { path: path }, cb);
    },
    closeApplication: function (cb) {
      sendMessage('closeApplication', '', cb);
    },

    im: {
      callTo: function (userId, video) {
        sendMessage('imCallTo', { userId: userId, video: !!video });
      },
      phoneTo: function (phone) {
        sendMessage('imPhoneTo', { phone: phone });
      },
      openMessenger: function (dialogId) {
        sendMessage('imOpenMessenger', { dialogId: dialogId });
      },
      openHistory: function (dialogId) {
        sendMessage('imOpenHistory', { dialogId: dialogId });
      }
    },

    // ------------------------------------------------------------ options, dialogs, placement
    // frame-protocol.md "Options, dialogs, placement"
    userOption: {
      get: function (name) {
        return PARAMS.USER_OPTIONS[name];
      },
      set: function (name, value) {
        if (isArray(PARAMS.USER_OPTIONS)) {
          PARAMS.USER_OPTIONS = {}; // empty PHP arrays arrive as []
        }
        PARAMS.USER_OPTIONS[name] = value;
        sendMessage('setUserOption', { name: name, value: value });
      }
    },
    appOption: {
      get: function (name) {
        return PARAMS.APP_OPTIONS[name];
      },
      set: function (name, value, cb) {
        if (!PARAMS.IS_ADMIN) {
          return; // no-op for non-admins
        }
        if (isArray(PARAMS.APP_OPTIONS)) {
          PARAMS.APP_OPTIONS = {};
        }
        PARAMS.APP_OPTIONS[name] = value;
        sendMessage('setAppOption', { name: name, value: value }, cb);
      }
    },

    selectUser: function (title, cb) {
      if (typeof title === 'function') {
        cb = title;
        title = '';
      }
      sendMessage('selectUser', { title: title || '', mult: false }, cb);
    },
    selectUsers: function (title, cb) {
      if (typeof title === 'function') {
        cb = title;
        title = '';
      }
      sendMessage('selectUser', { title: title || '', mult: true }, cb);
    },
    selectAccess: function (title, value, cb) {
      if (typeof title === 'function') {
        cb = title;
        value = [];
      } else if (typeof value === 'function') {
        cb = value;
        value = isArray(title) ? title : [];
      }
      sendMessage('selectAccess', { value: value || [] }, cb);
    },
    selectCRM: function (params, cb) {
      if (typeof params === 'function') {
        cb = params;
        params = {};
      }
      params = params || {};
      sendMessage('selectCRM', {
        entityType: params.entityType,
        multiple: params.multiple,
        value: params.value
      }, cb);
    },

    placement: {
      info: function () {
        return { placement: PARAMS.PLACEMENT, options: PARAMS.PLACEMENT_OPTIONS };
      },
      getInterface: function (cb) {
        sendMessage('getInterface', '', cb);
      },
      call: function (command, params, cb) {
        if (typeof params === 'function') {
          cb = params;
          params = '';
        }
        if (typeof BX24[command] !== 'undefined') {
          // refused for names of BX24's own methods (frame-protocol.md "Options, dialogs,
          // placement")
          return false;
        }
        sendMessage(command, params, cb);
        return undefined;
      },
      bindEvent: function (event, cb) {
        sendMessage('placementBindEvent', { event: event }, cb);
      }
    },

    // ------------------------------------------------------------ local helpers
    ready: function (cb) {
      if (typeof cb !== 'function') {
        return;
      }
      if (domReady) {
        cb.call(document);
      } else {
        readyQueue.push(cb);
      }
    },
    isReady: function () {
      return domReady;
    },
    proxy: function (fn, context) {
      return function () { return fn.apply(context, arguments); };
    },
    proxyContext: function (fn) {
      return function () { return fn.apply(null, [this].concat(Array.prototype.slice.call(arguments))); };
    },
    bind: function (el, event, handler) {
      if (el && el.addEventListener) {
        el.addEventListener(event, handler, false);
      }
    },
    unbind: function (el, event, handler) {
      if (el && el.removeEventListener) {
        el.removeEventListener(event, handler, false);
      }
    },
    loadScript: function (urls, cb) {
      var list = isArray(urls) ? urls.slice() : [urls];
      var pending = list.length;
      if (pending === 0 && typeof cb === 'function') {
        cb();
      }
      for (var i = 0; i < list.length; i++) {
        var script = document.createElement('script');
        script.src = list[i];
        script.onload = script.onerror = function () {
          if (--pending === 0 && typeof cb === 'function') {
            cb();
          }
        };
        (document.head || document.documentElement).appendChild(script);
      }
    }
  };
  BX24.callUnBind = BX24.callUnbind;

  window.BX24 = BX24;

  // frame-protocol.md "Bootstrap and outside a frame": ask the portal for init data immediately at
  // load.
  sendMessage('getInitData', '', onInitData);
})(window);
