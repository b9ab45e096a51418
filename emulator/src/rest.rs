//! `/rest/...`: REST requests through the portal model, with latency, cost, the request-rate
//! limit, tasks changing while a client pages, and injected faults.

use std::sync::Arc;
use std::time::Duration;

use b24_portal::{RestRequest, RestResponse};
use hyper::body::Bytes;

use crate::faults::{self, Fault};
use crate::http::{self, Resp};
use crate::ratelimit::QUERY_LIMIT_BODY;
use crate::state::{lock, now_ms, Shared};
use crate::stats::{Churn, LogEntry};

/// How long a "hang" request is held at most.
pub const HANG_FOR: Duration = Duration::from_secs(600);

/// How many tasks `insert_every` / `delete_every` add or remove at a time.
pub const CHURN_TASKS: usize = 3;

/// What to do with the connection.
pub enum Outcome {
    /// Send this answer.
    Respond(Resp),
    /// Close the connection without answering.
    Close,
}

/// A REST request, owned (it crosses into a blocking task).
#[derive(Clone, Debug)]
pub struct Call {
    /// URL path, e.g. `/rest/batch.json` or `/rest/1/<secret>/batch.json`.
    pub path: String,
    /// URL query without `?`.
    pub query: String,
    /// `Content-Type` header.
    pub content_type: Option<String>,
    /// `Authorization` header.
    pub authorization: Option<String>,
    /// Request body.
    pub body: Bytes,
}

/// Adds the headers Bitrix24 sends on every REST answer.
pub fn with_rest_headers(mut resp: Resp) -> Resp {
    http::set_header(&mut resp, "access-control-allow-origin", "*");
    http::set_header(
        &mut resp,
        "access-control-allow-headers",
        "origin, content-type, accept",
    );
    http::set_header(&mut resp, "x-content-type-options", "nosniff");
    resp
}

/// The answer to a CORS preflight under `/rest/`.
pub fn preflight() -> Resp {
    let mut resp = with_rest_headers(http::response(200, http::JSON, ""));
    http::set_header(
        &mut resp,
        "access-control-allow-methods",
        "POST, GET, OPTIONS",
    );
    resp
}

/// The REST method named by a path: `/rest/task.item.list.json` → `task.item.list`, also for
/// webhook paths `/rest/<user>/<secret>/<method>.json`.
pub fn method_of(path: &str) -> String {
    let tail = path.strip_prefix("/rest/").unwrap_or("");
    let last = http::percent_decode(tail.rsplit('/').next().unwrap_or(""), false);
    let name = last
        .strip_suffix(".json")
        .or_else(|| last.strip_suffix(".xml"))
        .unwrap_or(&last);
    name.to_ascii_lowercase()
}

/// Decisions taken when the request arrives.
struct Plan {
    t_ms: u64,
    fault: Option<Fault>,
    admitted: bool,
    latency_ms: u64,
    subcall_cost_ms: u64,
    expire: bool,
    insert: bool,
    delete: bool,
    app_scopes: Vec<String>,
    total_pct: u64,
}

