//! OAuth-style tokens of the app and incoming webhooks. Statuses as `_includes/system-errors.md`
//! documents them: 401 `NO_AUTH_FOUND` / `expired_token` (and `invalid_token`), 403
//! `INVALID_CREDENTIALS` / `insufficient_scope` (docs/platform/rest-answers.md).

use std::collections::BTreeMap;

use crate::call::ApiError;
use crate::rng::{hex, Rng};
use crate::{AuthTokens, Webhook};

/// Who is calling, after authentication.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    /// The calling user.
    pub user_id: u64,
    /// Granted scopes.
    pub scopes: Vec<String>,
    /// True for an incoming webhook, false for the app's access token.
    pub webhook: bool,
    /// Key of the operating-limit budget (per app / per webhook).
    pub client: String,
}

impl Principal {
    /// Checks that `scope` is granted (403 `insufficient_scope` otherwise: the status of
    /// `_includes/system-errors.md`, docs/platform/rest-answers.md).
    pub fn check_scope(&self, scope: Option<&str>) -> Result<(), ApiError> {
        let Some(scope) = scope else {
            return Ok(());
        };
        if self.scopes.iter().any(|s| s.eq_ignore_ascii_case(scope)) {
            return Ok(());
        }
        let by = if self.webhook {
            "webhook token"
        } else {
            "access token"
        };
        Err(ApiError::new(
            403,
            "insufficient_scope",
            format!("The request requires higher privileges than provided by the {by}"),
        ))
    }
}

#[derive(Clone, Debug)]
struct Access {
    user_id: u64,
    expires_ms: u64,
    forced_expired: bool,
}

/// Issued tokens.
#[derive(Clone, Debug)]
pub struct TokenStore {
    rng: Rng,
    access: BTreeMap<String, Access>,
    refresh: BTreeMap<String, u64>,
}

impl TokenStore {
    /// An empty store whose token texts derive from `seed`.
    pub fn new(seed: u64) -> TokenStore {
        TokenStore {
            rng: Rng::new(seed ^ 0xA07B),
            access: BTreeMap::new(),
            refresh: BTreeMap::new(),
        }
    }

    /// Issues a fresh access/refresh pair for `user_id`.
    pub fn issue(
        &mut self,
        user_id: u64,
        now_ms: u64,
        lifetime_s: u64,
        member_id: &str,
    ) -> AuthTokens {
        // Bitrix tokens look like 70 hex-ish characters; the exact format is opaque to clients.
        let access_token = format!("{}{:08x}", hex(&mut self.rng, 62), user_id);
        let refresh_token = format!("{}{:08x}", hex(&mut self.rng, 62), user_id);
        self.access.insert(
            access_token.clone(),
            Access {
                user_id,
                expires_ms: now_ms.saturating_add(lifetime_s.saturating_mul(1000)),
                forced_expired: false,
            },
        );
        self.refresh.insert(refresh_token.clone(), user_id);
        AuthTokens {
            access_token,
            refresh_token,
            expires_in_s: lifetime_s,
            member_id: member_id.to_string(),
            user_id,
        }
    }

    /// Exchanges a refresh token (single use) for a new pair.
    pub fn refresh(
        &mut self,
        refresh_token: &str,
        now_ms: u64,
        lifetime_s: u64,
        member_id: &str,
    ) -> Option<AuthTokens> {
        let user = self.refresh.remove(refresh_token)?;
        Some(self.issue(user, now_ms, lifetime_s, member_id))
    }

    /// Every access token issued so far expires now.
    pub fn expire_all(&mut self) {
        for a in self.access.values_mut() {
            a.forced_expired = true;
        }
    }

    /// Authenticates an app call by access token.
    pub fn check(&self, token: Option<&str>, now_ms: u64) -> Result<u64, ApiError> {
        let token = match token {
            Some(t) if !t.is_empty() => t,
            _ => {
                return Err(ApiError::new(
                    401,
                    "NO_AUTH_FOUND",
                    "Wrong authorization data",
                ))
            }
        };
        let Some(a) = self.access.get(token) else {
            // The real text comes from the OAuth server and is not documented
            // (docs/platform/errors.md, "The error answer").
            return Err(ApiError::new(
                401,
                "invalid_token",
                "Unable to get application by token",
            ));
        };
        if a.forced_expired || now_ms >= a.expires_ms {
            return Err(ApiError::new(
                401,
                "expired_token",
                "The access token provided has expired",
            ));
        }
        Ok(a.user_id)
    }
}

/// Authenticates a webhook path `/rest/<user>/<secret>/…`.
pub fn check_webhook<'a>(
    hooks: &'a [Webhook],
    user: &str,
    secret: &str,
) -> Result<&'a Webhook, ApiError> {
    hooks
        .iter()
        .find(|h| h.user_id.to_string() == user && h.secret == secret)
        .ok_or_else(|| ApiError::new(403, "INVALID_CREDENTIALS", "Invalid request credentials"))
}
