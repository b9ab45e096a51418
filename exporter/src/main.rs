//! The exporter's web worker. Protocol (plain structured-clone messages, kept small because
//! the app's side of it is in the first load):
//!
//! * app → worker: the export request as a `Uint8Array` (`task_report::export::request`),
//!   posted right after the worker is created (`exporter-worker.js` keeps it until this
//!   module runs);
//! * worker → app: a number = percent of the rows written; then a `File` (the workbook, named
//!   `tasks-<portal>-<date>.xlsx`), or a string (what failed); then the worker closes itself.
//!   The module's memory when the file is written goes to `console.debug` (the benchmark
//!   reads it).
//!
//! Cancel is `Worker.terminate()` on the app side: the export is one synchronous run.

#[cfg(target_arch = "wasm32")]
mod worker {
    use js_sys::{Array, Uint8Array};
    use wasm_bindgen::prelude::*;
    use web_sys::{DedicatedWorkerGlobalScope, File, FilePropertyBag, MessageEvent};

    /// The MIME type of an `.xlsx` workbook.
    const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    fn run(scope: &DedicatedWorkerGlobalScope, event: &MessageEvent) -> Result<(), String> {
        let data = event.data();
        if !data.is_instance_of::<Uint8Array>() && !data.is_instance_of::<js_sys::ArrayBuffer>() {
            return Err("expected the export request as bytes".into());
        }
        let request = Uint8Array::new(&data).to_vec();
        drop(data);
        let mut last = u32::MAX;
        let mut progress = |done: usize, total: usize| {
            let percent = (done.saturating_mul(100) / total.max(1)) as u32;
            if percent != last {
                last = percent;
                let _ = scope.post_message(&percent.into());
            }
        };
        let clock = js_sys::Date::new_0();
        let now = (clock.get_time() / 1000.0).floor() as i64;
        let today = format!(
            "{:04}-{:02}-{:02}",
            clock.get_full_year(),
            clock.get_month() + 1,
            clock.get_date()
        );
        let (bytes, name) = task_report_exporter::export(request, now, &today, &mut progress)?;
        let memory = wasm_bindgen::memory()
            .unchecked_into::<js_sys::WebAssembly::Memory>()
            .buffer()
            .unchecked_into::<js_sys::ArrayBuffer>()
            .byte_length();
        web_sys::console::debug_1(&format!("exporter: wasm memory {memory} bytes").into());
        let parts = Array::of1(&Uint8Array::from(bytes.as_slice()));
        drop(bytes);
        let options = FilePropertyBag::new();
        options.set_type(XLSX);
        let file = File::new_with_u8_array_sequence_and_options(&parts, &name, &options)
            .map_err(|_| "the browser could not make the file".to_string())?;
        scope
            .post_message(&file)
            .map_err(|_| "the file could not be handed over".to_string())
    }

    /// Listens for requests (the worker script hands over any that came early).
    pub fn start() {
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let handler_scope = scope.clone();
        let handler = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            if let Err(e) = run(&handler_scope, &event) {
                let _ = handler_scope.post_message(&e.into());
            }
            handler_scope.close();
        });
        scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
        handler.forget();
    }
}

fn main() {
    #[cfg(target_arch = "wasm32")]
    worker::start();
}
