//! Test support for the loader (compiled only under `cfg(test)`): [`FaultyTransport`], the
//! `b24-portal` model behind a transport that injects the faults of the wire, on virtual
//! time ([`VirtualClock`]).
//!
//! The portal is the model, reached through the demo's [`PortalLink`] exactly as the
//! preview reaches it: paging, filters, `batch` and its `$result[…]` references, the leaky
//! bucket, operating-limit blocks, token expiry and refresh, disabled methods, inserted and
//! deleted tasks, and the rows themselves. This file adds only what happens between the app
//! and the portal: 503 storms, 5xx, dropped connections, hangs, truncated JSON, heavy
//! batches that time out, batch commands that fail, wrong totals, messy pages, rows without
//! an ID, a refresh that fails.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

#[path = "virtual_time.rs"]
mod virtual_time;

pub use virtual_time::{block_on, VirtualClock, UNIX_ORIGIN_S};

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use b24_portal::{Bucket, Portal, PortalConfig, RestResponse};
use serde_json::{json, Value};

use crate::demo::PortalLink;
use crate::report::retry::Jitter;
use crate::report::task::{Priority, Task, TaskId};
use crate::report::transport::{
    Clock, HttpReply, LocalBoxFuture, PostFuture, Transport, TransportError,
};

/// The dataset's reference time, 200 days before virtual 0. The model places deadlines from
/// 90 days before to 120 days after it, so every deadline has passed for the whole test and
/// no task's meta status (overdue, almost overdue) changes while a test runs.
const REFERENCE_UNIX_S: i64 = UNIX_ORIGIN_S as i64 - 200 * 86_400;

/// Tasks inserted and deleted by the model while loading, every `every` requests.
#[derive(Clone, Debug, Default)]
pub struct Mutations {
    /// Apply before every `every`-th request.
    pub every: u32,
    /// New tasks per step (`Portal::insert_tasks`: IDs above every existing one).
    pub insert: usize,
    /// Existing tasks deleted per step (`Portal::delete_tasks`: chosen by the model's seed).
    pub delete: usize,
}

/// Faults: the first group switches on the model's own behaviour, the rest is the wire.
#[derive(Clone, Debug, Default)]
pub struct Faults {
    /// The model's leaky bucket, standard plan (50, 2 per s); off: no request-rate limit.
    pub enforce_bucket: bool,
    /// At this request number the model blocks the list methods for `op_block_s`
    /// (`Portal::block_method_until`): a single call answers 429 `OPERATION_TIME_LIMIT` with
    /// the reset time, a batch command fails with it (without a time, as the model does).
    pub op_429_at: Option<u32>,
    /// Seconds the list methods stay blocked.
    pub op_block_s: u32,
    /// The model expires the app's access token after this many requests since the last
    /// refresh (`Portal::expire_tokens`): then 401 `expired_token` until `refresh_auth`.
    pub token_ttl: Option<u32>,
    /// Inserts and deletes while loading.
    pub mutate: Option<Mutations>,
    /// Methods the model no longer has (`Portal::disable_method`: 404 `ERROR_METHOD_NOT_FOUND`).
    pub disabled: Vec<&'static str>,

