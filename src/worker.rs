//! A dedicated web worker as the app starts them (the Excel exporter, `crate::export::client`;
//! the stored snapshot's, `crate::snapshot_client`): the binding, and the one listener for a
//! worker's messages and errors.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// A dedicated web worker.
    #[wasm_bindgen(extends = web_sys::EventTarget)]
    pub type Worker;
    /// Starts the worker script at `url` (relative to the page).
    #[wasm_bindgen(constructor, catch)]
    pub fn new(url: &str) -> Result<Worker, JsValue>;
    /// Posts `message` as a `Uint8Array` view of the bytes (the structured clone copies it).
    #[wasm_bindgen(method, js_name = postMessage)]
    pub fn post_message(this: &Worker, message: &[u8]);
    /// Posts a JS value.
    #[wasm_bindgen(method, js_name = postMessage)]
    pub fn post_value(this: &Worker, message: &JsValue);
    /// Stops the worker.
    #[wasm_bindgen(method)]
    pub fn terminate(this: &Worker);
}

/// `value[key]` (undefined when missing).
pub fn field(value: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Hands `worker`'s messages and errors to `handler` (`Fn(&Event)` listeners, as Yew's own:
/// their glue is already in the module).
pub fn listen(worker: &Worker, handler: &Closure<dyn Fn(&web_sys::Event)>) {
    let options = web_sys::AddEventListenerOptions::new();
    for kind in ["message", "error"] {
        let _ = worker.add_event_listener_with_callback_and_add_event_listener_options(
            kind,
            handler.as_ref().unchecked_ref(),
            &options,
        );
    }
}
