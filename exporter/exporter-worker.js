// The Excel exporter's web worker (exporter/, issue 16): the app starts it on an export,
// never at load, and posts the request at once. This script keeps that message until the
// module runs (so the app needs no handshake), loads the wasm-bindgen glue and the module —
// the separate exporter_bg.wasm, or in the default archive the module embedded gzip+base64
// in exporter_wasm.js (scripts/package.py adds its importScripts line) — then hands the kept
// messages to the module's handler (exporter/src/main.rs). A failure to start is posted as
// a string (the app's "failed" message).
const early = [];
self.onmessage = (e) => { early.push(e.data); };
importScripts('./exporter.js');
(async () => {
  let module = './exporter_bg.wasm';
  if (typeof EXPORTER_WASM === 'string') {
    const packed = Uint8Array.from(atob(EXPORTER_WASM), (c) => c.charCodeAt(0));
    const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream('gzip'));
    module = new Uint8Array(await new Response(stream).arrayBuffer());
  }
  await wasm_bindgen({ module_or_path: module });
  for (const data of early.splice(0)) self.onmessage({ data });
})().catch((e) => {
  postMessage('the exporter could not start: ' + (e && e.message ? e.message : e));
  close();
});