    /// Wire: probability of a `503 QUERY_LIMIT_EXCEEDED` (a storm) on any request.
    pub p_503: f64,
    /// Wire: the parent's `refreshAuth` fails.
    pub refresh_fails: bool,
    /// Wire: probability of `500 INTERNAL_SERVER_ERROR`.
    pub p_5xx: f64,
    /// Wire: probability of a dropped connection (no answer: `TransportError::Network`).
    pub p_drop: f64,
    /// Wire: request numbers that never answer (the loader must time out).
    pub hang_at: Vec<u32>,
    /// Wire: every request hangs.
    pub hang_always: bool,
    /// Wire: request numbers answered with truncated JSON.
    pub malformed_at: Vec<u32>,
    /// Wire: every request fails with this status and code.
    pub hard: Option<(u16, &'static str)>,
    /// Wire: `(request number, command index, code)`: that batch command fails with `code`
    /// (it and, with `halt`, the commands after it do not reach the model).
    pub sub_error: Vec<(u32, usize, &'static str)>,
    /// Wire: `(command index, code)`: that command fails with `code` in every batch.
    pub sub_error_always: Option<(usize, &'static str)>,
    /// Wire: every `total` is this function of the model's count (a portal that counts wrong).
    pub total_as: Option<fn(u64) -> u64>,
    /// Wire: batches of more than this many commands do not finish in time: they hang (or
    /// answer `504 Gateway Timeout` with `heavy_504`).
    pub heavy_above: Option<usize>,
    /// Wire: heavy batches answer 504 instead of hanging.
    pub heavy_504: bool,
    /// Wire: request numbers whose pages repeat a row and have two rows swapped (a join
    /// that repeats a task, an unstable sort); each page still holds `nPageSize` rows: the
    /// model is asked for one row less per page and the chain continues below the last row
    /// served.
    pub messy_pages_at: Vec<u32>,
}

/// One request as the transport saw it.
#[derive(Clone, Debug)]
pub struct Logged {
    /// REST method.
    pub method: String,
    /// Body as the loader sent it (without `auth`).
    pub body: String,
    /// HTTP status answered (0: no answer).
    pub status: u16,
}

struct WireState {
    faults: Faults,
    rng: Jitter,
    requests: u32,
    log: Vec<Logged>,
    token_uses: u32,
    refreshes: u32,
    inserted: BTreeSet<u64>,
    deleted: BTreeSet<u64>,
    corrupt: BTreeSet<u64>,
}

/// The portal model behind a faulty wire.
pub struct FaultyTransport {
    clock: VirtualClock,
    link: PortalLink,
    /// The model before the first request: the truth about every task present at the start.
    initial: Portal,
    initial_ids: BTreeSet<u64>,
    st: RefCell<WireState>,
}

fn error(status: u16, code: &str, description: &str) -> HttpReply {
    HttpReply {
        status,
        body: json!({"error": code, "error_description": description}).to_string(),
    }
}

/// The `cmd[…]` pairs of a batch body: (position among the pairs, command key).
fn commands(body: &str) -> Vec<(usize, String)> {
    body.split('&')
        .enumerate()
        .filter_map(|(i, pair)| {
            let key = pair.strip_prefix("cmd[")?.split_once("]=")?.0;
            Some((i, key.to_string()))
        })
        .collect()
}

/// A JSON value as the text the loader would read (`"7"` and `7` both give `7`).
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The rows of one list result (`task.item.list`: an array, `tasks.task.list`: `{tasks}`).
fn rows_mut(page: &mut Value) -> Option<&mut Vec<Value>> {
    if page.is_array() {
        return page.as_array_mut();
    }
    page.get_mut("tasks").and_then(Value::as_array_mut)
}

/// The list results of an answer: the one result, or every command's of a batch.
fn pages_mut(v: &mut Value, batch: bool) -> Vec<(String, &mut Value)> {
    let Some(result) = v.get_mut("result") else {
        return Vec::new();
    };
    if !batch {
        return vec![(String::new(), result)];
    }
    match result.get_mut("result") {
        Some(Value::Object(m)) => m.iter_mut().map(|(k, p)| (k.clone(), p)).collect(),
        _ => Vec::new(),
    }
}

/// The ID of a row, either shape.
fn row_id(row: &Value) -> String {
    text(
        row.get("ID")
            .or_else(|| row.get("id"))
            .unwrap_or(&Value::Null),
    )
}

/// An answer member (`result_error`, `result_time`) as an object: the model writes an
/// empty one as `[]`.
fn member<'a>(v: &'a mut Value, name: &str) -> &'a mut serde_json::Map<String, Value> {
    let slot = &mut v["result"][name];
    if !slot.is_object() {
        *slot = Value::Object(serde_json::Map::new());
    }
    slot.as_object_mut().expect("just made an object")
}

impl FaultyTransport {
    /// The model with `tasks` generated tasks (dataset and wire faults seeded with `seed`),
    /// the administrator's app tokens, and `faults`.
    pub fn new(clock: &VirtualClock, tasks: usize, faults: Faults, seed: u64) -> Self {
        Self::with_ids(clock, tasks, faults, seed, false)
    }

