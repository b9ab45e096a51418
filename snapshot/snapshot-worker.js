// The snapshot worker (snapshot/, issue 15): the app starts it when it has a snapshot to read
// (a reopen: the user's key is in BX24.userOption) or a complete load to store, never before
// the first rows of a first open. This script keeps the messages that come before the module
// runs, loads the wasm-bindgen glue and the module — the separate snapshot_bg.wasm, or in the
// default archive the module embedded gzip+base64 in snapshot_wasm.js (scripts/package.py adds
// its importScripts line) — and answers every message once, in order, with what the module's
// `handle` gives (bytes, snapshot/src/main.rs). If the module cannot start or a request fails,
// the answer is empty: the app then works as without a snapshot.
const early = [];
self.onmessage = (e) => { early.push(e.data); };
let queue = Promise.resolve();
const answer = (handle) => (data) => {
  queue = queue.then(() => handle(data)).catch(() => new Uint8Array(0)).then((reply) => postMessage(reply));
};
(async () => {
  importScripts('./snapshot.js');
  let module = './snapshot_bg.wasm';
  if (typeof SNAPSHOT_WASM === 'string') {
    const packed = Uint8Array.from(atob(SNAPSHOT_WASM), (c) => c.charCodeAt(0));
    const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream('gzip'));
    module = new Uint8Array(await new Response(stream).arrayBuffer());
  }
  await wasm_bindgen({ module_or_path: module });
  return answer((data) => wasm_bindgen.handle(new Uint8Array(data)));
})().catch(() => answer(() => new Uint8Array(0))).then((on) => {
  self.onmessage = (e) => on(e.data);
  for (const data of early.splice(0)) on(data);
});
