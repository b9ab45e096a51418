//! The demo portal: a deterministic, generated Bitrix24 portal (the `b24-portal` model, the
//! same one the emulator serves) running inside the page behind the engine's
//! [`Transport`] seam. The preview (`trunk serve`, no portal) loads it through the very
//! same engine, batches, validation and pacing as a real portal, with optional latency.
//!
//! [`PortalLink`] is the one adapter from the model to the engine's requests (the app's
//! tokens, the REST path, the model's clock); the loader tests put their wire faults around
//! the same link (`report/load_faults.rs`).

use std::cell::RefCell;
use std::rc::Rc;

use b24_portal::{AuthTokens, Portal, RestRequest, RestResponse};

use crate::report::transport::{
    Clock, HttpReply, LocalBoxFuture, PostFuture, Transport, TransportError,
};

use crate::preview::MAX_DEMO_TASKS;

/// An in-page [`Portal`] called the way the app calls a portal: `POST /rest/<method>.json`
/// with the app's access token, at the time of `clock`.
pub struct PortalLink {
    portal: RefCell<Portal>,
    access_token: RefCell<String>,
    refresh_token: RefCell<String>,
    user_id: u64,
    clock: Rc<dyn Clock>,
}

impl PortalLink {
    /// A link to `portal` with the tokens it issued to the app.
    pub fn new(portal: Portal, auth: AuthTokens, clock: Rc<dyn Clock>) -> Self {
        Self {
            portal: RefCell::new(portal),
            access_token: RefCell::new(auth.access_token),
            refresh_token: RefCell::new(auth.refresh_token),
            user_id: auth.user_id,
            clock,
        }
    }

    /// The user the app's tokens belong to.
    pub fn user_id(&self) -> u64 {
        self.user_id
    }

    /// The model itself (to change it between requests: inserts, deletes, blocks).
    pub fn portal(&self) -> &RefCell<Portal> {
        &self.portal
    }

    /// The clock's time in Unix milliseconds (what the model is told).
    pub fn now_ms(&self) -> u64 {
        (self.clock.unix_now_s() * 1000.0) as u64
    }

    /// Sends one REST call (`body` is the form without `auth`) and returns the model's answer.
    pub fn call(&self, method: &str, body: &str) -> RestResponse {
        let path = format!("/rest/{method}.json");
        let body = if body.is_empty() {
            format!("auth={}", self.access_token.borrow())
        } else {
            format!("auth={}&{}", self.access_token.borrow(), body)
        };
        let now_ms = self.now_ms();
        self.portal.borrow_mut().handle(&RestRequest {
            path: &path,
            query: "",
            content_type: Some("text/plain;charset=UTF-8"),
            authorization: None,
            body: body.as_bytes(),
            now_ms,
        })
    }

    /// The parent's `refreshAuth`: exchanges the refresh token for new tokens.
    pub fn refresh(&self) -> Result<(), TransportError> {
        let now_ms = self.now_ms();
        let refresh = self.refresh_token.borrow().clone();
        let tokens = self
            .portal
            .borrow_mut()
            .refresh_auth(&refresh, now_ms)
            .ok_or_else(|| {
                TransportError::Unavailable("the demo portal refused the refresh token".into())
            })?;
        *self.access_token.borrow_mut() = tokens.access_token;
        *self.refresh_token.borrow_mut() = tokens.refresh_token;
        Ok(())
    }
}

/// A [`Transport`] answering from an in-page [`Portal`].
pub struct DemoTransport {
    link: PortalLink,
    latency_ms: u32,
    clock: Rc<dyn Clock>,
}

impl DemoTransport {
    /// A demo portal of `tasks` tasks (seeded, so every preview shows the same data), answering
    /// after `latency_ms` per request and the model's simulated server time.
    pub fn new(tasks: usize, seed: u64, latency_ms: u32, clock: Rc<dyn Clock>) -> Self {
        let now_ms = (clock.unix_now_s() * 1000.0) as u64;
        let (portal, auth) = b24_portal::demo_portal(tasks.min(MAX_DEMO_TASKS), seed, now_ms);
        Self {
            link: PortalLink::new(portal, auth, Rc::clone(&clock)),
            latency_ms,
            clock,
        }
    }

    /// The demo portal's host name.
    pub fn domain(&self) -> String {
        self.link.portal().borrow().config().domain.clone()
    }

    /// Every task ID the demo user can see, newest first (for tests).
    pub fn visible_task_ids(&self) -> Vec<u64> {
        self.link
            .portal()
            .borrow()
            .visible_task_ids(self.link.user_id())
    }

    async fn answer(&self, method: &str, body: &str) -> Result<HttpReply, TransportError> {
        if self.latency_ms > 0 {
            self.clock.sleep(self.latency_ms).await;
        }
        let response = self.link.call(method, body);
        if response.processing_ms > 0 {
            self.clock
                .sleep(response.processing_ms.min(60_000) as u32)
                .await;
        }
        Ok(HttpReply {
            status: response.status,
            body: response.body,
        })
    }
}

impl Transport for DemoTransport {
    fn post<'a>(&'a self, method: &'a str, body: &'a str, _timeout_ms: u32) -> PostFuture<'a> {
        Box::pin(self.answer(method, body))
    }

    fn refresh_auth(&self) -> LocalBoxFuture<'_, Result<(), TransportError>> {
        Box::pin(async move { self.link.refresh() })
    }
}
