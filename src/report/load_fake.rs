//! Test helpers for the loader (compiled only under `cfg(test)`): a virtual clock with a
//! tiny executor, and a fake portal implementing [`Transport`] over an in-memory ID set with
//! the server's paging, `batch` reference substitution, leaky bucket and injectable faults.
//!
//! Deliberately independent of the `b24-portal` crate: this fake pins down the behaviour
//! the loader relies on (`docs/platform/task-list.md`, "PARAMS and paging";
//! `docs/platform/errors.md`; `docs/platform/batch.md`).

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::future::Future;
use std::pin::{pin, Pin};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use serde_json::{json, Value};

use crate::report::retry::Jitter;
use crate::report::task::{Priority, Task, TaskId};
use crate::report::transport::{Clock, HttpReply, LocalBoxFuture, Transport, TransportError};

// ---------------------------------------------------------------- virtual time

#[derive(Default)]
struct ClockInner {
    now_ms: Cell<u64>,
    next_id: Cell<u64>,
    timers: RefCell<BTreeMap<(u64, u64), Waker>>,
}

/// Virtual time: `sleep` completes when the executor advances the clock, which it does
/// only when nothing else can run, so waits cost no real time.
#[derive(Clone, Default)]
pub struct VirtualClock(Rc<ClockInner>);

/// Unix time of virtual 0 ms.
pub const UNIX_ORIGIN_S: f64 = 1_700_000_000.0;

impl VirtualClock {
    /// Virtual milliseconds since the start.
    pub fn now(&self) -> u64 {
        self.0.now_ms.get()
    }

    /// Advances to the earliest timer and wakes every timer due. False if none is pending.
    fn advance(&self) -> bool {
        let first = self.0.timers.borrow().keys().next().copied();
        let Some((deadline, _)) = first else {
            return false;
        };
        self.0.now_ms.set(self.0.now_ms.get().max(deadline));
        let now = self.0.now_ms.get();
        let due: Vec<Waker> = {
            let mut timers = self.0.timers.borrow_mut();
            let keys: Vec<(u64, u64)> = timers.range(..=(now, u64::MAX)).map(|(k, _)| *k).collect();
            keys.into_iter().filter_map(|k| timers.remove(&k)).collect()
        };
        for w in due {
            w.wake();
        }
        true
    }
}

struct Sleep {
    clock: Rc<ClockInner>,
    deadline: u64,
    id: u64,
}

impl Future for Sleep {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.clock.now_ms.get() >= self.deadline {
            self.clock
                .timers
                .borrow_mut()
                .remove(&(self.deadline, self.id));
            Poll::Ready(())
        } else {
            self.clock
                .timers
                .borrow_mut()
                .insert((self.deadline, self.id), cx.waker().clone());
            Poll::Pending
        }
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        self.clock
            .timers
            .borrow_mut()
            .remove(&(self.deadline, self.id));
    }
}

impl Clock for VirtualClock {
    fn now_ms(&self) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        let now = self.0.now_ms.get() as f64;
        now
    }

    fn unix_now_s(&self) -> f64 {
        UNIX_ORIGIN_S + self.now_ms() / 1000.0
    }

    fn sleep(&self, ms: u32) -> LocalBoxFuture<'static, ()> {
        let id = self.0.next_id.get();
        self.0.next_id.set(id + 1);
        Box::pin(Sleep {
            clock: Rc::clone(&self.0),
            deadline: self.0.now_ms.get() + u64::from(ms),
            id,
        })
    }
}

struct Flag(AtomicBool);

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Longest virtual time a test may take before it counts as hung.
pub const MAX_VIRTUAL_MS: u64 = 6 * 3600 * 1000;

/// Runs `fut` to completion on virtual time. Panics if it can never finish (pending with
/// no timer: a hang) or runs past [`MAX_VIRTUAL_MS`].
pub fn block_on<T>(clock: &VirtualClock, fut: impl Future<Output = T>) -> T {
    let flag = Arc::new(Flag(AtomicBool::new(true)));
    let waker = Waker::from(Arc::clone(&flag));
    let mut cx = Context::from_waker(&waker);
    let mut fut = pin!(fut);
    for _ in 0..50_000_000u64 {
        flag.0.store(false, Ordering::SeqCst);
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return v;
        }
        if flag.0.load(Ordering::SeqCst) {
            continue;
        }
        assert!(
            clock.advance(),
            "hang: the future is pending and no timer is set"
        );
        assert!(
            clock.now() <= MAX_VIRTUAL_MS,
            "hang: virtual time ran past {MAX_VIRTUAL_MS} ms"
        );
    }
    panic!("hang: too many polls");
}

