//! The seam between the loading engine and the outside world.
//!
//! A [`Transport`] sends one REST call to the portal and returns the raw HTTP answer; a
//! [`Clock`] tells the time and sleeps. The browser build plugs in `fetch` + `BX24.getAuth()`
//! (or a webhook URL, or the in-browser demo portal); native tests plug in fakes.

use std::future::Future;
use std::pin::Pin;

/// A boxed, non-`Send` future (the browser is single-threaded).
pub type LocalBoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// What [`Transport::post`] returns: the HTTP answer, later.
pub type PostFuture<'a> = LocalBoxFuture<'a, Result<HttpReply, TransportError>>;

/// One HTTP answer from the portal's REST endpoint, whatever its status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpReply {
    /// HTTP status code (200, 401, 503, …).
    pub status: u16,
    /// The raw response body (normally JSON).
    pub body: String,
}

/// Why a call produced no HTTP answer at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransportError {
    /// The network failed (DNS, connection refused or reset, CORS rejection, offline).
    Network(String),
    /// No answer within the request timeout; the request was aborted.
    Timeout,
    /// The transport cannot work at all (e.g. no BX24 auth available); not retryable.
    Unavailable(String),
    /// The answer was larger than `limit_bytes` and was not read to its end.
    TooLarge {
        /// The cap that was exceeded.
        limit_bytes: usize,
    },
}

/// Sends REST calls to one portal.
pub trait Transport {
    /// POSTs `method` (e.g. `"batch"`, `"task.item.list"`) with `body`, the parameters already
    /// encoded in the SDK's PHP-style form format (`a[b][0]=x&c=y`, see
    /// [`crate::report::params`]), **without** credentials: the transport adds them (an
    /// `auth=<token>&` prefix for an app, nothing for a webhook URL). Must resolve within
    /// `timeout_ms` (then [`TransportError::Timeout`]).
    fn post<'a>(&'a self, method: &'a str, body: &'a str, timeout_ms: u32) -> PostFuture<'a>;

    /// Obtains a fresh access token after an `expired_token`/`invalid_token` answer (inside
    /// Bitrix24: `BX24.refreshAuth`). Transports without tokens (webhooks) return an error.
    fn refresh_auth(&self) -> LocalBoxFuture<'_, Result<(), TransportError>>;
}

/// Time for the engine: the current time and sleeping.
pub trait Clock {
    /// Milliseconds since an arbitrary fixed origin (monotonic enough for pacing).
    fn now_ms(&self) -> f64;
    /// Unix time in seconds (to compare with `operating_reset_at`).
    fn unix_now_s(&self) -> f64;
    /// Resolves after `ms` milliseconds.
    fn sleep(&self, ms: u32) -> LocalBoxFuture<'static, ()>;
}
