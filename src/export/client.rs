//! Runs one export in the exporter's web worker (`exporter/exporter-worker.js`, protocol in
//! `exporter/src/main.rs`): the worker is created on the export (so nothing of the exporter
//! is fetched before the first one) and gets the request bytes (a `Uint8Array`) at once; it
//! answers with
//! progress (numbers), the workbook (a `File`, downloaded under its name) or what failed (a
//! string), then closes itself. [`Export::stop`] terminates it (Cancel).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::export::button::Phase;
use crate::hooks::dom;

/// The worker script, next to index.html in both archives.
pub const WORKER_URL: &str = "exporter-worker.js";

#[wasm_bindgen]
extern "C" {
    /// A dedicated web worker (also the snapshot's, `crate::snapshot_client`).
    #[wasm_bindgen(extends = web_sys::EventTarget)]
    pub(crate) type Worker;
    #[wasm_bindgen(constructor, catch)]
    pub(crate) fn new(url: &str) -> Result<Worker, JsValue>;
    #[wasm_bindgen(method, js_name = postMessage)]
    fn post_message(this: &Worker, message: &[u8]);
    #[wasm_bindgen(method, js_name = postMessage)]
    pub(crate) fn post_value(this: &Worker, message: &JsValue);
    #[wasm_bindgen(method)]
    fn terminate(this: &Worker);
}

/// A running export: [`Export::stop`] ends its worker.
pub struct Export(Worker);

impl Export {
    /// Stops the worker (Cancel; a worker that finished has closed itself already).
    pub fn stop(&self) {
        self.0.terminate();
    }
}

/// `value[key]` (undefined when missing).
pub(crate) fn field(value: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Hands `worker`'s messages and errors to `handler` (`Fn(&Event)` listeners, as Yew's own:
/// their glue is already in the module).
pub(crate) fn listen(worker: &Worker, handler: &Closure<dyn Fn(&web_sys::Event)>) {
    let options = web_sys::AddEventListenerOptions::new();
    for kind in ["message", "error"] {
        let _ = worker.add_event_listener_with_callback_and_add_event_listener_options(
            kind,
            handler.as_ref().unchecked_ref(),
            &options,
        );
    }
}

/// Starts a worker on the request `bytes`; `on_event` hears how it goes (running with a
/// percent, idle when the file was handed to the browser's download, failed). `None` when the
/// browser refuses to start a worker.
pub fn start(bytes: &[u8], on_event: impl Fn(Phase) + 'static) -> Option<Export> {
    let worker = Worker::new(WORKER_URL).ok()?;
    // One handler for messages and errors: an `error` event (a worker script that cannot be
    // fetched, or a crash) has no `data`, a failure message is a string (no `name`).
    let handler = Closure::<dyn Fn(&web_sys::Event)>::new(move |event: &web_sys::Event| {
        let data = field(event, "data");
        if let Some(percent) = data.as_f64() {
            on_event(Phase::Running(percent as u32));
        } else if let Some(name) = field(&data, "name").as_string() {
            // The workbook, typed and named by the worker.
            dom::download(&data, "", &name);
            on_event(Phase::Idle);
        } else {
            on_event(Phase::Failed);
        }
    });
    listen(&worker, &handler);
    // A view of the bytes in the module's memory: the structured clone copies the view's
    // whole buffer (the memory), the worker keeps the request's bytes only. Fewer first-load
    // bytes than copying them into a fresh array first (BENCHMARKS.md, "Excel export").
    worker.post_message(bytes);
    // The listener lives as long as the worker (JS owns it): one small closure per export.
    handler.forget();
    Some(Export(worker))
}
