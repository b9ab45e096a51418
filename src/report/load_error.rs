//! [`LoadError`]: why loading stopped, as a user-facing kind (for translation by the UI)
//! plus the portal's own code and text for the details line.

use std::fmt;

/// What went wrong, in terms the user can act on. The UI translates by kind; the English
/// sentence of [`LoadError`]'s `Display` is the fallback.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadErrorKind {
    /// `insufficient_scope`: the app lacks the `task` scope.
    MissingScope,
    /// `ACCESS_DENIED`, `user_access_error`: the portal refuses this user or plan.
    AccessDenied,
    /// `NO_AUTH_FOUND`, `INVALID_CREDENTIALS`, a token that stays invalid after a refresh,
    /// or a failed refresh.
    AuthFailed,
    /// `QUERY_LIMIT_EXCEEDED` kept coming back after the bounded back-off.
    RateLimited,
    /// `OPERATION_TIME_LIMIT` kept coming back; `reset_at` is the portal's
    /// `operating_reset_at` (Unix seconds) when known.
    OperationLimit {
        /// When the method unblocks (Unix seconds), if the portal said so.
        reset_at: Option<f64>,
    },
    /// The network failed (offline, DNS, CORS, connection reset) after the retries.
    Network,
    /// Requests kept timing out.
    Timeout,
    /// An answer was larger than the app reads (a single page still too large).
    TooLarge,
    /// The portal kept answering with a server error (HTTP status; 0 inside a batch).
    Server(u16),
    /// The portal's answers could not be understood (malformed JSON, wrong shape, pages
    /// that do not fit their request).
    BadAnswer,
    /// Neither `task.item.list` nor `tasks.task.list` exists on the portal.
    MethodUnavailable,
    /// The transport cannot work at all (e.g. no BX24 auth: the app is not opened inside
    /// Bitrix24).
    Unavailable,
    /// Any other portal error code (e.g. `ERROR_CORE`), not retried.
    Other(String),
}

/// Why loading stopped.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadError {
    /// The user-facing kind.
    pub kind: LoadErrorKind,
    /// The portal's (or transport's) code, e.g. `insufficient_scope`, if any.
    pub code: Option<String>,
    /// The portal's description or the transport's message, if any.
    pub description: Option<String>,
    /// HTTP status of the failing answer, if there was one.
    pub status: Option<u16>,
}

impl LoadError {
    /// An error of `kind` without details.
    pub fn new(kind: LoadErrorKind) -> Self {
        Self {
            kind,
            code: None,
            description: None,
            status: None,
        }
    }

    /// Adds the portal's code and description.
    pub fn with_code(mut self, code: &str, description: &str) -> Self {
        self.code = Some(code.to_string()).filter(|c| !c.is_empty());
        self.description = Some(description.to_string()).filter(|d| !d.is_empty());
        self
    }

    /// Adds the HTTP status.
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status).filter(|&s| s != 0);
        self
    }

    /// Adds a free-text detail (transport message, parse error).
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.description = Some(detail.into());
        self
    }

    /// The English sentence for the user (without the details line).
    pub fn message(&self) -> String {
        match &self.kind {
            LoadErrorKind::MissingScope => "The app needs the Tasks (task) permission; an administrator can add it in the app's settings.".into(),
            LoadErrorKind::AccessDenied => "The portal denied access to tasks for this user (or REST is not available on this plan).".into(),
            LoadErrorKind::AuthFailed => "Authorization with the portal failed; reopen the app from Bitrix24.".into(),
            LoadErrorKind::RateLimited => "The portal keeps rejecting requests as too frequent; try again in a minute.".into(),
            LoadErrorKind::OperationLimit { .. } => "The portal has temporarily blocked task loading for this app (operation time limit); try again later.".into(),
            LoadErrorKind::Network => "The portal could not be reached; check the connection and retry.".into(),
            LoadErrorKind::Timeout => "The portal did not answer in time; retry.".into(),
            LoadErrorKind::TooLarge => "The portal sent an answer too large to read, even for one page of tasks.".into(),
            LoadErrorKind::Server(_) => "The portal reported a server error; retry later.".into(),
            LoadErrorKind::BadAnswer => "The portal sent an answer the app could not understand; retry.".into(),
            LoadErrorKind::MethodUnavailable => "This portal offers no task list method (task.item.list / tasks.task.list).".into(),
            LoadErrorKind::Unavailable => "No connection to the portal; open the app inside Bitrix24.".into(),
            LoadErrorKind::Other(_) => "The portal reported an error.".into(),
        }
    }

    /// The details line: `CODE: description (HTTP status)`, empty if nothing is known.
    pub fn details(&self) -> String {
        let mut out = String::new();
        if let Some(code) = &self.code {
            out.push_str(code);
        }
        if let Some(desc) = &self.description {
            if !out.is_empty() {
                out.push_str(": ");
            }
            out.push_str(desc);
        }
        if let Some(status) = self.status {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&format!("(HTTP {status})"));
        }
        out
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())?;
        let details = self.details();
        if !details.is_empty() {
            write!(f, " [{details}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_has_sentence_and_details() {
        let e = LoadError::new(LoadErrorKind::MissingScope)
            .with_code(
                "insufficient_scope",
                "The request requires higher privileges than provided by the access token",
            )
            .with_status(401);
        let s = e.to_string();
        assert!(
            s.starts_with("The app needs the Tasks (task) permission"),
            "{s}"
        );
        assert!(s.ends_with("[insufficient_scope: The request requires higher privileges than provided by the access token (HTTP 401)]"), "{s}");
        assert_eq!(LoadError::new(LoadErrorKind::Timeout).details(), "");
    }
}