// ---------------------------------------------------------------- PHP-style params

/// A parsed parameter (PHP array or string).
#[derive(Clone, Debug, PartialEq)]
pub enum Pv {
    /// A string.
    S(String),
    /// An ordered array.
    A(Vec<(String, Pv)>),
}

impl Pv {
    fn get(&self, key: &str) -> Option<&Pv> {
        match self {
            Pv::A(items) => items.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            Pv::S(_) => None,
        }
    }

    /// How many entries a map has (0 for a string).
    fn entries(&self) -> usize {
        match self {
            Pv::A(items) => items.len(),
            Pv::S(_) => 0,
        }
    }

    fn values(&self) -> Vec<&Pv> {
        match self {
            Pv::A(items) => items.iter().map(|(_, v)| v).collect(),
            Pv::S(_) => Vec::new(),
        }
    }

    fn from_json(v: &Value) -> Pv {
        match v {
            Value::Null => Pv::S(String::new()),
            Value::Bool(b) => Pv::S(if *b { "1".into() } else { String::new() }),
            Value::Number(n) => Pv::S(n.to_string()),
            Value::String(s) => Pv::S(s.clone()),
            Value::Array(a) => Pv::A(
                a.iter()
                    .enumerate()
                    .map(|(i, v)| (i.to_string(), Pv::from_json(v)))
                    .collect(),
            ),
            Value::Object(o) => Pv::A(
                o.iter()
                    .map(|(k, v)| (k.clone(), Pv::from_json(v)))
                    .collect(),
            ),
        }
    }
}

fn url_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz");
                if let Ok(b) = u8::from_str_radix(hex, 16) {
                    out.push(b);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn insert_path(node: &mut Vec<(String, Pv)>, path: &[String], value: String) {
    let key = path[0].clone();
    if path.len() == 1 {
        if let Some(slot) = node.iter_mut().find(|(k, _)| *k == key) {
            slot.1 = Pv::S(value);
        } else {
            node.push((key, Pv::S(value)));
        }
        return;
    }
    let pos = match node.iter().position(|(k, _)| *k == key) {
        Some(p) => p,
        None => {
            node.push((key, Pv::A(Vec::new())));
            node.len() - 1
        }
    };
    if !matches!(node[pos].1, Pv::A(_)) {
        node[pos].1 = Pv::A(Vec::new());
    }
    if let Pv::A(child) = &mut node[pos].1 {
        insert_path(child, &path[1..], value);
    }
}

/// PHP `parse_str`: `a[b][0]=x&c=y` → an ordered tree (empty pairs ignored).
pub fn parse_str(body: &str) -> Pv {
    let mut root: Vec<(String, Pv)> = Vec::new();
    for pair in body.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let key = url_decode(k);
        let value = url_decode(v);
        let (base, rest) = match key.find('[') {
            Some(i) => (key[..i].to_string(), &key[i..]),
            None => (key.clone(), ""),
        };
        let mut path = vec![base];
        let mut rest = rest;
        while let Some(stripped) = rest.strip_prefix('[') {
            let Some(end) = stripped.find(']') else { break };
            path.push(stripped[..end].to_string());
            rest = &stripped[end + 1..];
        }
        insert_path(&mut root, &path, value);
    }
    Pv::A(root)
}

/// PHP `intval` of a string: leading digits, else 0.
fn intval(s: &str) -> u64 {
    let digits: String = s.trim().chars().take_while(char::is_ascii_digit).collect();
    digits.parse().unwrap_or(0)
}

// ---------------------------------------------------------------- the fake portal

/// Tasks inserted and deleted while loading, every `every` requests.
#[derive(Clone, Debug, Default)]
pub struct Mutations {
    /// Apply before every `every`-th request.
    pub every: u32,
    /// New tasks (IDs above every existing one) per step.
    pub insert: usize,
    /// Existing tasks deleted per step (chosen at random).
    pub delete: usize,
}

