//! What a method call produces: a payload with optional `next`/`total`, or a REST error.

use serde_json::Value;

use crate::rows::Rows;

/// A REST error: HTTP status, `error` code and `error_description` (docs/platform/errors.md,
/// "The error answer").
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// `error` member.
    pub code: String,
    /// `error_description` member.
    pub description: String,
}

impl ApiError {
    /// A new error.
    pub fn new(status: u16, code: &str, description: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code: code.to_string(),
            description: description.into(),
        }
    }

    /// 404 `ERROR_METHOD_NOT_FOUND` "Method not found!".
    pub fn method_not_found() -> ApiError {
        ApiError::new(404, "ERROR_METHOD_NOT_FOUND", "Method not found!")
    }

    /// 400 `EMULATOR_UNSUPPORTED`: a real feature this model does not implement (never a
    /// silent wrong answer).
    pub fn unsupported(what: impl Into<String>) -> ApiError {
        ApiError::new(400, "EMULATOR_UNSUPPORTED", what)
    }

    /// 400 `ERROR_CORE` from a `task.*` method: `TASKS_ERROR_EXCEPTION_#256; <message>;
    /// 256/TE/WRONG_ARGUMENTS<br>` (docs/platform/errors.md, "Errors of the `task.*` methods").
    pub fn tasks_wrong_arguments(message: &str) -> ApiError {
        ApiError::new(
            400,
            "ERROR_CORE",
            format!("TASKS_ERROR_EXCEPTION_#256; {message}; 256/TE/WRONG_ARGUMENTS<br>"),
        )
    }
}

/// The `result` of a successful call.
#[derive(Clone, Debug, PartialEq)]
pub enum Payload {
    /// Any JSON value.
    Json(Value),
    /// A page of task rows (a JSON array).
    Rows(Rows),
}

/// A successful call.
#[derive(Clone, Debug, PartialEq)]
pub struct CallOk {
    /// `result`.
    pub payload: Payload,
    /// `next`, when there is a further page.
    pub next: Option<u64>,
    /// `total`, when counted.
    pub total: Option<u64>,
}

impl CallOk {
    /// A plain result without paging.
    pub fn json(value: Value) -> CallOk {
        CallOk {
            payload: Payload::Json(value),
            next: None,
            total: None,
        }
    }
}
