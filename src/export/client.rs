//! Runs one export in the exporter's web worker (`exporter/exporter-worker.js`, protocol in
//! `exporter/src/main.rs`): the worker is created on the export (so nothing of the exporter
//! is fetched before the first one) and gets the request bytes (a `Uint8Array`) at once; it
//! answers with
//! progress (numbers), the workbook (a `File`, downloaded under its name) or what failed (a
//! string), then closes itself. [`Export::stop`] terminates it (Cancel).

use wasm_bindgen::prelude::*;

use crate::export::button::Phase;
use crate::hooks::dom;
use crate::worker::{field, listen, Worker};

/// The worker script, next to index.html in both archives.
pub const WORKER_URL: &str = "exporter-worker.js";

/// A running export: [`Export::stop`] ends its worker.
pub struct Export(Worker);

impl Export {
    /// Stops the worker (Cancel; a worker that finished has closed itself already).
    pub fn stop(&self) {
        self.0.terminate();
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
