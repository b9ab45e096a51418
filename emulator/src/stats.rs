//! Counters and logs shown by `GET /__stats`.

use std::collections::{BTreeMap, VecDeque};

use serde_json::{json, Value};

use crate::faults::Fault;

/// How many REST log entries and frame messages are kept.
pub const LOG_CAP: usize = 10_000;

/// One REST request as logged.
#[derive(Clone, Debug)]
pub struct LogEntry {
    /// Milliseconds since the server started, when the request arrived.
    pub t_ms: u64,
    /// URL path, e.g. `/rest/batch.json`.
    pub path: String,
    /// REST method name, e.g. `batch`.
    pub method: String,
    /// HTTP status answered; 0 when no answer was sent (drop, hang).
    pub status: u16,
    /// Calls the portal executed for it (a batch counts its commands).
    pub subcalls: u32,
    /// The fault applied, if any.
    pub fault: Option<Fault>,
    /// The REST error codes answered: the answer's `error`, or each failed batch command's
    /// (`result_error` of an HTTP 200 answer).
    pub errors: Vec<String>,
}

/// REST counters and logs.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    /// REST HTTP requests received (preflights excluded).
    pub requests: u64,
    /// Sum of [`LogEntry::subcalls`].
    pub subcalls: u64,
    /// Requests per REST method.
    pub by_method: BTreeMap<String, u64>,
    /// Requests per HTTP status (`"0"` = no answer).
    pub by_status: BTreeMap<String, u64>,
    /// The last [`LOG_CAP`] requests.
    pub log: VecDeque<LogEntry>,
    /// The last [`LOG_CAP`] postMessage records posted by the portal page.
    pub frame_log: VecDeque<Value>,
    /// Paths the portal page refused to open (frame records with `"dir": "refused"`, e.g. an
    /// `openPath` to a task under user 0).
    pub refused_paths: u64,
    /// Answers whose counts the `total_pct` knob changed.
    pub skewed_totals: u64,
    /// Requests per injected fault ([`Fault::name`]), counted when the fault was applied.
    pub by_fault: BTreeMap<String, u64>,
    /// REST error answers per code ([`LogEntry::errors`]): a single call's error counts once,
    /// a batch counts each failed command, e.g. the `OPERATION_TIME_LIMIT`s of a blocked
    /// method (`block_method`) inside a batch answered with HTTP 200.
    pub by_error: BTreeMap<String, u64>,
    /// Times the `expire_every` knob expired every access token.
    pub tokens_expired: u64,
    /// Tasks the `insert_every` knob added.
    pub tasks_inserted: u64,
    /// Tasks the `delete_every` knob removed.
    pub tasks_deleted: u64,
}

/// What the churn knobs (`expire_every`, `insert_every`, `delete_every`) did before one request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Churn {
    /// The access tokens were expired.
    pub tokens_expired: bool,
    /// Tasks added.
    pub inserted: usize,
    /// Tasks removed.
    pub deleted: usize,
}

impl Stats {
    /// Counts a finished (or abandoned) request.
    pub fn record(&mut self, entry: LogEntry) {
        self.subcalls += u64::from(entry.subcalls);
        *self.by_method.entry(entry.method.clone()).or_default() += 1;
        *self.by_status.entry(entry.status.to_string()).or_default() += 1;
        if let Some(fault) = entry.fault {
            *self.by_fault.entry(fault.name().to_string()).or_default() += 1;
        }
        for code in &entry.errors {
            *self.by_error.entry(code.clone()).or_default() += 1;
        }
        push_capped(&mut self.log, entry);
    }

    /// Counts what the churn knobs did.
    pub fn record_churn(&mut self, churn: Churn) {
        self.tokens_expired += u64::from(churn.tokens_expired);
        self.tasks_inserted += churn.inserted as u64;
        self.tasks_deleted += churn.deleted as u64;
    }

    /// Keeps one frame-protocol record.
    pub fn record_frame(&mut self, message: Value) {
        if message.get("dir").and_then(Value::as_str) == Some("refused") {
            self.refused_paths += 1;
        }
        push_capped(&mut self.frame_log, message);
    }

    /// Clears counters and logs.
    pub fn reset(&mut self) {
        *self = Stats::default();
    }

    /// The counters and logs as JSON members (merged into the `/__stats` answer).
    pub fn to_json(&self) -> Value {
        let log: Vec<Value> = self
            .log
            .iter()
            .map(|e| {
                let mut v = json!({
                    "t_ms": e.t_ms,
                    "path": e.path,
                    "method": e.method,
                    "status": e.status,
                    "subcalls": e.subcalls,
                });
                if let Some(obj) = v.as_object_mut() {
                    if let Some(fault) = e.fault {
                        obj.insert("fault".into(), Value::String(fault.name().into()));
                    }
                    if !e.errors.is_empty() {
                        obj.insert("errors".into(), json!(e.errors));
                    }
                }
                v
            })
            .collect();
        json!({
            "requests": self.requests,
            "subcalls": self.subcalls,
            "by_method": self.by_method,
            "by_status": self.by_status,
            "log": log,
            "frame_log": self.frame_log,
            "refused_paths": self.refused_paths,
            "skewed_totals": self.skewed_totals,
            "by_fault": self.by_fault,
            "by_error": self.by_error,
            "tokens_expired": self.tokens_expired,
            "tasks_inserted": self.tasks_inserted,
            "tasks_deleted": self.tasks_deleted,
        })
    }
}

fn push_capped<T>(queue: &mut VecDeque<T>, item: T) {
    if queue.len() >= LOG_CAP {
        queue.pop_front();
    }
    queue.push_back(item);
}
