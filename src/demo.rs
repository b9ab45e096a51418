//! The demo portal: a deterministic, generated Bitrix24 portal (the `b24-portal` model, the
//! same one the emulator serves) running inside the page behind the engine's
//! [`Transport`] seam. The preview (`trunk serve`, no portal) loads it through the very
//! same engine, batches, validation and pacing as a real portal, with optional latency.

use std::cell::RefCell;
use std::rc::Rc;

use b24_portal::{Portal, RestRequest};

use crate::report::transport::{Clock, HttpReply, LocalBoxFuture, Transport, TransportError};

use crate::preview::MAX_DEMO_TASKS;

/// A [`Transport`] answering from an in-page [`Portal`].
pub struct DemoTransport {
    portal: RefCell<Portal>,
    access_token: RefCell<String>,
    refresh_token: RefCell<String>,
    user_id: u64,
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
            portal: RefCell::new(portal),
            access_token: RefCell::new(auth.access_token),
            refresh_token: RefCell::new(auth.refresh_token),
            user_id: auth.user_id,
            latency_ms,
            clock,
        }
    }

    /// The demo portal's host name.
    pub fn domain(&self) -> String {
        self.portal.borrow().config().domain.clone()
    }

    /// Every task ID the demo user can see, newest first (for tests).
    pub fn visible_task_ids(&self) -> Vec<u64> {
        self.portal.borrow().visible_task_ids(self.user_id)
    }

    fn now_ms(&self) -> u64 {
        (self.clock.unix_now_s() * 1000.0) as u64
    }

    async fn answer(&self, method: &str, body: &str) -> Result<HttpReply, TransportError> {
        if self.latency_ms > 0 {
            self.clock.sleep(self.latency_ms).await;
        }
        let path = format!("/rest/{method}.json");
        let body = if body.is_empty() {
            format!("auth={}", self.access_token.borrow())
        } else {
            format!("auth={}&{}", self.access_token.borrow(), body)
        };
        let now_ms = self.now_ms();
        let response = self.portal.borrow_mut().handle(&RestRequest {
            path: &path,
            query: "",
            content_type: Some("text/plain;charset=UTF-8"),
            authorization: None,
            body: body.as_bytes(),
            now_ms,
        });
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
    fn post<'a>(
        &'a self,
        method: &'a str,
        body: &'a str,
        _timeout_ms: u32,
    ) -> LocalBoxFuture<'a, Result<HttpReply, TransportError>> {
        Box::pin(self.answer(method, body))
    }

    fn refresh_auth(&self) -> LocalBoxFuture<'_, Result<(), TransportError>> {
        Box::pin(async move {
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
        })
    }
}
