//! Errors of the BX24 binding.

use std::fmt;

/// What can go wrong when talking to `window.BX24`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Bx24Error {
    /// No usable SDK: the page is not inside a Bitrix24 frame (or the SDK failed to load).
    SdkMissing,
    /// The SDK threw a JavaScript exception.
    Js(String),
    /// The portal did not answer within the time limit (the SDK never calls back on some
    /// failures, see `docs/platform/frame-protocol.md`, "Answers, errors and token refresh in
    /// the SDK").
    Timeout,
    /// The portal answered a REST call with an error.
    Rest {
        /// The portal's error code (`expired_token`, `insufficient_scope`, …).
        code: String,
        /// The portal's description.
        description: String,
        /// The HTTP status.
        status: u16,
    },
    /// The SDK returned something of an unexpected shape.
    Decode(String),
    /// The portal refused to open a path (`PATH_NOT_AVAILABLE`, `METHOD_NOT_SUPPORTED_ON_DEVICE`).
    Refused(String),
}

impl fmt::Display for Bx24Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SdkMissing => write!(
                f,
                "the Bitrix24 SDK is not available (not inside a Bitrix24 portal)"
            ),
            Self::Js(message) => write!(f, "the Bitrix24 SDK failed: {message}"),
            Self::Timeout => write!(f, "Bitrix24 did not answer in time"),
            Self::Rest {
                code,
                description,
                status,
            } => {
                write!(f, "{code}: {description} ({status})")
            }
            Self::Decode(message) => {
                write!(f, "unexpected answer from the Bitrix24 SDK: {message}")
            }
            Self::Refused(code) => write!(f, "Bitrix24 refused: {code}"),
        }
    }
}

impl std::error::Error for Bx24Error {}
