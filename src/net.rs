//! The browser side of the engine's seam: [`FetchTransport`] (REST over `fetch`, in the
//! SDK's own wire format) and [`BrowserClock`].
//!
//! Why not `BX24.callMethod`: the SDK never calls back on 5xx or network errors and its
//! throttle lets 90 calls through where the portal allows 50 (frame-protocol doc §2.8, §8).
//! A direct `fetch` with the SDK's token and a `text/plain` body (a CORS "simple request",
//! no preflight) sees every status and can be aborted after a timeout.

use std::cell::Cell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::bx24;
use crate::report::transport::{Clock, HttpReply, LocalBoxFuture, Transport, TransportError};

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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchTransport {
    base: String,
    credentials: Credentials,
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
    fn post<'a>(
        &'a self,
        method: &'a str,
        body: &'a str,
        timeout_ms: u32,
    ) -> LocalBoxFuture<'a, Result<HttpReply, TransportError>> {
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

/// POSTs `body` as `text/plain` and reads the whole answer, aborting after `timeout_ms`.
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
    let failure = |e: JsValue| {
        if timed_out.get() {
            TransportError::Timeout
        } else {
            TransportError::Network(describe(&e))
        }
    };
    let response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(failure)?;
    let response: web_sys::Response = response
        .dyn_into()
        .map_err(|_| TransportError::Network("fetch returned no response".into()))?;
    let status = response.status();
    let text = JsFuture::from(response.text().map_err(failure)?)
        .await
        .map_err(failure)?;
    Ok(HttpReply {
        status,
        body: text.as_string().unwrap_or_default(),
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
