//! The browser side of the engine's seam: [`FetchTransport`] (REST over `fetch`, in the
//! SDK's own wire format) and [`BrowserClock`].
//!
//! Why not `BX24.callMethod`: the SDK never calls back on 5xx or network errors and its
//! throttle lets 90 calls through where the portal allows 50 (`docs/platform/frame-protocol.md`,
//! "Answers, errors and token refresh in the SDK", "Client throttle").
//! A direct `fetch` with the SDK's token and a `text/plain` body (a CORS "simple request",
//! no preflight) sees every status and can be aborted after a timeout.

use std::cell::Cell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::bx24;
use crate::report::transport::{
    Clock, HttpReply, LocalBoxFuture, PostFuture, Transport, TransportError,
};

/// Where the token comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credentials {
    /// Inside Bitrix24: `auth=<BX24.getAuth().access_token>` first in every body;
    /// refreshed with `BX24.refreshAuth`.
    Bx24,
    /// An incoming webhook: the secret is part of the base URL, bodies carry no token.
    Webhook,
}

/// REST calls over `fetch` to `<base><method>.json`.
#[derive(Clone, PartialEq, Eq)]
pub struct FetchTransport {
    base: String,
    credentials: Credentials,
}

/// Shows the host only: a webhook's base URL carries its secret.
impl std::fmt::Debug for FetchTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let host = self
            .base
            .split("//")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or("?");
        f.debug_struct("FetchTransport")
            .field("host", &host)
            .field("credentials", &self.credentials)
            .finish()
    }
}

impl FetchTransport {
    /// A transport for `base` (ending with `/`, e.g. `https://x.bitrix24.com/rest/` or a
    /// webhook URL `https://x.bitrix24.com/rest/1/secret/`).
    pub fn new(base: impl Into<String>, credentials: Credentials) -> Self {
        let mut base = base.into();
        if !base.ends_with('/') {
            base.push('/');
        }
        Self { base, credentials }
    }

    async fn send(
        &self,
        method: &str,
        body: &str,
        timeout_ms: u32,
    ) -> Result<HttpReply, TransportError> {
        let body = match self.credentials {
            Credentials::Webhook => body.to_string(),
            Credentials::Bx24 => {
                let token = match bx24::auth() {
                    Ok(auth) => auth.access_token,
                    // The SDK forgets an expired token: refresh first, as the SDK itself does.
                    Err(_) => {
                        bx24::refresh_auth()
                            .await
                            .map_err(|e| TransportError::Unavailable(e.to_string()))?
                            .access_token
                    }
                };
                if body.is_empty() {
                    format!("auth={token}")
                } else {
                    format!("auth={token}&{body}")
                }
            }
        };
        let url = format!("{}{}.json", self.base, method);
        fetch_text(&url, &body, timeout_ms).await
    }
}

impl Transport for FetchTransport {
    fn post<'a>(&'a self, method: &'a str, body: &'a str, timeout_ms: u32) -> PostFuture<'a> {
        Box::pin(self.send(method, body, timeout_ms))
    }

    fn refresh_auth(&self) -> LocalBoxFuture<'_, Result<(), TransportError>> {
        Box::pin(async move {
            match self.credentials {
                Credentials::Webhook => Err(TransportError::Unavailable(
                    "a webhook has no token to refresh".into(),
                )),
                Credentials::Bx24 => bx24::refresh_auth()
                    .await
                    .map(|_| ())
                    .map_err(|e| TransportError::Unavailable(e.to_string())),
            }
        })
    }
}

/// The largest answer read: a full batch (50 pages of 50 tasks) is about 1 MB, 5 MB with the
/// longest escaped titles; a larger answer is not read to its end (the loader then asks for
/// smaller batches), so a portal or proxy gone wrong cannot exhaust the app's memory.
pub const MAX_ANSWER_BYTES: usize = 8 * 1024 * 1024;

/// POSTs `body` as `text/plain` and reads the answer (at most [`MAX_ANSWER_BYTES`]),
/// aborting after `timeout_ms`.
async fn fetch_text(url: &str, body: &str, timeout_ms: u32) -> Result<HttpReply, TransportError> {
    let window =
        web_sys::window().ok_or_else(|| TransportError::Unavailable("no window".into()))?;
    let controller =
        web_sys::AbortController::new().map_err(|e| TransportError::Unavailable(describe(&e)))?;
    let timed_out = Rc::new(Cell::new(false));
    let _timer = {
        let controller = controller.clone();
        let timed_out = Rc::clone(&timed_out);
        Timeout::new(timeout_ms, move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(body));
    init.set_signal(Some(&controller.signal()));
    init.set_mode(web_sys::RequestMode::Cors);
    // A browser's fetch error may quote the request URL (a webhook's carries its secret):
    // it never reaches an error text.
    let failure = |e: JsValue| {
        if timed_out.get() {
            TransportError::Timeout
        } else {
            TransportError::Network(describe(&e).replace(url, "<request URL>"))
        }
    };
    let response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(failure)?;
    let response: web_sys::Response = response
        .dyn_into()
        .map_err(|_| TransportError::Network("fetch returned no response".into()))?;
    let status = response.status();
    let body = read_capped(&response, MAX_ANSWER_BYTES, &failure).await?;
    Ok(HttpReply { status, body })
}

/// Reads a response body as UTF-8 text, at most `limit` bytes: a `Content-Length` above it
/// is refused before reading, a stream that grows past it is cancelled.
async fn read_capped(
    response: &web_sys::Response,
    limit: usize,
    failure: &dyn Fn(JsValue) -> TransportError,
) -> Result<String, TransportError> {
    let too_large = TransportError::TooLarge { limit_bytes: limit };
    let announced = response
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse::<u64>().ok());
    if announced.is_some_and(|n| n > limit as u64) {
        return Err(too_large);
    }
    let Some(stream) = response.body() else {
        return Ok(String::new());
    };
    let reader: web_sys::ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut bytes: Vec<u8> = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(failure)?;
        let done = js_sys::Reflect::get(&chunk, &JsValue::from_str("done"))
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            break;
        }
        let Ok(value) = js_sys::Reflect::get(&chunk, &JsValue::from_str("value")) else {
            break;
        };
        let Some(part) = value.dyn_ref::<js_sys::Uint8Array>() else {
            break;
        };
        let start = bytes.len();
        let len = part.length() as usize;
        if start + len > limit {
            // Stop the download; the answer is dropped either way.
            let _ = reader.cancel();
            return Err(too_large);
        }
        bytes.resize(start + len, 0);
        if let Some(slot) = bytes.get_mut(start..) {
            part.copy_to(slot);
        }
    }
    Ok(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => String::from_utf8_lossy(err.as_bytes()).into_owned(),
    })
}

fn describe(value: &JsValue) -> String {
    if let Some(error) = value.dyn_ref::<js_sys::Error>() {
        return String::from(error.message());
    }
    value.as_string().unwrap_or_else(|| "network error".into())
}

/// The browser's clock: `performance.now()`, `Date.now()` and timer-based sleeps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BrowserClock;

impl Clock for BrowserClock {
    fn now_ms(&self) -> f64 {
        web_sys::window()
            .and_then(|w| w.performance())
            .map(|p| p.now())
            .unwrap_or_else(js_sys::Date::now)
    }

    fn unix_now_s(&self) -> f64 {
        js_sys::Date::now() / 1000.0
    }

    fn sleep(&self, ms: u32) -> LocalBoxFuture<'static, ()> {
        Box::pin(gloo::timers::future::TimeoutFuture::new(ms))
    }
}
