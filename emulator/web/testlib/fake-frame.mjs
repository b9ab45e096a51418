// Runs bx24.js in a node:vm context with a fake window, parent, XMLHttpRequest and a manual clock,
// so the stand-in's wire format can be checked byte for byte without a browser.
import { readFileSync } from 'node:fs';
import vm from 'node:vm';

export const SDK_PATH = new URL('../bx24.js', import.meta.url);
const SDK_SOURCE = readFileSync(SDK_PATH, 'utf8');

export const SID = '0123456789abcdef0123456789abcdef';

/**
 * @param {object} opts
 * @param {string} [opts.name] window.name of the frame
 * @param {{scrollWidth:number,scrollHeight:number,offsetWidth:number,offsetHeight:number}} [opts.scroll]
 */
export function loadSdk(opts = {}) {
  const posted = [];      // {message, target}
  const xhrs = [];        // FakeXhr instances, in send order
  const listeners = [];   // window 'message' listeners
  const timers = [];      // {at, fn}
  const clock = { now: 1_700_000_000_000 };

  class FakeXhr {
    constructor() {
      this.headers = {};
      this.status = 0;
      this.responseText = '';
    }
    open(method, url, async) {
      Object.assign(this, { method, url, async });
    }
    setRequestHeader(name, value) {
      this.headers[name] = value;
    }
    send(body) {
      this.body = body;
      xhrs.push(this);
    }
    /** Answers the request the way a browser would (calls onload; a throw from the SDK propagates). */
    respond(status, text) {
      this.status = status;
      this.responseText = text;
      this.onload();
    }
    /** A network failure (calls onerror). */
    fail() {
      this.onerror();
    }
  }
  const scroll = opts.scroll || { scrollWidth: 800, offsetWidth: 780, scrollHeight: 1234, offsetHeight: 1000 };
  const window = {
    name: opts.name ?? `localhost:8080|0|${SID}`,
    parent: {
      postMessage(message, target) {
        posted.push({ message, target });
      },
    },
    addEventListener(type, fn) {
      if (type === 'message') {
        listeners.push(fn);
      }
    },
    XMLHttpRequest: FakeXhr,
    FileReader: function FileReader() {},
    document: {
      readyState: 'complete',
      documentElement: scroll,
      addEventListener() {},
      createElement() {
        return {};
      },
      head: { appendChild() {} },
    },
    setTimeout(fn, ms) {
      timers.push({ at: clock.now + (ms || 0), fn });
      return timers.length;
    },
  };
  window.window = window;
  const context = vm.createContext(window);
  vm.runInContext('Date.now = function () { return __clock.now; };', Object.assign(context, { __clock: clock }));

  let loadError = null;
  try {
    vm.runInContext(SDK_SOURCE, context, { filename: 'bx24.js' });
  } catch (e) {
    loadError = e;
  }

  const frame = {
    window,
    posted,
    xhrs,
    clock,
    loadError,
    get BX24() {
      return window.BX24;
    },
    /** Delivers a postMessage from `origin` to the frame. */
    deliver(data, origin = 'http://localhost:8080') {
      for (const fn of listeners) {
        fn({ data, origin });
      }
    },
    /** Advances the manual clock, running due timers in order (including ones they schedule). */
    tick(ms) {
      const end = clock.now + ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers[0];
        if (!next || next.at > end) {
          break;
        }
        timers.shift();
        clock.now = Math.max(clock.now, next.at);
        next.fn();
      }
      clock.now = end;
    },
    /** The callback id of the last posted string message (second-to-last part). */
    lastCallbackId() {
      const parts = posted[posted.length - 1].message.split(':');
      return parts[parts.length - 2];
    },
    /** Answers the pending getInitData with the given init data (defaults like the emulator's). */
    init(data = {}) {
      const first = posted[0].message;
      const cb = first.split(':')[2];
      frame.deliver(cb + ':' + JSON.stringify(Object.assign(initData(), data)));
    },
  };
  return frame;
}

export function initData() {
  return {
    LANG: 'en',
    DOMAIN: 'localhost:8080',
    PROTOCOL: 0,
    PATH: '/rest',
    AUTH_ID: 'tok1',
    AUTH_EXPIRES: '3600',
    REFRESH_ID: 'ref1',
    MEMBER_ID: 'member1',
    FIRST_RUN: false,
    IS_ADMIN: true,
    INSTALL: false,
    USER_OPTIONS: [],
    APP_OPTIONS: [],
    PLACEMENT: 'DEFAULT',
    PLACEMENT_OPTIONS: {},
  };
}