    /// [`FaultyTransport::new`] over a portal whose IDs have no holes (`dense`).
    pub fn with_ids(
        clock: &VirtualClock,
        tasks: usize,
        faults: Faults,
        seed: u64,
        dense: bool,
    ) -> Self {
        Self::with_reference(clock, tasks, faults, seed, dense, REFERENCE_UNIX_S)
    }

    /// [`FaultyTransport::with_ids`] whose dataset is generated around unix second
    /// `reference_unix_s` (deadlines today, this week, next week from it).
    pub fn with_reference(
        clock: &VirtualClock,
        tasks: usize,
        faults: Faults,
        seed: u64,
        dense: bool,
        reference_unix_s: i64,
    ) -> Self {
        let config = PortalConfig {
            dense_ids: dense,
            seed,
            tasks,
            member_id: b24_portal::member_id_for_seed(seed),
            reference_unix_s,
            // Expiry comes from `token_ttl`, not from hours of virtual waiting.
            token_lifetime_s: 86_400,
            bucket: faults.enforce_bucket.then_some(Bucket::STANDARD),
            ..PortalConfig::default()
        };
        let admin = config.admin_user_id;
        let mut portal = Portal::new(config);
        let initial = portal.clone();
        let initial_ids = portal.visible_task_ids(admin).into_iter().collect();
        let now_ms = (clock.unix_now_s() * 1000.0) as u64;
        let auth = portal.issue_auth(admin, now_ms);
        let link = PortalLink::new(portal, auth, Rc::new(clock.clone()));
        let transport = Self {
            clock: clock.clone(),
            link,
            initial,
            initial_ids,
            st: RefCell::new(WireState {
                faults: Faults::default(),
                rng: Jitter::new(seed),
                requests: 0,
                log: Vec::new(),
                token_uses: 0,
                refreshes: 0,
                inserted: BTreeSet::new(),
                deleted: BTreeSet::new(),
                corrupt: BTreeSet::new(),
            }),
        };
        transport.set_faults(faults);
        transport
    }

    /// Replaces the faults (methods disabled in the model stay disabled).
    pub fn set_faults(&self, faults: Faults) {
        for method in &faults.disabled {
            self.link.portal().borrow_mut().disable_method(method);
        }
        self.st.borrow_mut().faults = faults;
    }

    /// Serves task `id` with an empty ID from now on (a malformed row; a `batch` reference
    /// to it resolves to the empty value).
    pub fn corrupt(&self, id: u64) {
        self.st.borrow_mut().corrupt.insert(id);
    }

    /// The model itself (to change the portal between loads).
    pub fn model(&self) -> &RefCell<Portal> {
        self.link.portal()
    }

    /// HTTP requests received.
    pub fn requests(&self) -> u32 {
        self.st.borrow().requests
    }

    /// Token refreshes.
    pub fn refreshes(&self) -> u32 {
        self.st.borrow().refreshes
    }

    /// The request log.
    pub fn log(&self) -> Vec<Logged> {
        self.st.borrow().log.clone()
    }

    /// IDs present at the start.
    pub fn initial(&self) -> &BTreeSet<u64> {
        &self.initial_ids
    }

    /// Tasks the model inserted during the load.
    pub fn inserted(&self) -> BTreeSet<u64> {
        self.st.borrow().inserted.clone()
    }

    /// Tasks the model deleted during the load.
    pub fn deleted(&self) -> BTreeSet<u64> {
        self.st.borrow().deleted.clone()
    }

    /// The true rows of every task present at the start or inserted since, as the model
    /// serves them to the administrator. Read from copies, so the test's model is untouched:
    /// the untouched start (tasks deleted since included), and for inserted tasks the model
    /// as it is now, read after its blocks have ended and its bucket drained.
    pub fn truth(&self) -> BTreeMap<u64, Task> {
        let mut out = BTreeMap::new();
        read_all(self.initial.clone(), 0, &mut out);
        if !self.st.borrow().inserted.is_empty() {
            read_all(
                self.link.portal().borrow().clone(),
                self.clock.now(),
                &mut out,
            );
        }
        out
    }

