//! [`SecretGuard`]: a transport wrapper that takes the webhook's secret out of everything the
//! engine may show the user.
//!
//! A webhook's secret is part of every request URL. Texts that come back — the browser's
//! message for a refused or failed `fetch` (Chrome names the URL for some), the body of an
//! HTTP error page that echoes the request path, a REST error description — end up in the
//! error panel's details line. The guard replaces the secret in all of them with `…`, so the
//! engine, the UI and any log see `https://<host>/rest/<user>/…/` at most.

use crate::report::transport::{HttpReply, LocalBoxFuture, PostFuture, Transport, TransportError};

/// What the secret is replaced with.
const MASK: &str = "…";

/// Wraps a transport whose requests carry `secret`; see the module doc.
pub struct SecretGuard<T> {
    inner: T,
    secret: String,
}

impl<T> SecretGuard<T> {
    /// Guards `inner`, whose requests carry `secret` (an empty secret hides nothing).
    pub fn new(inner: T, secret: impl Into<String>) -> Self {
        Self {
            inner,
            secret: secret.into(),
        }
    }

    /// `text` without the secret.
    fn scrub(&self, text: String) -> String {
        if self.secret.is_empty() || !text.contains(&self.secret) {
            text
        } else {
            text.replace(&self.secret, MASK)
        }
    }

    fn scrub_error(&self, error: TransportError) -> TransportError {
        match error {
            TransportError::Network(text) => TransportError::Network(self.scrub(text)),
            TransportError::Unavailable(text) => TransportError::Unavailable(self.scrub(text)),
            other => other,
        }
    }
}

impl<T: Transport> Transport for SecretGuard<T> {
    fn post<'a>(&'a self, method: &'a str, body: &'a str, timeout_ms: u32) -> PostFuture<'a> {
        Box::pin(async move {
            match self.inner.post(method, body, timeout_ms).await {
                Ok(reply) => Ok(HttpReply {
                    status: reply.status,
                    body: self.scrub(reply.body),
                }),
                Err(error) => Err(self.scrub_error(error)),
            }
        })
    }

    fn refresh_auth(&self) -> LocalBoxFuture<'_, Result<(), TransportError>> {
        Box::pin(async move {
            self.inner
                .refresh_auth()
                .await
                .map_err(|e| self.scrub_error(e))
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use futures_util::FutureExt;

    use super::*;

    const SECRET: &str = "k3yk3yk3y0secret";

    /// Answers every call with `reply`, or fails with `error`; texts name the request URL
    /// the way browsers and error pages do.
    struct Echo {
        status: Option<u16>,
        error: fn(String) -> TransportError,
    }

    impl Transport for Echo {
        fn post<'a>(&'a self, method: &'a str, _body: &'a str, _timeout_ms: u32) -> PostFuture<'a> {
            let url = format!("https://acme.bitrix24.com/rest/1/{SECRET}/{method}.json");
            Box::pin(async move {
                match self.status {
                    Some(status) => Ok(HttpReply {
                        status,
                        body: format!("<h1>Not Found</h1> {url} and again {SECRET}"),
                    }),
                    None => Err((self.error)(format!("Failed to fetch {url}"))),
                }
            })
        }

        fn refresh_auth(&self) -> LocalBoxFuture<'_, Result<(), TransportError>> {
            Box::pin(async move { Err((self.error)(format!("no token for {SECRET}"))) })
        }
    }

    fn guarded(status: Option<u16>, error: fn(String) -> TransportError) -> SecretGuard<Echo> {
        SecretGuard::new(Echo { status, error }, SECRET)
    }

    #[test]
    fn reply_bodies_lose_the_secret_and_keep_the_rest() {
        let reply = guarded(Some(404), TransportError::Network)
            .post("task.item.list", "", 1000)
            .now_or_never()
            .expect("ready")
            .expect("a reply");
        assert_eq!(reply.status, 404);
        assert_eq!(
            reply.body,
            "<h1>Not Found</h1> https://acme.bitrix24.com/rest/1/…/task.item.list.json and again …"
        );
    }

    #[test]
    fn transport_errors_lose_the_secret() {
        for make in [TransportError::Network, TransportError::Unavailable] {
            let guard = guarded(None, make);
            let error = guard
                .post("batch", "", 1000)
                .now_or_never()
                .expect("ready")
                .expect_err("an error");
            assert_eq!(
                error,
                make("Failed to fetch https://acme.bitrix24.com/rest/1/…/batch.json".into())
            );
            let error = guard
                .refresh_auth()
                .now_or_never()
                .expect("ready")
                .expect_err("an error");
            assert_eq!(error, make("no token for …".into()));
        }
    }
}
