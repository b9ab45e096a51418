//! Bridges one SDK callback to a Rust future, with a time limit.
//!
//! The `Closure` is owned by the future and dropped once the callback fired or the time
//! limit passed, so nothing leaks per call (no `forget()`).

use futures_channel::oneshot;
use futures_util::future::{select, Either};
use gloo::timers::future::TimeoutFuture;
use js_sys::Function;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::Bx24Error;

/// Calls `start` with a JS function and waits until the SDK calls it back (its first
/// argument is returned) or `timeout_ms` passes.
///
/// # Errors
/// [`Bx24Error::Js`] when `start` throws, [`Bx24Error::Timeout`] when no callback arrives in time.
pub(super) async fn with_callback(
    timeout_ms: u32,
    start: impl FnOnce(&Function) -> Result<(), JsValue>,
) -> Result<JsValue, Bx24Error> {
    let (sender, receiver) = oneshot::channel::<JsValue>();
    let closure = Closure::once(move |value: JsValue| {
        // The receiver may be gone after a timeout; nothing to do then.
        let _ = sender.send(value);
    });
    start(closure.as_ref().unchecked_ref()).map_err(js_error)?;
    let outcome = select(receiver, TimeoutFuture::new(timeout_ms)).await;
    drop(closure);
    match outcome {
        Either::Left((Ok(value), _)) => Ok(value),
        Either::Left((Err(_), _)) | Either::Right(_) => Err(Bx24Error::Timeout),
    }
}

/// Turns a thrown JS value into a readable error.
pub(super) fn js_error(value: JsValue) -> Bx24Error {
    if let Some(error) = value.dyn_ref::<js_sys::Error>() {
        return Bx24Error::Js(String::from(error.message()));
    }
    Bx24Error::Js(value.as_string().unwrap_or_else(|| format!("{value:?}")))
}