/// Injectable faults.
#[derive(Clone, Debug, Default)]
pub struct Faults {
    /// Probability of a `503 QUERY_LIMIT_EXCEEDED` (a storm) on any request.
    pub p_503: f64,
    /// Request number that triggers `429 OPERATION_TIME_LIMIT` for `op_block_s` seconds.
    pub op_429_at: Option<u32>,
    /// Seconds the method stays blocked after the 429 (the reset is that far ahead).
    pub op_block_s: f64,
    /// Omit `time.operating_reset_at` from the 429 answer.
    pub op_no_reset: bool,
    /// The token expires after this many authorised requests (then 401 `expired_token`
    /// until `refresh_auth`).
    pub token_ttl: Option<u32>,
    /// `refresh_auth` fails.
    pub refresh_fails: bool,
    /// Probability of `500 INTERNAL_SERVER_ERROR`.
    pub p_5xx: f64,
    /// Probability of a dropped connection (no answer: `TransportError::Network`).
    pub p_drop: f64,
    /// Request numbers that never answer (the loader must time out).
    pub hang_at: Vec<u32>,
    /// Every request hangs.
    pub hang_always: bool,
    /// Request numbers answered with truncated JSON.
    pub malformed_at: Vec<u32>,
    /// Inserts and deletes while loading.
    pub mutate: Option<Mutations>,
    /// `task.item.list` is gone (`404 ERROR_METHOD_NOT_FOUND`).
    pub item_list_missing: bool,
    /// Every request fails with this status and code.
    pub hard: Option<(u16, &'static str)>,
    /// `(request number, command index, code)`: that batch command fails with `code`.
    pub sub_error: Vec<(u32, usize, &'static str)>,
    /// Enforce the portal's leaky bucket (50 / 2 per s).
    pub enforce_bucket: bool,
    /// Every `total` the portal reports is this function of the true count (a portal that
    /// counts wrong).
    pub total_as: Option<fn(u64) -> u64>,
    /// Batches of more than this many commands do not finish in time: they hang (or answer
    /// `504 Gateway Timeout` with `heavy_504`).
    pub heavy_above: Option<usize>,
    /// Heavy batches answer 504 instead of hanging.
    pub heavy_504: bool,
    /// `(command index, code)`: that command fails with `code` in every batch.
    pub sub_error_always: Option<(usize, &'static str)>,
    /// Request numbers whose pages repeat a row and have two rows swapped (a join that
    /// repeats a task, an unstable sort); the page still holds `nPageSize` rows.
    pub messy_pages_at: Vec<u32>,
}

/// One request as the portal saw it.
#[derive(Clone, Debug)]
pub struct Logged {
    /// REST method.
    pub method: String,
    /// Body.
    pub body: String,
    /// HTTP status answered (0: no answer).
    pub status: u16,
}

struct PortalState {
    /// Sorted ascending.
    ids: Vec<u64>,
    corrupt: HashSet<u64>,
    faults: Faults,
    rng: Jitter,
    requests: u32,
    log: Vec<Logged>,
    token_uses: u32,
    refreshes: u32,
    op_blocked_until_s: f64,
    bucket_level: f64,
    bucket_last_ms: f64,
    inserted: BTreeSet<u64>,
    deleted: BTreeSet<u64>,
}

/// A portal with an in-memory task set.
pub struct FakePortal {
    clock: VirtualClock,
    st: RefCell<PortalState>,
    initial: BTreeSet<u64>,
}

/// The task the fake portal serves for `id` (what the loader must deliver).
pub fn expected_task(id: u64) -> Task {
    let priority = if id % 11 == 0 {
        Priority::Unknown(String::new())
    } else {
        Priority::from_wire(&(id % 3).to_string())
    };
    let real = real_status(id);
    let meta = (id % 7 == 0).then_some("-1");
    Task::from_status_fields(
        TaskId(id),
        title(id),
        priority,
        meta.or(Some(&real)),
        Some(&real),
    )
    .with_responsible(Some(responsible(id)))
}

/// The responsible user of task `id`.
fn responsible(id: u64) -> u64 {
    1 + id % 47
}

fn title(id: u64) -> String {
    if id % 13 == 0 {
        format!("Задача «{id}» & <b>co</b>")
    } else {
        format!("Task {id}")
    }
}

fn real_status(id: u64) -> String {
    if id % 97 == 0 {
        "9".into()
    } else {
        (2 + id % 5).to_string()
    }
}

impl FakePortal {
    /// A portal with the given task IDs.
    pub fn new(
        clock: &VirtualClock,
        ids: impl IntoIterator<Item = u64>,
        faults: Faults,
        seed: u64,
    ) -> Self {
        let ids: BTreeSet<u64> = ids.into_iter().collect();
        Self {
            clock: clock.clone(),
            initial: ids.clone(),
            st: RefCell::new(PortalState {
                ids: ids.iter().copied().collect(),
                corrupt: HashSet::new(),
                faults,
                rng: Jitter::new(seed),
                requests: 0,
                log: Vec::new(),
                token_uses: 0,
                refreshes: 0,
                op_blocked_until_s: 0.0,
                bucket_level: 0.0,
                bucket_last_ms: 0.0,
                inserted: BTreeSet::new(),
                deleted: BTreeSet::new(),
            }),
        }
    }

    /// `n` tasks with sparse IDs (gaps like deleted or invisible tasks).
    pub fn sparse_ids(n: usize) -> Vec<u64> {
        (0..n as u64).map(|i| 1 + i * 3 + (i % 5)).collect()
    }

    /// Serves `id` with an empty ID (a malformed row).
    pub fn corrupt(&self, id: u64) {
        self.st.borrow_mut().corrupt.insert(id);
    }

    /// Replaces the faults.
    pub fn set_faults(&self, faults: Faults) {
        self.st.borrow_mut().faults = faults;
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
        &self.initial
    }

    /// IDs present now.
    pub fn current(&self) -> BTreeSet<u64> {
        self.st.borrow().ids.iter().copied().collect()
    }

    /// Tasks inserted during the load.
    pub fn inserted(&self) -> BTreeSet<u64> {
        self.st.borrow().inserted.clone()
    }

    /// Tasks deleted during the load.
    pub fn deleted(&self) -> BTreeSet<u64> {
        self.st.borrow().deleted.clone()
    }

    fn error(status: u16, code: &str, description: &str) -> HttpReply {
        HttpReply {
            status,
            body: json!({"error": code, "error_description": description}).to_string(),
        }
    }

    fn answer(&self) -> Result<HttpReply, TransportError> {
        let mut st = self.st.borrow_mut();
        let st = &mut *st;
        let n = st.requests;
        let now_ms = self.clock.now_ms();
        let now_s = self.clock.unix_now_s();
        if let Some((status, code)) = st.faults.hard {
            return Ok(Self::error(status, code, "injected hard error"));
        }
        if st.rng.unit() < st.faults.p_drop {
            return Err(TransportError::Network("connection reset".into()));
        }
        if st.faults.enforce_bucket {
            let drained =
                (st.bucket_level - (now_ms - st.bucket_last_ms).max(0.0) / 1000.0 * 2.0).max(0.0);
            st.bucket_last_ms = now_ms;
            st.bucket_level = drained;
            if drained + 1.0 > 50.0 {
                return Ok(Self::error(
                    503,
                    "QUERY_LIMIT_EXCEEDED",
                    "Too many requests",
                ));
            }
            st.bucket_level += 1.0;
        }
        if st.rng.unit() < st.faults.p_503 {
            return Ok(Self::error(
                503,
                "QUERY_LIMIT_EXCEEDED",
                "Too many requests",
            ));
        }
        if let Some(ttl) = st.faults.token_ttl {
            if st.token_uses >= ttl {
                return Ok(Self::error(
                    401,
                    "expired_token",
                    "The access token provided has expired.",
                ));
            }
            st.token_uses += 1;
        }
        if st.faults.malformed_at.contains(&n) {
            return Ok(HttpReply {
                status: 200,
                body: r#"{"result":[{"ID":"1","TITLE":"#.into(),
            });
        }
        if st.rng.unit() < st.faults.p_5xx {
            return Ok(Self::error(
                500,
                "INTERNAL_SERVER_ERROR",
                "Internal server error",
            ));
        }
        if st.faults.op_429_at == Some(n) {
            st.op_blocked_until_s = now_s + st.faults.op_block_s;
        }
        if now_s < st.op_blocked_until_s {
            let mut body = json!({"error": "OPERATION_TIME_LIMIT", "error_description": "Method is blocked due to operation time limit."});
            if !st.faults.op_no_reset {
                body["time"] =
                    json!({"operating_reset_at": st.op_blocked_until_s, "operating": 480.5});
            }
            return Ok(HttpReply {
                status: 429,
                body: body.to_string(),
            });
        }
        if let Some(m) = st.faults.mutate.clone() {
            if m.every > 0 && n % m.every == 0 {
                let mut next = st
                    .ids
                    .last()
                    .copied()
                    .unwrap_or(0)
                    .max(st.inserted.iter().next_back().copied().unwrap_or(0))
                    + 1;
                for _ in 0..m.insert {
                    st.ids.push(next);
                    st.inserted.insert(next);
                    next += 1 + st.rng.below_or_eq(3) as u64;
                }
                for _ in 0..m.delete {
                    if st.ids.is_empty() {
                        break;
                    }
                    let k = st.rng.below_or_eq((st.ids.len() - 1) as u32) as usize;
                    let id = st.ids.remove(k);
                    st.deleted.insert(id);
                }
            }
        }
        Ok(HttpReply {
            status: 0,
            body: String::new(),
        }) // placeholder: execute next
    }

    fn execute(&self, method: &str, body: &str) -> HttpReply {
        let params = parse_str(body);
        if method == "batch" {
            return self.batch(&params);
        }
        match self.call(method, &params) {
            Ok(served) => {
                let next = served
                    .next
                    .map_or(String::new(), |n| format!(r#""next":{n},"#));
                HttpReply {
                    status: 200,
                    body: format!(
                        r#"{{"result":{},{next}"total":{},"time":{TIME}}}"#,
                        served.json, served.total
                    ),
                }
            }
            Err((status, code, desc)) => Self::error(status, code, desc),
        }
    }

    fn call(&self, method: &str, params: &Pv) -> Result<Served, (u16, &'static str, &'static str)> {
        let st = self.st.borrow();
        let api_item = match method.to_ascii_lowercase().as_str() {
            "task.item.list" | "task.item.getlist" if !st.faults.item_list_missing => true,
            "tasks.task.list" => false,
            _ => return Err((404, "ERROR_METHOD_NOT_FOUND", "Method not found!")),
        };
        let num = |v: Option<&Pv>, default: u64| match v {
            Some(Pv::S(s)) => intval(s),
            _ => default,
        };
        let (filter, page, size) = if api_item {
            let values = params.values();
            let filter = values.get(1).copied();
            let nav = values.get(2).and_then(|p| p.get("NAV_PARAMS"));
            let size = num(nav.and_then(|n| n.get("nPageSize")), 50).min(50);
            let page = num(nav.and_then(|n| n.get("iNumPage")), 1).max(1);
            if let Some(Pv::S(_)) = filter {
                return Err((400, "ERROR_CORE", "TASKS_ERROR_EXCEPTION_#256; Param #2 (arFilter) for method ctaskitem::list() expected to be of type \"array\"; 256/TE/WRONG_ARGUMENTS<br>"));
            }
            (filter, page, size)
        } else {
            let start = num(params.get("start"), 0);
            (params.get("filter"), start / 50 + 1, 50)
        };
        // Filter: `<ID`, `<=ID`, `>ID`; an empty array value drops the condition, a
        // non-empty one behaves like 1.
        let mut lo = 0u64; // exclusive
        let mut hi = u64::MAX; // inclusive
        if let Some(Pv::A(conds)) = filter {
            for (key, value) in conds {
                let v = match value {
                    Pv::S(s) => intval(s),
                    Pv::A(items) if items.is_empty() => continue,
                    Pv::A(_) => 1,
                };
                match key.as_str() {
                    "<ID" => hi = hi.min(v.saturating_sub(1)),
                    "<=ID" => hi = hi.min(v),
                    ">ID" => lo = lo.max(v),
                    _ => {}
                }
            }
        }
        let start = st.ids.partition_point(|&x| x <= lo);
        let end = st.ids.partition_point(|&x| x <= hi).max(start);
        let matching = &st.ids[start..end];
        let total = matching.len() as u64;
        let offset = usize::try_from((page - 1) * size).unwrap_or(usize::MAX);
        let messy = size >= 6 && st.faults.messy_pages_at.contains(&st.requests);
        let take = if messy { size - 1 } else { size };
        let mut ids: Vec<u64> = matching
            .iter()
            .rev()
            .skip(offset)
            .take(take as usize)
            .copied()
            .collect();
        if messy && ids.len() >= 5 {
            // The second row again, right after it, and the next two rows swapped.
            ids.insert(2, ids[1]);
            ids.swap(3, 4);
        }
        let total = st.faults.total_as.map_or(total, |f| f(total));
        let mut json = String::with_capacity(ids.len() * 160 + 16);
        json.push_str(if api_item { "[" } else { r#"{"tasks":["# });
        let mut served_ids = Vec::with_capacity(ids.len());
        for (i, &id) in ids.iter().enumerate() {
            if i > 0 {
                json.push(',');
            }
            let corrupt = st.corrupt.contains(&id);
            served_ids.push(if corrupt {
                String::new()
            } else {
                id.to_string()
            });
            if api_item {
                Self::item_row(&mut json, id, corrupt);
            } else {
                Self::task_row(&mut json, id, corrupt);
            }
        }
        json.push_str(if api_item { "]" } else { "]}" });
        let next = (page * size < total).then_some(page * size);
        Ok(Served {
            api_item,
            ids: served_ids,
            json,
            total,
            next,
        })
    }

    fn item_row(out: &mut String, id: u64, corrupt: bool) {
        let real = real_status(id);
        let status = if id % 7 == 0 {
            "-1".to_string()
        } else {
            real.clone()
        };
        let priority = if id % 11 == 0 {
            r#""""#.to_string()
        } else if id % 5 == 0 {
            (id % 3).to_string()
        } else {
            format!(r#""{}""#, id % 3)
        };
        let id_json = if corrupt {
            r#""""#.to_string()
        } else if id % 4 == 0 {
            id.to_string()
        } else {
            format!(r#""{id}""#)
        };
        let title = Value::String(title(id)).to_string();
        let responsible = responsible(id);
        out.push_str(&format!(
            r#"{{"TITLE":{title},"PRIORITY":{priority},"GROUP_ID":"0","RESPONSIBLE_ID":"{responsible}","ID":{id_json},"CREATED_BY":"1","REAL_STATUS":"{real}","STATUS":"{status}","ALLOWED_ACTIONS":{{"ACTION_EDIT":true}}}}"#
        ));
    }

    fn task_row(out: &mut String, id: u64, corrupt: bool) {
        let real = real_status(id);
        let sub = if id % 7 == 0 {
            "-1".to_string()
        } else {
            real.clone()
        };
        let priority = if id % 11 == 0 {
            String::new()
        } else {
            (id % 3).to_string()
        };
        let id_text = if corrupt {
            String::new()
        } else {
            id.to_string()
        };
        let title = Value::String(title(id)).to_string();
        let responsible = responsible(id);
        out.push_str(&format!(
            r#"{{"id":"{id_text}","title":{title},"priority":"{priority}","status":"{real}","subStatus":"{sub}","groupId":"0","responsibleId":"{responsible}"}}"#
        ));
    }

    /// Resolves `$result[key][…]` the way the server does: walk while the key exists, stop at
    /// the first missing one and keep that level (a whole rows array, `[]`, or the whole
    /// result map when the command has no result).
    fn resolve(reference: &str, results: &[(String, Served)]) -> Option<Pv> {
        let rest = reference.strip_prefix("$result")?;
        let mut segments = Vec::new();
        let mut rest = rest;
        while let Some(s) = rest.strip_prefix('[') {
            let end = s.find(']')?;
            segments.push(&s[..end]);
            rest = &s[end + 1..];
        }
        if !rest.is_empty() || segments.is_empty() {
            return None;
        }
        let non_empty =
            |n: usize| Pv::A((0..n).map(|i| (i.to_string(), Pv::A(Vec::new()))).collect());
        let Some((_, served)) = results.iter().find(|(k, _)| k == segments[0]) else {
            return Some(non_empty(results.len()));
        };
        let mut segs = segments[1..].iter();
        if !served.api_item && segs.next() != Some(&"tasks") {
            return Some(non_empty(1));
        }
        let rows = non_empty(served.ids.len());
        let Some(index) = segs.next() else {
            return Some(rows);
        };
        let Some(id) = index.parse::<usize>().ok().and_then(|i| served.ids.get(i)) else {
            return Some(rows);
        };
        let id_key = if served.api_item { "ID" } else { "id" };
        match segs.next() {
            Some(&k) if k == id_key => Some(Pv::S(id.clone())),
            _ => Some(non_empty(1)),
        }
    }

    fn substitute(p: &Pv, results: &[(String, Served)]) -> Pv {
        match p {
            Pv::S(s) if s.starts_with("$result[") => {
                Self::resolve(s, results).unwrap_or_else(|| p.clone())
            }
            Pv::S(_) => p.clone(),
            Pv::A(items) => Pv::A(
                items
                    .iter()
                    .map(|(k, v)| (k.clone(), Self::substitute(v, results)))
                    .collect(),
            ),
        }
    }

    fn batch(&self, params: &Pv) -> HttpReply {
        let halt = matches!(params.get("halt"), Some(Pv::S(s)) if !s.is_empty() && s != "0");
        let empty = Vec::new();
        let cmds = match params.get("cmd") {
            Some(Pv::A(cmds)) => cmds,
            _ => &empty,
        };
        let n = self.st.borrow().requests;
        let sub_errors = self.st.borrow().faults.sub_error.clone();
        let sub_error_always = self.st.borrow().faults.sub_error_always;
        let mut results: Vec<(String, Served)> = Vec::new();
        let mut errors: Vec<(String, String)> = Vec::new();
        let mut times: Vec<(String, String)> = Vec::new();
        for (index, (key, command)) in cmds.iter().enumerate().take(50) {
            let Pv::S(command) = command else { continue };
            let (method, query) = command.split_once('?').unwrap_or((command.as_str(), ""));
            let injected = sub_errors
                .iter()
                .find(|(r, i, _)| *r == n && *i == index)
                .map(|&(_, _, code)| code)
                .or(sub_error_always
                    .filter(|&(i, _)| i == index)
                    .map(|(_, code)| code));
            if let Some(code) = injected {
                errors.push((
                    key.clone(),
                    json!({"error": code, "error_description": "injected"}).to_string(),
                ));
                if code == "OPERATION_TIME_LIMIT" {
                    times.push((
                        key.clone(),
                        json!({"operating_reset_at": self.clock.unix_now_s() + 3.0}).to_string(),
                    ));
                }
                if halt {
                    break;
                }
                continue;
            }
            let sub = Self::substitute(&parse_str(query), &results);
            match self.call(method, &sub) {
                Ok(served) => {
                    times.push((key.clone(), r#"{"duration":0.01}"#.into()));
                    results.push((key.clone(), served));
                }
                Err((_, code, desc)) => {
                    errors.push((
                        key.clone(),
                        json!({"error": code, "error_description": desc}).to_string(),
                    ));
                    if halt {
                        break;
                    }
                }
            }
        }
        let member = |items: Vec<(String, String)>| {
            if items.is_empty() {
                "[]".to_string()
            } else {
                let parts: Vec<String> = items
                    .into_iter()
                    .map(|(k, v)| format!("{}:{v}", Value::String(k)))
                    .collect();
                format!("{{{}}}", parts.join(","))
            }
        };
        let totals = results
            .iter()
            .map(|(k, s)| (k.clone(), s.total.to_string()))
            .collect();
        let nexts = results
            .iter()
            .filter_map(|(k, s)| s.next.map(|n| (k.clone(), n.to_string())))
            .collect();
        let result = results.into_iter().map(|(k, s)| (k, s.json)).collect();
        HttpReply {
            status: 200,
            body: format!(
                r#"{{"result":{{"result":{},"result_error":{},"result_total":{},"result_next":{},"result_time":{}}},"time":{TIME}}}"#,
                member(result),
                member(errors),
                member(totals),
                member(nexts),
                member(times)
            ),
        }
    }
}

/// The `time` block of every answer.
const TIME: &str = r#"{"start":0,"finish":0,"duration":0.01,"processing":0.01}"#;

/// One list call as served.
struct Served {
    api_item: bool,
    /// The `ID`s of the rows as served (empty for a corrupt row), in order.
    ids: Vec<String>,
    /// The `result` as JSON text.
    json: String,
    total: u64,
    next: Option<u64>,
}

impl Transport for FakePortal {
    fn post<'a>(
        &'a self,
        method: &'a str,
        body: &'a str,
        _timeout_ms: u32,
    ) -> LocalBoxFuture<'a, Result<HttpReply, TransportError>> {
        let n = {
            let mut st = self.st.borrow_mut();
            st.requests += 1;
            st.log.push(Logged {
                method: method.into(),
                body: body.into(),
                status: 0,
            });
            st.requests
        };
        let (hang, heavy) = {
            let st = self.st.borrow();
            let heavy = method == "batch"
                && st
                    .faults
                    .heavy_above
                    .is_some_and(|max| parse_str(body).get("cmd").map_or(0, Pv::entries) > max);
            (
                st.faults.hang_always || st.faults.hang_at.contains(&n),
                heavy,
            )
        };
        if heavy && self.st.borrow().faults.heavy_504 {
            let reply = HttpReply {
                status: 504,
                body: "<html><body>504 Gateway Time-out</body></html>".into(),
            };
            return Box::pin(async move { Ok(reply) });
        }
        if hang || heavy {
            return Box::pin(std::future::pending());
        }
        let result = match self.answer() {
            Ok(reply) if reply.status == 0 => Ok(self.execute(method, body)),
            other => other,
        };
        if let Ok(reply) = &result {
            if let Some(last) = self.st.borrow_mut().log.last_mut() {
                last.status = reply.status;
            }
        }
        Box::pin(async move { result })
    }

    fn refresh_auth(&self) -> LocalBoxFuture<'_, Result<(), TransportError>> {
        let mut st = self.st.borrow_mut();
        let result = if st.faults.refresh_fails {
            Err(TransportError::Network("refreshAuth failed".into()))
        } else {
            st.refreshes += 1;
            st.token_uses = 0;
            Ok(())
        };
        Box::pin(async move { result })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_str_builds_ordered_tree() {
        let p = parse_str("0[ID]=desc&1[%3CID]=5&&2[NAV_PARAMS][nPageSize]=50&3[0]=ID&x=a%20b+c");
        let v = p.values();
        assert_eq!(v[0].get("ID"), Some(&Pv::S("desc".into())));
        assert_eq!(v[1].get("<ID"), Some(&Pv::S("5".into())));
        assert_eq!(p.get("x"), Some(&Pv::S("a b c".into())));
    }

    #[test]
    fn reference_walk_stops_at_missing_key() {
        let served = |ids: &[&str]| Served {
            api_item: true,
            ids: ids.iter().map(|s| s.to_string()).collect(),
            json: String::new(),
            total: 0,
            next: None,
        };
        let results = vec![
            ("p0".to_string(), served(&["9", "8"])),
            ("p1".to_string(), served(&[])),
        ];
        assert_eq!(
            FakePortal::resolve("$result[p0][1][ID]", &results),
            Some(Pv::S("8".into()))
        );
        assert!(
            matches!(FakePortal::resolve("$result[p0][49][ID]", &results), Some(Pv::A(v)) if v.len() == 2)
        );
        assert_eq!(
            FakePortal::resolve("$result[p1][49][ID]", &results),
            Some(Pv::A(vec![]))
        );
        assert!(
            matches!(FakePortal::resolve("$result[p7][49][ID]", &results), Some(Pv::A(v)) if !v.is_empty())
        );
    }

    #[test]
    fn virtual_sleep_costs_no_real_time() {
        let clock = VirtualClock::default();
        let c = clock.clone();
        block_on(&clock, async move {
            c.sleep(600_000).await;
            c.sleep(5).await;
        });
        assert_eq!(clock.now(), 600_005);
    }

    #[test]
    #[should_panic(expected = "hang")]
    fn a_hang_is_detected() {
        let clock = VirtualClock::default();
        block_on(&clock, std::future::pending::<()>());
    }
}
