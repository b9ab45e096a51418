// The Excel exporter's web worker (exporter/, issue 16): the app starts it on the first
// export, never at load. It loads the wasm-bindgen glue and the module — the separate
// exporter_bg.wasm, or in the default archive the module embedded gzip+base64 in
// exporter_wasm.js (scripts/package.py adds its importScripts line) — and the module's
// main answers {kind: "ready"}. A failure to start is reported as {kind: "error"}.
importScripts('./exporter.js');
(async () => {
  let module = './exporter_bg.wasm';
  if (typeof EXPORTER_WASM === 'string') {
    const packed = Uint8Array.from(atob(EXPORTER_WASM), (c) => c.charCodeAt(0));
    const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream('gzip'));
    module = new Uint8Array(await new Response(stream).arrayBuffer());
  }
  await wasm_bindgen({ module_or_path: module });
})().catch((e) => {
  postMessage({ kind: 'error', message: 'the exporter could not start: ' + (e && e.message ? e.message : e) });
});
