//! Answer bodies: `{"result":…,"next"?:…,"total"?:…,"time":{…}}` (key order of
//! `CRestServer::processCall`; docs/platform/rest-answers.md, "The envelope") and
//! `{"error":…,"error_description":…}` (docs/platform/errors.md, "The error answer").

use std::fmt::Write;

use serde_json::Value;

use crate::call::{ApiError, CallOk, Payload};
use crate::clock::TimeInfo;
use crate::store::Store;
use crate::RestResponse;

fn push_value(out: &mut String, v: &Value) {
    out.push_str(&serde_json::to_string(v).unwrap_or_else(|_| "null".into()));
}

/// Appends a payload as JSON.
pub fn push_payload(out: &mut String, p: &Payload, store: &Store) {
    match p {
        Payload::Json(v) => push_value(out, v),
        Payload::Rows(rows) => rows.write(store, out),
    }
}

/// A 200 answer for a single call.
pub fn success(ok: &CallOk, time: &TimeInfo, store: &Store) -> RestResponse {
    let mut out = String::with_capacity(256);
    out.push_str("{\"result\":");
    push_payload(&mut out, &ok.payload, store);
    if let Some(n) = ok.next {
        let _ = write!(out, ",\"next\":{n}");
    }
    if let Some(t) = ok.total {
        let _ = write!(out, ",\"total\":{t}");
    }
    out.push_str(",\"time\":");
    push_value(&mut out, &time.to_json_in(store.offset_s));
    out.push('}');
    RestResponse {
        status: 200,
        body: out,
        subcalls: 0,
        processing_ms: time.processing_ms,
        errors: Vec::new(),
    }
}

/// The error object `{"error":…,"error_description":…}` as JSON.
pub fn error_json(e: &ApiError) -> Value {
    let mut m = serde_json::Map::new();
    m.insert("error".into(), Value::String(e.code.clone()));
    m.insert(
        "error_description".into(),
        Value::String(e.description.clone()),
    );
    Value::Object(m)
}

/// An error answer: `error` and `error_description` only, as documented (no `time`, also for
/// `OPERATION_TIME_LIMIT`: the documents send clients to the last successful answer's
/// `time.operating_reset_at`, see `docs/platform/errors.md`).
pub fn error(e: &ApiError) -> RestResponse {
    let v = error_json(e);
    let mut body = String::new();
    push_value(&mut body, &v);
    RestResponse {
        status: e.status,
        body,
        subcalls: 0,
        processing_ms: 0,
        errors: vec![e.code.clone()],
    }
}
