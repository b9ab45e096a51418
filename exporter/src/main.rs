//! The exporter's web worker. Protocol (plain structured-clone messages):
//!
//! * worker → app `{kind: "ready"}` once it listens (messages sent before would be lost);
//! * app → worker: the sheet description as JSON text (`src/spec.rs`);
//! * worker → app `{kind: "progress", done, total}` (rows), then `{kind: "done", bytes}`
//!   (a `Uint8Array`, its buffer transferred) or `{kind: "error", message}`.
//!
//! Cancel is `Worker.terminate()` on the app side: the export is one synchronous run.

#[cfg(target_arch = "wasm32")]
mod worker {
    use js_sys::{Array, Object, Reflect, Uint8Array};
    use wasm_bindgen::prelude::*;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    fn message(kind: &str, fields: &[(&str, JsValue)]) -> Object {
        let out = Object::new();
        let _ = Reflect::set(&out, &"kind".into(), &kind.into());
        for (key, value) in fields {
            let _ = Reflect::set(&out, &(*key).into(), value);
        }
        out
    }

    fn run(scope: &DedicatedWorkerGlobalScope, event: &MessageEvent) {
        let Some(text) = event.data().as_string() else {
            let m = message(
                "error",
                &[("message", "expected the sheet description as text".into())],
            );
            let _ = scope.post_message(&m);
            return;
        };
        let mut progress = |done: usize, total: usize| {
            let m = message(
                "progress",
                &[
                    ("done", (done as f64).into()),
                    ("total", (total as f64).into()),
                ],
            );
            let _ = scope.post_message(&m);
        };
        match task_report_exporter::export(&text, &mut progress) {
            Ok(bytes) => {
                drop(text);
                let array = Uint8Array::from(bytes.as_slice());
                drop(bytes);
                let memory = wasm_bindgen::memory()
                    .dyn_into::<js_sys::WebAssembly::Memory>()
                    .map(|m| {
                        m.buffer()
                            .unchecked_into::<js_sys::ArrayBuffer>()
                            .byte_length()
                    })
                    .unwrap_or(0);
                let m = message(
                    "done",
                    &[
                        ("bytes", array.clone().into()),
                        ("memory", f64::from(memory).into()),
                    ],
                );
                let transfer = Array::of1(&array.buffer());
                if scope.post_message_with_transfer(&m, &transfer).is_err() {
                    let _ = scope.post_message(&m);
                }
            }
            Err(e) => {
                let _ = scope.post_message(&message("error", &[("message", e.into())]));
            }
        }
    }

    /// Listens for descriptions and says it is ready.
    pub fn start() {
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let handler_scope = scope.clone();
        let handler = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            run(&handler_scope, &event);
        });
        scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
        handler.forget();
        let _ = scope.post_message(&message("ready", &[]));
    }
}

fn main() {
    #[cfg(target_arch = "wasm32")]
    worker::start();
}