    /// The model's own part of request `n`: operating-limit blocks, token expiry, inserts
    /// and deletes.
    fn model_faults(&self, n: u32, f: &Faults) {
        let now_s = (self.link.now_ms() / 1000) as i64;
        let mut st = self.st.borrow_mut();
        let mut portal = self.link.portal().borrow_mut();
        if f.op_429_at == Some(n) {
            let until = now_s + i64::from(f.op_block_s);
            portal.block_method_until("task.item.list", until);
            portal.block_method_until("tasks.task.list", until);
        }
        if let Some(ttl) = f.token_ttl {
            if st.token_uses >= ttl {
                portal.expire_tokens();
            } else {
                st.token_uses += 1;
            }
        }
        if let Some(m) = &f.mutate {
            if m.every > 0 && n % m.every == 0 {
                let created_ms = u64::try_from(REFERENCE_UNIX_S).unwrap_or(0) * 1000;
                let inserted = portal.insert_tasks(m.insert, created_ms);
                st.inserted.extend(inserted);
                let deleted = portal.delete_tasks(m.delete);
                st.deleted.extend(deleted);
            }
        }
    }

    /// The request as it reaches the model, and the batch commands failed on the way.
    fn rewrite(
        &self,
        n: u32,
        method: &str,
        body: &str,
        f: &Faults,
    ) -> (String, Vec<(String, &'static str)>) {
        let mut body = body.to_string();
        if f.messy_pages_at.contains(&n) {
            // One row less per page, and each reference to row 49 points at row 48: the
            // chain continues right below the last row served.
            body = body
                .replace("[nPageSize]=50", "[nPageSize]=49")
                .replace("%5BnPageSize%5D%3D50", "%5BnPageSize%5D%3D49")
                .replace("%255B49%255D%255BID%255D", "%255B48%255D%255BID%255D");
        }
        let mut failed = Vec::new();
        if method != "batch" {
            return (body, failed);
        }
        let cmds = commands(&body);
        let injected = f
            .sub_error
            .iter()
            .filter(|(r, _, _)| *r == n)
            .map(|&(_, i, code)| (i, code))
            .chain(f.sub_error_always)
            .min_by_key(|&(i, _)| i);
        let Some((index, code)) = injected else {
            return (body, failed);
        };
        let Some((_, key)) = cmds.get(index) else {
            return (body, failed);
        };
        let halt = body.split('&').any(|p| p == "halt=1");
        let dropped: BTreeSet<usize> = cmds
            .iter()
            .skip(index)
            .take(if halt { usize::MAX } else { 1 })
            .map(|(pos, _)| *pos)
            .collect();
        failed.push((key.clone(), code));
        let kept: Vec<&str> = body
            .split('&')
            .enumerate()
            .filter(|(i, _)| !dropped.contains(i))
            .map(|(_, p)| p)
            .collect();
        (kept.join("&"), failed)
    }

    /// Calls the model. With rows served without an ID, a batch reference to such a row
    /// resolves to the empty value: the batch is run, and if a later command refers to a
    /// corrupt row, the model is put back as it was and the batch is run again with that
    /// reference empty.
    fn call_model(&self, method: &str, body: &str) -> RestResponse {
        let corrupt = self.st.borrow().corrupt.clone();
        if corrupt.is_empty() || method != "batch" {
            return self.link.call(method, body);
        }
        let mut body = body.to_string();
        loop {
            let before = self.link.portal().borrow().clone();
            let response = self.link.call(method, &body);
            let mut v: Value = match serde_json::from_str(&response.body) {
                Ok(v) => v,
                Err(_) => return response,
            };
            let mut rewritten = body.clone();
            for (key, page) in pages_mut(&mut v, true) {
                let Some(rows) = rows_mut(page) else { continue };
                for (j, row) in rows.iter().enumerate() {
                    if corrupt.iter().any(|id| id.to_string() == row_id(row)) {
                        for path in [
                            format!("%255B{j}%255D%255BID%255D"),
                            format!("%255Btasks%255D%255B{j}%255D%255Bid%255D"),
                        ] {
                            let reference = format!("%2524result%255B{key}%255D{path}");
                            rewritten = rewritten.replace(&reference, "");
                        }
                    }
                }
            }
            if rewritten == body {
                return response;
            }
            *self.link.portal().borrow_mut() = before;
            body = rewritten;
        }
    }

    /// The wire's changes to the model's answer.
    fn edit_answer(
        &self,
        n: u32,
        method: &str,
        response: RestResponse,
        failed: &[(String, &'static str)],
        f: &Faults,
    ) -> HttpReply {
        let corrupt = self.st.borrow().corrupt.clone();
        let messy = f.messy_pages_at.contains(&n);
        if failed.is_empty() && f.total_as.is_none() && !messy && corrupt.is_empty() {
            return HttpReply {
                status: response.status,
                body: response.body,
            };
        }
        let mut v: Value = serde_json::from_str(&response.body).expect("the model answers JSON");
        let batch = method == "batch";
        for (_, page) in pages_mut(&mut v, batch) {
            let Some(rows) = rows_mut(page) else { continue };
            for row in rows.iter_mut() {
                if corrupt.iter().any(|id| id.to_string() == row_id(row)) {
                    let key = if row.get("ID").is_some() { "ID" } else { "id" };
                    row[key] = Value::String(String::new());
                }
            }
            if messy && rows.len() >= 5 {
                // The second row again, right after it, and the next two rows swapped.
                let repeated = rows[1].clone();
                rows.insert(2, repeated);
                rows.swap(3, 4);
            }
        }
        if let Some(total_as) = f.total_as {
            let wrong = |t: &mut Value| {
                if let Some(count) = t.as_u64() {
                    *t = json!(total_as(count));
                }
            };
            if batch {
                if let Some(Value::Object(totals)) = v["result"].get_mut("result_total") {
                    totals.values_mut().for_each(wrong);
                }
            } else if let Some(t) = v.get_mut("total") {
                wrong(t);
            }
        }
        for (key, code) in failed {
            member(&mut v, "result_error").insert(
                key.clone(),
                json!({"error": code, "error_description": "injected"}),
            );
        }
        HttpReply {
            status: response.status,
            body: v.to_string(),
        }
    }

    fn answer(
        &self,
        n: u32,
        method: &str,
        body: &str,
        f: &Faults,
    ) -> Result<HttpReply, TransportError> {
        if let Some((status, code)) = f.hard {
            return Ok(error(status, code, "injected hard error"));
        }
        {
            let mut st = self.st.borrow_mut();
            if st.rng.unit() < f.p_drop {
                return Err(TransportError::Network("connection reset".into()));
            }
            if st.rng.unit() < f.p_503 {
                return Ok(error(503, "QUERY_LIMIT_EXCEEDED", "Too many requests"));
            }
            if f.malformed_at.contains(&n) {
                return Ok(HttpReply {
                    status: 200,
                    body: r#"{"result":[{"ID":"1","TITLE":"#.into(),
                });
            }
            if st.rng.unit() < f.p_5xx {
                return Ok(error(500, "INTERNAL_SERVER_ERROR", "Internal server error"));
            }
        }
        self.model_faults(n, f);
        let (request, failed) = self.rewrite(n, method, body, f);
        let response = self.call_model(method, &request);
        Ok(self.edit_answer(n, method, response, &failed, f))
    }
}

/// Every row `portal` serves its administrator, ID descending, read a page at a time a
/// second apart on a clock of its own, started 10 minutes after `test_ms` (the test's
/// virtual time): operating-limit blocks have ended and the bucket drained by then. The
/// rows do not depend on the time (see [`REFERENCE_UNIX_S`]).
fn read_all(portal: Portal, test_ms: u64, out: &mut BTreeMap<u64, Task>) {
    const SELECT: &str =
        "3[0]=ID&3[1]=TITLE&3[2]=PRIORITY&3[3]=STATUS&3[4]=REAL_STATUS&3[5]=RESPONSIBLE_ID&3[6]=CREATED_BY&3[7]=GROUP_ID&3[8]=DEADLINE&3[9]=CREATED_DATE&3[10]=CHANGED_DATE&3[11]=CLOSED_DATE&3[12]=TIME_ESTIMATE&3[13]=TIME_SPENT_IN_LOGS";
    let clock = VirtualClock::default();
    let admin = portal.config().admin_user_id;
    let mut portal = portal;
    let start_ms = u32::try_from(test_ms + 600_000).expect("a test takes hours at most");
    let start_unix_ms = UNIX_ORIGIN_S as u64 * 1000 + u64::from(start_ms);
    let auth = portal.issue_auth(admin, start_unix_ms);
    let link = PortalLink::new(portal, auth, Rc::new(clock.clone()));
    let mut below: Option<u64> = None;
    block_on(&clock, async {
        clock.sleep(start_ms).await;
        loop {
            let filter = below.map_or("1[%3EID]=0".to_string(), |id| format!("1[%3CID]={id}"));
            let body = format!("0[ID]=desc&{filter}&2[NAV_PARAMS][nPageSize]=50&{SELECT}");
            let response = link.call("task.item.list", &body);
            assert_eq!(response.status, 200, "{}", response.body);
            let v: Value = serde_json::from_str(&response.body).expect("the model answers JSON");
            let rows = v["result"].as_array().cloned().unwrap_or_default();
            let Some(last) = rows.last() else { break };
            below = Some(text(&last["ID"]).parse().expect("numeric ID"));
            for row in &rows {
                let id: u64 = text(&row["ID"]).parse().expect("numeric ID");
                let task = Task::from_status_fields(
                    TaskId(id),
                    text(&row["TITLE"]),
                    Priority::from_wire(&text(&row["PRIORITY"])),
                    Some(&text(&row["STATUS"])),
                    Some(&text(&row["REAL_STATUS"])),
                )
                .with_responsible(text(&row["RESPONSIBLE_ID"]).parse().ok())
                .with_details(crate::report::task::RawDetails {
                    created_by: Some(&text(&row["CREATED_BY"])),
                    group: Some(&text(&row["GROUP_ID"])),
                    deadline: Some(&text(&row["DEADLINE"])),
                    created: Some(&text(&row["CREATED_DATE"])),
                    changed: Some(&text(&row["CHANGED_DATE"])),
                    closed: Some(&text(&row["CLOSED_DATE"])),
                    time_estimate: Some(&text(&row["TIME_ESTIMATE"])),
                    time_spent: Some(&text(&row["TIME_SPENT_IN_LOGS"])),
                });
                out.insert(id, task);
            }
            clock.sleep(1_000).await;
        }
    });
}

impl Transport for FaultyTransport {
    fn post<'a>(&'a self, method: &'a str, body: &'a str, _timeout_ms: u32) -> PostFuture<'a> {
        let (n, f) = {
            let mut st = self.st.borrow_mut();
            st.requests += 1;
            st.log.push(Logged {
                method: method.into(),
                body: body.into(),
                status: 0,
            });
            (st.requests, st.faults.clone())
        };
        let heavy =
            method == "batch" && f.heavy_above.is_some_and(|max| commands(body).len() > max);
        if heavy && f.heavy_504 {
            let reply = HttpReply {
                status: 504,
                body: "<html><body>504 Gateway Time-out</body></html>".into(),
            };
            return Box::pin(async move { Ok(reply) });
        }
        if heavy || f.hang_always || f.hang_at.contains(&n) {
            return Box::pin(std::future::pending());
        }
        let result = self.answer(n, method, body, &f);
        if let Ok(reply) = &result {
            if let Some(last) = self.st.borrow_mut().log.last_mut() {
                last.status = reply.status;
            }
        }
        Box::pin(async move { result })
    }

    fn refresh_auth(&self) -> LocalBoxFuture<'_, Result<(), TransportError>> {
        let result = if self.st.borrow().faults.refresh_fails {
            Err(TransportError::Network("refreshAuth failed".into()))
        } else {
            self.link.refresh().map(|()| {
                let mut st = self.st.borrow_mut();
                st.refreshes += 1;
                st.token_uses = 0;
            })
        };
        Box::pin(async move { result })
    }
}