fn plan(shared: &Shared) -> Plan {
    let t_ms = u64::try_from(shared.info.started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let mut rt = lock(&shared.rt);
    let rt = &mut *rt;
    rt.stats.requests += 1;
    let n = rt.stats.requests;
    let fault = faults::decide(&mut rt.knobs, &mut rt.fault_prng);
    let reaches_portal = !matches!(
        fault,
        Some(Fault::Hang | Fault::Drop | Fault::Http5xx(_) | Fault::QueryLimit)
    );
    let admitted = !reaches_portal || rt.bucket.admit(rt.knobs.bucket, now_ms());
    let every = |k: u64| k > 0 && n % k == 0;
    Plan {
        t_ms,
        fault,
        admitted,
        latency_ms: rt.knobs.latency_ms,
        subcall_cost_ms: rt.knobs.subcall_cost_ms,
        expire: every(rt.knobs.expire_every),
        insert: every(rt.knobs.insert_every),
        delete: every(rt.knobs.delete_every),
        app_scopes: rt.knobs.app_scopes.clone(),
        total_pct: rt.knobs.total_pct,
    }
}

/// Logs and counts a finished (or abandoned: `status` 0) request; `errors` are the REST error
/// codes it was answered ([`LogEntry::errors`]).
fn record(
    shared: &Shared,
    call: &Call,
    plan: &Plan,
    status: u16,
    subcalls: u32,
    errors: Vec<String>,
) {
    lock(&shared.rt).stats.record(LogEntry {
        t_ms: plan.t_ms,
        path: call.path.clone(),
        method: method_of(&call.path),
        status,
        subcalls,
        fault: plan.fault,
        errors,
    });
}

/// The rate limit's refusal, before the portal ran anything: the emulator's bucket, or the
/// injected [`Fault::QueryLimit`].
fn query_limit_answer() -> RestResponse {
    RestResponse {
        status: 503,
        body: QUERY_LIMIT_BODY.to_string(),
        subcalls: 0,
        processing_ms: 0,
        errors: vec!["QUERY_LIMIT_EXCEEDED".to_string()],
    }
}

/// Handles one REST request (not a preflight).
pub async fn handle(shared: Arc<Shared>, call: Call) -> Outcome {
    let plan = plan(&shared);
    if plan.fault == Some(Fault::Hang) {
        record(&shared, &call, &plan, 0, 0, Vec::new());
        tokio::select! {
            () = tokio::time::sleep(HANG_FOR) => {}
            () = crate::state::shutting_down(shared.shutdown.clone()) => {}
        }
        return Outcome::Close;
    }
    tokio::time::sleep(Duration::from_millis(plan.latency_ms)).await;
    match plan.fault {
        Some(Fault::Drop) => {
            record(&shared, &call, &plan, 0, 0, Vec::new());
            return Outcome::Close;
        }
        Some(Fault::Http5xx(status)) => {
            record(&shared, &call, &plan, status, 0, Vec::new());
            let page = faults::error_page(status);
            return Outcome::Respond(with_rest_headers(http::response(status, http::HTML, page)));
        }
        Some(Fault::QueryLimit) => {
            let refused = query_limit_answer();
            record(&shared, &call, &plan, refused.status, 0, refused.errors);
            let resp = http::response(refused.status, http::JSON, refused.body);
            return Outcome::Respond(with_rest_headers(resp));
        }
        _ => {}
    }
    let RestResponse {
        mut status,
        mut body,
        subcalls,
        processing_ms,
        errors,
    } = run_portal(&shared, &call, &plan).await;
    // The portal model prices calls with the start-up cost; a cost changed at run time is
    // applied here per call (a single call counts once, a batch per sub-call).
    let sleep_ms = if !plan.admitted {
        0
    } else if plan.subcall_cost_ms == shared.info.initial_subcall_cost_ms {
        processing_ms
    } else {
        u64::from(subcalls.max(1)).saturating_mul(plan.subcall_cost_ms)
    };
    tokio::time::sleep(Duration::from_millis(sleep_ms)).await;
    if plan.total_pct != 100 {
        if let Some(skewed) = faults::skew_totals(&body, plan.total_pct) {
            body = skewed;
            lock(&shared.rt).stats.skewed_totals += 1;
        }
    }
    if plan.fault == Some(Fault::Malformed) {
        status = 200;
        body = faults::truncate_json(&body);
    }
    record(&shared, &call, &plan, status, subcalls, errors);
    Outcome::Respond(with_rest_headers(http::response(status, http::JSON, body)))
}

/// Runs the churn knobs and the portal call in a blocking task (the model is CPU work).
async fn run_portal(shared: &Arc<Shared>, call: &Call, plan: &Plan) -> RestResponse {
    let shared = Arc::clone(shared);
    let call = call.clone();
    let (admitted, expire, insert, delete) = (plan.admitted, plan.expire, plan.insert, plan.delete);
    let app_scopes = plan.app_scopes.clone();
    let joined = tokio::task::spawn_blocking(move || {
        let mut portal = lock(&shared.portal);
        let now = now_ms();
        portal.set_app_scopes(&app_scopes);
        let mut churn = Churn::default();
        if expire {
            portal.expire_tokens();
            churn.tokens_expired = true;
        }
        if insert {
            churn.inserted = portal.insert_tasks(CHURN_TASKS, now).len();
        }
        if delete {
            churn.deleted = portal.delete_tasks(CHURN_TASKS).len();
        }
        let answer = if admitted {
            portal.handle(&RestRequest {
                path: &call.path,
                query: &call.query,
                content_type: call.content_type.as_deref(),
                authorization: call.authorization.as_deref(),
                body: &call.body,
                now_ms: now,
            })
        } else {
            query_limit_answer()
        };
        // The portal lock is released before the counters' lock is taken.
        drop(portal);
        lock(&shared.rt).stats.record_churn(churn);
        answer
    })
    .await;
    joined.unwrap_or_else(|_| RestResponse {
        status: 500,
        body: r#"{"error":"INTERNAL_SERVER_ERROR","error_description":"The emulator's portal model failed on this request."}"#
            .to_string(),
        subcalls: 0,
        processing_ms: 0,
        errors: vec!["INTERNAL_SERVER_ERROR".to_string()],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_names() {
        assert_eq!(method_of("/rest/task.item.list.json"), "task.item.list");
        assert_eq!(method_of("/rest/1/emulatorsecret0001/batch.json"), "batch");
        assert_eq!(method_of("/rest/batch"), "batch");
        assert_eq!(method_of("/rest/"), "");
        assert_eq!(method_of("/rest"), "");
    }
}
