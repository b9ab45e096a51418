//! Decoding the portal's JSON answers: the single-call envelope (`result`, `total`, `next`,
//! `time`), the error envelope (`error`, `error_description`, `time.operating_reset_at`),
//! the `batch` answer (`result`, `result_error`, `result_total`, `result_next`,
//! `result_time`) and task rows of `task.item.list` / `tasks.task.list`.
//!
//! Everything is lenient the way the portal needs (`docs/platform/rest-answers.md`,
//! `docs/platform/task-list.md` "Value types", `docs/platform/errors.md`,
//! `docs/platform/batch.md`): numbers may come as strings or JSON numbers, values may be empty or
//! missing, batch members are JSON `[]` when empty and arrays when their keys are `0..n-1`.
//! A row without a usable ID is returned as [`MalformedRow`], never dropped silently.
//!
//! JSON is read with [`crate::report::json`]: list answers (up to 2 500 rows a batch) with
//! its pull [`Reader`], keeping only the row fields the report needs; everything else as
//! [`Json`] values. Differences from the serde_json decoding used before, all on input the
//! portal does not send: object rows of a PHP array with gaps come in document order (not
//! sorted by key), fractional numbers shown as text keep their JSON spelling (`1.50`), and
//! a number beyond the `f64` range (`1e400`) reads as no value instead of failing the answer.

use std::fmt;

use crate::report::json::{self, Json, JsonError, Number, Reader};
use crate::report::task::{Priority, RawDetails, Task, TaskId};
use crate::report::transport::HttpReply;

/// The subset of the `time` block the loader uses.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TimeInfo {
    /// `operating_reset_at`: Unix time (s) when the oldest operating-limit bucket drops out.
    pub operating_reset_at: Option<f64>,
    /// `operating`: seconds of execution time accumulated for the method.
    pub operating: Option<f64>,
}

impl TimeInfo {
    fn from_value(time: Option<&Json>) -> Self {
        Self {
            operating_reset_at: time
                .and_then(|t| t.get("operating_reset_at"))
                .and_then(lenient_f64),
            operating: time.and_then(|t| t.get("operating")).and_then(lenient_f64),
        }
    }
}

/// An error answered by the portal (`{"error": …, "error_description": …}`), either for the
/// whole HTTP call or for one command of a batch.
#[derive(Clone, Debug, PartialEq)]
pub struct RestError {
    /// The HTTP status (0 for an error inside a batch answer, which itself is 200).
    pub status: u16,
    /// The portal's code, e.g. `QUERY_LIMIT_EXCEEDED`, `expired_token`.
    pub code: String,
    /// The portal's text (may be empty).
    pub description: String,
    /// When the blocked method frees up again (Unix seconds), if known. The documented error
    /// answer has no `time` (`docs/platform/errors.md`), so the wire never fills this: the
    /// loader sets it from the last successful answer's `time.operating_reset_at`, as the
    /// documents say to do.
    pub operating_reset_at: Option<f64>,
}

impl RestError {
    /// Reads an error object (`{"error": …, "error_description": …}`). `error`
    /// may be a string, a number or an object with `code`/`message`. `None` if there is no
    /// `error` key or it is empty/null/false.
    pub fn from_value(status: u16, body: &Json) -> Option<Self> {
        let err = body.get("error")?;
        let (code, nested_description) = match err {
            Json::Object(_) => (
                err.get("code")
                    .or_else(|| err.get("error"))
                    .and_then(lenient_text),
                err.get("message")
                    .or_else(|| err.get("error_description"))
                    .and_then(lenient_text),
            ),
            Json::Bool(false) | Json::Null => return None,
            other => (lenient_text(other), None),
        };
        let code = code.filter(|c| !c.is_empty())?;
        let description = body
            .get("error_description")
            .and_then(lenient_text)
            .or(nested_description)
            .unwrap_or_default();
        Some(Self {
            status,
            code,
            description,
            operating_reset_at: None,
        })
    }
}

impl fmt::Display for RestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code)?;
        if !self.description.is_empty() {
            write!(f, ": {}", self.description)?;
        }
        if self.status != 0 {
            write!(f, " ({})", self.status)?;
        }
        Ok(())
    }
}

/// A successful single-call answer.
#[derive(Clone, Debug, PartialEq)]
pub struct CallAnswer {
    /// HTTP status (2xx normally).
    pub status: u16,
    /// `result` as sent.
    pub result: Json,
    /// `total`, if present.
    pub total: Option<u64>,
    /// `next`, if present.
    pub next: Option<u64>,
    /// `time`.
    pub time: TimeInfo,
}

/// Why an HTTP answer is not a usable [`CallAnswer`].
#[derive(Clone, Debug, PartialEq)]
pub enum ReplyError {
    /// The portal answered with an error envelope.
    Rest(RestError),
    /// The body is not the expected JSON (truncated, HTML error page, no `result`, …).
    Malformed {
        /// HTTP status of the answer.
        status: u16,
        /// What was wrong, for the details line.
        detail: String,
    },
}

impl fmt::Display for ReplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Rest(e) => write!(f, "{e}"),
            Self::Malformed { status, detail } => {
                write!(f, "unexpected answer ({status}): {detail}")
            }
        }
    }
}

/// Decodes one HTTP answer of the REST endpoint.
///
/// # Errors
/// [`ReplyError::Rest`] when the body carries `error` (whatever the HTTP status);
/// [`ReplyError::Malformed`] when the body is not JSON, not an object, or has no `result`.
pub fn decode_reply(reply: &HttpReply) -> Result<CallAnswer, ReplyError> {
    let malformed = |detail: String| ReplyError::Malformed {
        status: reply.status,
        detail,
    };
    let body = json::parse(&reply.body).map_err(|e| {
        let head: String = reply.body.chars().take(80).collect();
        malformed(format!("not JSON ({e}): {head}"))
    })?;
    if !matches!(body, Json::Object(_)) {
        return Err(malformed("the answer is not a JSON object".into()));
    }
    if let Some(err) = RestError::from_value(reply.status, &body) {
        return Err(ReplyError::Rest(err));
    }
    let total = body.get("total").and_then(lenient_u64);
    let next = body.get("next").and_then(lenient_u64);
    let time = TimeInfo::from_value(body.get("time"));
    let Json::Object(mut members) = body else {
        return Err(malformed("the answer is not a JSON object".into()));
    };
    // The last `result`, as `Json::get` would find it, taken without a copy.
    let result = members
        .iter_mut()
        .rev()
        .find(|(k, _)| k == "result")
        .map(|(_, v)| std::mem::take(v))
        .ok_or_else(|| malformed("no `result` in the answer".into()))?;
    Ok(CallAnswer {
        status: reply.status,
        result,
        total,
        next,
        time,
    })
}

/// The decoded `result` of a `batch` call.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BatchAnswer {
    results: Members,
    errors: Members,
    totals: Members,
    nexts: Members,
    times: Members,
}

/// A batch member map as `(key, value)` pairs in document order.
type Members = Vec<(String, Json)>;

/// The value of `key` (the last one if repeated).
fn member<'a>(members: &'a Members, key: &str) -> Option<&'a Json> {
    members.iter().rev().find(|(k, _)| k == key).map(|m| &m.1)
}

/// What a batch answer says about one command.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchMember<'a> {
    /// `result[key]`, if present.
    pub result: Option<&'a Json>,
    /// `result_error[key]`, if present (status 0).
    pub error: Option<RestError>,
    /// `result_total[key]`.
    pub total: Option<u64>,
    /// `result_next[key]`.
    pub next: Option<u64>,
}

/// Turns a batch member map into `key → value`: `[]`/`{}`/`null` are empty, arrays are keyed
/// `"0"`, `"1"`, ….
fn member_map(value: Option<&Json>) -> Result<Members, String> {
    match value {
        None | Some(Json::Null) => Ok(Vec::new()),
        Some(Json::Object(obj)) => Ok(obj.clone()),
        Some(Json::Array(items)) => Ok(items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v.clone()))
            .collect()),
        Some(other) => Err(format!("batch member is neither a map nor a list: {other}")),
    }
}

/// Decodes the answer of a `batch` call into its member maps.
///
/// # Errors
/// As [`decode_reply`]; [`ReplyError::Malformed`] when `result` is not a batch result.
pub fn decode_batch_reply(reply: &HttpReply) -> Result<BatchAnswer, ReplyError> {
    let answer = decode_reply(reply)?;
    BatchAnswer::from_answer(&answer).map_err(|detail| ReplyError::Malformed {
        status: answer.status,
        detail,
    })
}

impl BatchAnswer {
    /// The error of the first command that failed, if any.
    pub fn first_error(&self) -> Option<RestError> {
        self.errors.first().map(|(_, error)| command_error(error))
    }

    /// The answer as the body of a `batch` reply again: `result`, `result_error`,
    /// `result_total` and `result_next` as member maps (`result_time` is left out). The
    /// incremental refresh's rows go to the snapshot worker this way, which reads them with
    /// [`decode_list_batch_reply`] (`crate::report::refresh_run`).
    pub fn reply_body(&self) -> String {
        let mut out = String::from("{\"result\":{");
        let maps = [
            ("result", &self.results),
            ("result_error", &self.errors),
            ("result_total", &self.totals),
            ("result_next", &self.nexts),
        ];
        for (i, (name, members)) in maps.into_iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            json::write_string(&mut out, name);
            out.push_str(":{");
            for (j, (key, value)) in members.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                json::write_string(&mut out, key);
                out.push(':');
                value.write(&mut out);
            }
            out.push('}');
        }
        out.push_str("}}");
        out
    }

    /// Reads the `result` of a successful `batch` call.
    ///
    /// # Errors
    /// A description when `result` is not an object or a member map has a wrong type.
    pub fn from_answer(answer: &CallAnswer) -> Result<Self, String> {
        let root = &answer.result;
        if !matches!(root, Json::Object(_)) {
            return Err("batch `result` is not an object".to_string());
        }
        Ok(Self {
            results: member_map(root.get("result"))?,
            errors: member_map(root.get("result_error"))?,
            totals: member_map(root.get("result_total"))?,
            nexts: member_map(root.get("result_next"))?,
            times: member_map(root.get("result_time"))?,
        })
    }

    /// Everything the answer says about the command `key`.
    pub fn member(&self, key: &str) -> BatchMember<'_> {
        let error = member(&self.errors, key).map(command_error);
        BatchMember {
            result: member(&self.results, key),
            error,
            total: member(&self.totals, key).and_then(lenient_u64),
            next: member(&self.nexts, key).and_then(lenient_u64),
        }
    }
}

/// Which list method produced the rows (they differ in shape and key case).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TaskApi {
    /// `task.item.list`: positional params, rows in `result`, upper-case keys, real status
    /// in `REAL_STATUS`, meta status in `STATUS`.
    ItemList,
    /// `tasks.task.list`: named params, rows in `result.tasks`, camelCase keys, real status
    /// in `status`, meta status in `subStatus`.
    TaskList,
}

impl TaskApi {
    /// The REST method name.
    pub fn method(self) -> &'static str {
        match self {
            Self::ItemList => "task.item.list",
            Self::TaskList => "tasks.task.list",
        }
    }
}

/// A row the report cannot use (no usable ID), kept for reporting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MalformedRow {
    /// Why it was rejected.
    pub reason: String,
}

impl fmt::Display for MalformedRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

/// The rows of one list page, in the order sent.
///
/// # Errors
/// A description when `result` has no list of rows (for `tasks.task.list`, no `tasks`).
pub fn page_rows(result: &Json, api: TaskApi) -> Result<Vec<&Json>, String> {
    let list = match (api, result.get("tasks")) {
        (TaskApi::TaskList, Some(tasks)) => tasks,
        (TaskApi::TaskList, None) if result.as_array().is_some_and(<[Json]>::is_empty) => result,
        (TaskApi::TaskList, None) => return Err("no `tasks` in the result".into()),
        (TaskApi::ItemList, _) => result,
    };
    match list {
        Json::Array(rows) => Ok(rows.iter().collect()),
        // A PHP array with non-sequential keys arrives as an object (rows in document order).
        Json::Object(rows) => Ok(rows.iter().map(|(_, row)| row).collect()),
        Json::Null => Ok(Vec::new()),
        other => Err(format!("the rows are not a list: {}", short(other))),
    }
}

/// Parses one row of `api` into a [`Task`].
///
/// # Errors
/// [`MalformedRow`] when the row is not an object or has no positive integer ID.
pub fn parse_task(row: &Json, api: TaskApi) -> Result<Task, MalformedRow> {
    let Json::Object(_) = row else {
        return Err(MalformedRow {
            reason: format!("row is not an object: {}", short(row)),
        });
    };
    let (id_key, title_key, prio_key, meta_key, real_key, responsible_key) = match api {
        TaskApi::ItemList => {
            let [id, title, priority, meta, real, responsible, ..] = ITEM_FIELDS;
            (id, title, priority, meta, real, responsible)
        }
        TaskApi::TaskList => (
            "id",
            "title",
            "priority",
            "subStatus",
            "status",
            "responsibleId",
        ),
    };
    let mut details: [Option<String>; 8] = Default::default();
    if let Some(obj) = row.as_object() {
        for (key, value) in obj.iter() {
            if let Some(slot) = detail_index(key).and_then(|i| details.get_mut(i)) {
                *slot = lenient_text(value);
            }
        }
    }
    let raw_id = field(row, id_key);
    let id = raw_id
        .and_then(lenient_u64)
        .filter(|&id| id > 0)
        .ok_or_else(|| MalformedRow {
            reason: format!(
                "row without a usable ID ({}): {}",
                raw_id.map_or_else(|| "missing".to_string(), short),
                short(row)
            ),
        })?;
    let title = field(row, title_key)
        .and_then(lenient_text)
        .unwrap_or_default();
    let priority = Priority::from_wire(
        &field(row, prio_key)
            .and_then(lenient_text)
            .unwrap_or_default(),
    );
    let meta = field(row, meta_key).and_then(lenient_text);
    let real = field(row, real_key).and_then(lenient_text);
    let [created_by, group, deadline, created, changed, closed, time_estimate, time_spent] =
        &details;
    Ok(Task::from_status_fields(
        TaskId(id),
        title,
        priority,
        meta.as_deref(),
        real.as_deref(),
    )
    .with_responsible(field(row, responsible_key).and_then(lenient_u64))
    .with_details(RawDetails {
        created_by: created_by.as_deref(),
        group: group.as_deref(),
        deadline: deadline.as_deref(),
        created: created.as_deref(),
        changed: changed.as_deref(),
        closed: closed.as_deref(),
        time_estimate: time_estimate.as_deref(),
        time_spent: time_spent.as_deref(),
    }))
}

/// The `task.item.list` fields the report reads: the request asks for these
/// (`planner::SELECT`) and [`parse_task`] reads them, so the two cannot drift apart. First the
/// six read by name (ID, title, priority, meta status, real status, responsible; for
/// `tasks.task.list` their camelCase names are in [`parse_task`]), then the who-and-when
/// fields of issue 14 in [`RawDetails`] order, matched ignoring case and underscores, which
/// also reads `tasks.task.list`'s names (`createdBy`, …; `docs/platform/task-list.md`;
/// b24restdocs `api-reference/tasks/fields.md`). The union of every column's fields
/// (`report::columns`, a test there checks it), so hiding a column never changes the requests;
/// `RESPONSIBLE_ID` also makes the task's page path (`docs/platform/task-links.md`).
pub const ITEM_FIELDS: [&str; 14] = [
    "ID",
    "TITLE",
    "PRIORITY",
    "STATUS",
    "REAL_STATUS",
    "RESPONSIBLE_ID",
    "CREATED_BY",
    "GROUP_ID",
    "DEADLINE",
    "CREATED_DATE",
    "CHANGED_DATE",
    "CLOSED_DATE",
    "TIME_ESTIMATE",
    "TIME_SPENT_IN_LOGS",
];

/// Which who-and-when field of [`ITEM_FIELDS`] `key` is, in [`RawDetails`] order (case and
/// underscores ignored).
fn detail_index(key: &str) -> Option<usize> {
    let [_, _, _, _, _, _, details @ ..] = &ITEM_FIELDS;
    details.iter().position(|want| {
        let mut got = key.bytes().filter(|&b| b != b'_');
        want.bytes()
            .filter(|&b| b != b'_')
            .all(|w| got.next().is_some_and(|g| g.eq_ignore_ascii_case(&w)))
            && got.next().is_none()
    })
}

/// A field by exact key, else by case-insensitive key.
fn field<'a>(row: &'a Json, key: &str) -> Option<&'a Json> {
    let obj = row.as_object()?;
    row.get(key).or_else(|| {
        obj.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

fn short(v: &Json) -> String {
    let s = v.to_string();
    if s.chars().count() > 120 {
        let head: String = s.chars().take(120).collect();
        format!("{head}…")
    } else {
        s
    }
}

/// A non-negative integer from a JSON number or a decimal string (`"42"`, `" 42 "`,
/// `"42.0"`); `None` for anything else (empty, negative, fractional, non-numeric).
pub fn lenient_u64(v: &Json) -> Option<u64> {
    match v {
        Json::Number(n) => lenient_u64_text(n.as_str()),
        Json::String(s) => lenient_u64_text(s.trim()),
        _ => None,
    }
}

/// [`lenient_u64`] of a number's or a string's text: a plain integer (`42`, `+42`), else a
/// decimal whose value is integral (`42.0`, `4.2e1`).
fn lenient_u64_text(s: &str) -> Option<u64> {
    s.parse::<u64>()
        .ok()
        .or_else(|| json::decimal_to_f64(s).and_then(integral_f64))
}

fn integral_f64(f: f64) -> Option<u64> {
    // Every integral f64 in 0..2^53 converts exactly.
    if f.is_finite() && f >= 0.0 && f.fract() == 0.0 && f < 9_007_199_254_740_992.0 {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Some(f as u64)
    } else {
        None
    }
}

/// A float from a JSON number or a numeric string (converted by
/// [`json::decimal_to_f64`]: exact for values like `1700000000.123` or `0.5`); `None` for
/// anything else or a value beyond the `f64` range.
pub fn lenient_f64(v: &Json) -> Option<f64> {
    match v {
        Json::Number(n) => n.to_f64(),
        Json::String(s) => json::decimal_to_f64(s.trim()).filter(|f| f.is_finite()),
        _ => None,
    }
}

/// Text from a string, a number (integers without `.0`) or a boolean; `None` for null,
/// arrays and objects.
pub fn lenient_text(v: &Json) -> Option<String> {
    match v {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(number_text(n)),
        Json::Bool(b) => Some(if *b { "true" } else { "false" }.to_string()),
        _ => None,
    }
}

/// A number's text for display: integers as sent (`-0` as `0`), integral decimals as
/// integers (`5.0` → `5`, `1e3` → `1000`), other numbers as sent (`1.50`).
fn number_text(n: &Number) -> String {
    let raw = n.as_str();
    if n.is_integer() && raw != "-0" {
        return raw.to_string();
    }
    match json::decimal_to_f64(raw).and_then(integral_f64) {
        Some(u) => u.to_string(),
        None => raw.to_string(),
    }
}

// ------------------------------------------------------------------ typed list decoding
//
// List answers are decoded straight into rows with the pull reader, without building a
// `Json` per row: only the fields the report needs are kept, everything else
// (ALLOWED_ACTIONS, …) is skipped (its syntax checked, nothing allocated).

/// A scalar JSON value as text (numbers without a trailing `.0`, booleans as
/// `true`/`false`); `None` for null, arrays and objects.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scalar(pub Option<String>);

impl Scalar {
    fn as_u64(&self) -> Option<u64> {
        self.0.as_deref().and_then(|s| lenient_u64_text(s.trim()))
    }

    /// Reads the next value as a scalar (arrays and objects are skipped).
    fn read(r: &mut Reader<'_>) -> Result<Self, JsonError> {
        if let b'[' | b'{' = r.peek()? {
            r.skip()?;
            return Ok(Self(None));
        }
        Ok(Self(match r.value()? {
            Json::String(s) => Some(s),
            other => lenient_text(&other),
        }))
    }
}

/// One row of a list answer, reduced to the fields the report reads. Keys are matched
/// case-insensitively (`ID`/`id`, `STATUS`/`status`, `REAL_STATUS`, `subStatus`); the
/// meaning of `status` depends on the [`TaskApi`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WireRow {
    /// `ID` / `id`.
    pub id: Scalar,
    /// `TITLE` / `title`.
    pub title: Scalar,
    /// `PRIORITY` / `priority`.
    pub priority: Scalar,
    /// `STATUS` / `status`.
    pub status: Scalar,
    /// `REAL_STATUS`.
    pub real_status: Scalar,
    /// `subStatus`.
    pub sub_status: Scalar,
    /// `RESPONSIBLE_ID` / `responsibleId`.
    pub responsible_id: Scalar,
    /// The who-and-when fields in [`RawDetails`] order (`CREATED_BY`/`createdBy`, `GROUP_ID`,
    /// `DEADLINE`, `CREATED_DATE`, `CHANGED_DATE`, `CLOSED_DATE`, `TIME_ESTIMATE`,
    /// `TIME_SPENT_IN_LOGS`).
    pub details: [Scalar; 8],
    /// False when the row was not a JSON object (a malformed row).
    pub is_object: bool,
    /// The row as text when it was not an object.
    pub raw: Option<String>,
}

impl WireRow {
    /// Reads the next value as a row; a value that is not an object gives a row with
    /// `is_object == false` (kept for reporting), not an error.
    fn read(r: &mut Reader<'_>) -> Result<Self, JsonError> {
        match r.peek()? {
            b'{' => {}
            b'[' => {
                r.skip()?;
                return Ok(not_object("[…]".into()));
            }
            _ => {
                let raw = match r.value()? {
                    Json::String(s) => quoted(&s),
                    other => lenient_text(&other).unwrap_or_else(|| "null".into()),
                };
                return Ok(not_object(raw));
            }
        }
        let mut row = WireRow {
            is_object: true,
            ..WireRow::default()
        };
        r.object_start()?;
        let mut first = true;
        while let Some(key) = r.object_key(&mut first)? {
            let slot = if key.eq_ignore_ascii_case("id") {
                &mut row.id
            } else if key.eq_ignore_ascii_case("title") {
                &mut row.title
            } else if key.eq_ignore_ascii_case("priority") {
                &mut row.priority
            } else if key.eq_ignore_ascii_case("status") {
                &mut row.status
            } else if key.eq_ignore_ascii_case("real_status") {
                &mut row.real_status
            } else if key.eq_ignore_ascii_case("substatus") {
                &mut row.sub_status
            } else if key.eq_ignore_ascii_case("responsible_id")
                || key.eq_ignore_ascii_case("responsibleid")
            {
                &mut row.responsible_id
            } else if let Some(slot) = detail_index(&key).and_then(|i| row.details.get_mut(i)) {
                slot
            } else {
                r.skip()?;
                continue;
            };
            *slot = Scalar::read(r)?;
        }
        Ok(row)
    }
}

/// `s` in double quotes with `"`, `\\` and control characters escaped, for error texts (the
/// JSON writer's escaping: `{:?}` would link core's Debug formatting into the wasm).
fn quoted(s: &str) -> String {
    let mut out = String::new();
    json::write_string(&mut out, s);
    out
}

fn not_object(raw: String) -> WireRow {
    WireRow {
        raw: Some(raw),
        ..WireRow::default()
    }
}

/// The rows of a list `result`: a JSON array of rows, `{"tasks": [...]}` (`tasks.task.list`),
/// an object of rows (a PHP array with gaps in its keys), or null.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rows(pub Vec<WireRow>);

impl Rows {
    /// Reads the next value as rows.
    fn read(r: &mut Reader<'_>) -> Result<Self, JsonError> {
        let mut rows = Vec::new();
        let mut first = true;
        match r.peek()? {
            b'[' => {
                rows.reserve(50);
                r.array_start()?;
                while r.array_next(&mut first)? {
                    rows.push(WireRow::read(r)?);
                }
            }
            b'{' => {
                r.object_start()?;
                while let Some(key) = r.object_key(&mut first)? {
                    if key == "tasks" {
                        rows = Self::read(r)?.0;
                    } else {
                        rows.push(WireRow::read(r)?);
                    }
                }
            }
            b'n' => r.skip()?,
            _ => return Err(r.error("expected a list of task rows")),
        }
        Ok(Self(rows))
    }
}

/// Parses a reduced row into a [`Task`].
///
/// # Errors
/// [`MalformedRow`] when the row is not an object or has no positive integer ID.
pub fn parse_wire_row(row: &WireRow, api: TaskApi) -> Result<Task, MalformedRow> {
    if !row.is_object {
        return Err(MalformedRow {
            reason: format!(
                "row is not an object: {}",
                row.raw.as_deref().unwrap_or("?")
            ),
        });
    }
    let id = row
        .id
        .as_u64()
        .filter(|&id| id > 0)
        .ok_or_else(|| MalformedRow {
            reason: format!(
                "row without a usable ID ({})",
                row.id
                    .0
                    .as_deref()
                    .map_or_else(|| "missing".to_string(), quoted)
            ),
        })?;
    let (meta, real) = match api {
        TaskApi::ItemList => (&row.status, &row.real_status),
        TaskApi::TaskList => (&row.sub_status, &row.status),
    };
    Ok(Task::from_status_fields(
        TaskId(id),
        row.title.0.clone().unwrap_or_default(),
        Priority::from_wire(row.priority.0.as_deref().unwrap_or_default()),
        meta.0.as_deref(),
        real.0.as_deref(),
    )
    .with_responsible(row.responsible_id.as_u64())
    .with_details(row.raw_details()))
}

impl WireRow {
    /// The who-and-when texts of this row.
    pub fn raw_details(&self) -> RawDetails<'_> {
        let [created_by, group, deadline, created, changed, closed, time_estimate, time_spent] =
            &self.details;
        RawDetails {
            created_by: created_by.0.as_deref(),
            group: group.0.as_deref(),
            deadline: deadline.0.as_deref(),
            created: created.0.as_deref(),
            changed: changed.0.as_deref(),
            closed: closed.0.as_deref(),
            time_estimate: time_estimate.0.as_deref(),
            time_spent: time_spent.0.as_deref(),
        }
    }
}

/// One list page as answered by a single call.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListPage {
    /// The rows, in order.
    pub rows: Vec<WireRow>,
    /// `total`.
    pub total: Option<u64>,
    /// `next`.
    pub next: Option<u64>,
    /// `time.operating_reset_at` of this successful answer: when the method's oldest
    /// operating-limit bucket drops out (`docs/platform/errors.md`).
    pub operating_reset_at: Option<f64>,
}

/// A batch member map: `[]`, a JSON array (keys `0..n-1`), an object, or null. Calls
/// `each` with every key, the reader positioned at its value (which `each` must read).
fn read_members(
    r: &mut Reader<'_>,
    each: &mut dyn FnMut(&mut Reader<'_>, String) -> Result<(), JsonError>,
) -> Result<(), JsonError> {
    let mut first = true;
    match r.peek()? {
        b'[' => {
            r.array_start()?;
            let mut index = 0usize;
            while r.array_next(&mut first)? {
                each(r, index.to_string())?;
                index += 1;
            }
        }
        b'{' => {
            r.object_start()?;
            while let Some(key) = r.object_key(&mut first)? {
                each(r, key.into_owned())?;
            }
        }
        b'n' => r.skip()?,
        _ => return Err(r.error("expected a batch member map")),
    }
    Ok(())
}

/// Reads `null` as `None`, anything else as a value.
fn read_optional(r: &mut Reader<'_>) -> Result<Option<Json>, JsonError> {
    Ok(match r.value()? {
        Json::Null => None,
        v => Some(v),
    })
}

/// Marks the envelope field `bit` as read; a repeated field is an error (as serde's
/// derived decoders had it).
fn first_time(r: &Reader<'_>, seen: &mut u8, bit: u8) -> Result<(), JsonError> {
    if *seen & bit != 0 {
        return Err(r.error("duplicate field"));
    }
    *seen |= bit;
    Ok(())
}

/// What a list answer's envelope holds; `result` is read by the caller's `read_result`.
#[derive(Default)]
struct Envelope {
    has_result: bool,
    total: Scalar,
    next: Scalar,
    time: Option<Json>,
    error: Option<Json>,
    error_description: Option<Json>,
}

/// Reads a whole answer `{"result": …, "total": …, "next": …, "time": …, "error": …,
/// "error_description": …}`, other keys skipped. `read_result` reads the `result` value
/// and says whether there was one (not null). `total`/`next` only when `with_paging`.
fn read_envelope(
    text: &str,
    with_paging: bool,
    read_result: &mut dyn FnMut(&mut Reader<'_>) -> Result<bool, JsonError>,
) -> Result<Envelope, JsonError> {
    let mut r = Reader::new(text);
    let mut env = Envelope::default();
    let mut seen = 0u8;
    r.object_start()?;
    let mut first = true;
    while let Some(key) = r.object_key(&mut first)? {
        let bit = match &*key {
            "result" => 1,
            "total" if with_paging => 2,
            "next" if with_paging => 4,
            "time" => 8,
            "error" => 16,
            "error_description" => 32,
            _ => {
                r.skip()?;
                continue;
            }
        };
        first_time(&r, &mut seen, bit)?;
        match bit {
            1 => env.has_result = read_result(&mut r)?,
            2 => env.total = Scalar::read(&mut r)?,
            4 => env.next = Scalar::read(&mut r)?,
            8 => env.time = read_optional(&mut r)?,
            16 => env.error = read_optional(&mut r)?,
            _ => env.error_description = read_optional(&mut r)?,
        }
    }
    r.end()?;
    Ok(env)
}

impl Envelope {
    /// The portal's error, if the envelope carries one.
    fn rest_error(&mut self, status: u16) -> Option<RestError> {
        let mut body = vec![("error".to_string(), self.error.take()?)];
        if let Some(d) = self.error_description.take() {
            body.push(("error_description".into(), d));
        }
        if let Some(t) = self.time.take() {
            body.push(("time".into(), t));
        }
        RestError::from_value(status, &Json::Object(body))
    }
}

fn malformed_body(reply: &HttpReply, e: &JsonError) -> ReplyError {
    let head: String = reply.body.chars().take(80).collect();
    ReplyError::Malformed {
        status: reply.status,
        detail: format!("unexpected answer ({e}): {head}"),
    }
}

/// Decodes the answer of a single list call (`task.item.list` or `tasks.task.list`).
///
/// # Errors
/// [`ReplyError::Rest`] for an error envelope; [`ReplyError::Malformed`] when the body is
/// not JSON of the expected shape or has no `result`.
pub fn decode_list_reply(reply: &HttpReply) -> Result<ListPage, ReplyError> {
    let mut rows = Vec::new();
    let mut env = read_envelope(&reply.body, true, &mut |r| {
        if r.peek()? == b'n' {
            r.skip()?;
            return Ok(false);
        }
        rows = Rows::read(r)?.0;
        Ok(true)
    })
    .map_err(|e| malformed_body(reply, &e))?;
    if let Some(err) = env.rest_error(reply.status) {
        return Err(ReplyError::Rest(err));
    }
    if !env.has_result {
        return Err(ReplyError::Malformed {
            status: reply.status,
            detail: "no `result` in the answer".into(),
        });
    }
    Ok(ListPage {
        rows,
        total: env.total.as_u64(),
        next: env.next.as_u64(),
        operating_reset_at: TimeInfo::from_value(env.time.as_ref()).operating_reset_at,
    })
}

/// A decoded `batch` answer whose commands are list calls.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListBatch {
    results: Vec<(String, Rows)>,
    errors: Vec<(String, Json)>,
    totals: Vec<(String, Scalar)>,
    nexts: Vec<(String, Scalar)>,
    times: Vec<(String, Json)>,
}

impl ListBatch {
    /// Reads the batch `result` object (`result`, `result_error`, `result_total`,
    /// `result_next`, `result_time`); `[]` (an empty PHP array) is a batch without members.
    fn read(r: &mut Reader<'_>) -> Result<Self, JsonError> {
        let mut batch = Self::default();
        let mut first = true;
        if r.peek()? == b'[' {
            r.array_start()?;
            if r.array_next(&mut first)? {
                return Err(r.error("expected the batch result object"));
            }
            return Ok(batch);
        }
        if r.peek()? != b'{' {
            return Err(r.error("expected the batch result object"));
        }
        r.object_start()?;
        let mut seen = 0u8;
        while let Some(key) = r.object_key(&mut first)? {
            let bit = match &*key {
                "result" => 1,
                "result_error" => 2,
                "result_total" => 4,
                "result_next" => 8,
                "result_time" => 16,
                _ => {
                    r.skip()?;
                    continue;
                }
            };
            first_time(r, &mut seen, bit)?;
            let b = &mut batch;
            read_members(r, &mut |r, key| {
                match bit {
                    1 => b.results.push((key, Rows::read(r)?)),
                    2 => b.errors.push((key, r.value()?)),
                    4 => b.totals.push((key, Scalar::read(r)?)),
                    8 => b.nexts.push((key, Scalar::read(r)?)),
                    _ => b.times.push((key, r.value()?)),
                }
                Ok(())
            })?;
        }
        Ok(batch)
    }
}

/// What a list batch answer says about one command.
#[derive(Clone, Debug, PartialEq)]
pub struct ListMember<'a> {
    /// The page's rows, if the command has a result.
    pub rows: Option<&'a [WireRow]>,
    /// `result_error[key]`, if present (status 0).
    pub error: Option<RestError>,
    /// `result_total[key]`.
    pub total: Option<u64>,
    /// `result_next[key]`.
    pub next: Option<u64>,
}

/// The error of one batch command (`result_error[key]`: an error object or a bare code).
/// A failed command's `result_time` is not read: the documents give `operating_reset_at` only
/// for answers that succeeded.
fn command_error(error: &Json) -> RestError {
    RestError::from_value(0, error).unwrap_or_else(|| RestError {
        status: 0,
        code: lenient_text(error).unwrap_or_else(|| error.to_string()),
        description: String::new(),
        operating_reset_at: None,
    })
}

fn find<'a, T>(items: &'a [(String, T)], key: &str) -> Option<&'a T> {
    items.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

impl ListBatch {
    /// The error of the first command that failed (`result_error`), if any.
    pub fn first_error(&self) -> Option<RestError> {
        self.errors.first().map(|(_, error)| command_error(error))
    }

    /// The latest `operating_reset_at` of the commands that succeeded (`result_time[key]`
    /// of a key with a result): when the list method's oldest operating-limit bucket drops
    /// out. The outer `batch` is not counted against the limit, its commands are.
    pub fn operating_reset_at(&self) -> Option<f64> {
        self.times
            .iter()
            .filter(|(key, _)| find(&self.results, key).is_some())
            .filter_map(|(_, time)| TimeInfo::from_value(Some(time)).operating_reset_at)
            .reduce(f64::max)
    }

    /// Everything the answer says about command `key`.
    pub fn member(&self, key: &str) -> ListMember<'_> {
        let error = find(&self.errors, key).map(command_error);
        ListMember {
            rows: find(&self.results, key).map(|r| r.0.as_slice()),
            error,
            total: find(&self.totals, key).and_then(Scalar::as_u64),
            next: find(&self.nexts, key).and_then(Scalar::as_u64),
        }
    }
}

/// Decodes the answer of a `batch` of list calls.
///
/// # Errors
/// [`ReplyError::Rest`] when the whole call failed; [`ReplyError::Malformed`] when the body
/// is not JSON of the expected shape.
pub fn decode_list_batch_reply(reply: &HttpReply) -> Result<ListBatch, ReplyError> {
    let mut batch = None;
    let mut env = read_envelope(&reply.body, false, &mut |r| {
        if r.peek()? == b'n' {
            r.skip()?;
            return Ok(false);
        }
        batch = Some(ListBatch::read(r)?);
        Ok(true)
    })
    .map_err(|e| malformed_body(reply, &e))?;
    if let Some(err) = env.rest_error(reply.status) {
        return Err(ReplyError::Rest(err));
    }
    batch.ok_or_else(|| ReplyError::Malformed {
        status: reply.status,
        detail: "no `result` in the batch answer".into(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::report::task::{MetaStatus, RealStatus, UserId};

    fn j(text: &str) -> Json {
        json::parse(text).unwrap()
    }

    fn reply(status: u16, body: &str) -> HttpReply {
        HttpReply {
            status,
            body: body.into(),
        }
    }

    #[test]
    fn single_answer_with_total_next_time() {
        let a = decode_reply(&reply(
            200,
            r#"{"result":[{"ID":"5"}],"next":50,"total":"1234","time":{"operating_reset_at":1700000000,"operating":0.5}}"#,
        ))
        .unwrap();
        assert_eq!(a.total, Some(1234));
        assert_eq!(a.next, Some(50));
        assert_eq!(a.time.operating_reset_at, Some(1_700_000_000.0));
        assert_eq!(page_rows(&a.result, TaskApi::ItemList).unwrap().len(), 1);
    }

    #[test]
    fn error_envelopes() {
        let e = decode_reply(&reply(
            429,
            r#"{"error":"OPERATION_TIME_LIMIT","error_description":"Method is blocked due to operation time limit.","time":{"operating_reset_at":"1700000005"}}"#,
        ))
        .unwrap_err();
        let ReplyError::Rest(e) = e else {
            panic!("{e:?}")
        };
        assert_eq!(e.code, "OPERATION_TIME_LIMIT");
        assert_eq!(e.status, 429);
        // A `time` member in an error answer is not documented and not read.
        assert_eq!(e.operating_reset_at, None);
        // `error` as a number (tasks.task.list order errors) and as an object.
        let ReplyError::Rest(e) = decode_reply(&reply(
            400,
            r#"{"error":0,"error_description":"Invalid sorting key"}"#,
        ))
        .unwrap_err() else {
            panic!()
        };
        assert_eq!(e.code, "0");
        let ReplyError::Rest(e) =
            decode_reply(&reply(400, r#"{"error":{"code":"X","message":"m"}}"#)).unwrap_err()
        else {
            panic!()
        };
        assert_eq!((e.code.as_str(), e.description.as_str()), ("X", "m"));
        assert_eq!(e.to_string(), "X: m (400)");
    }

    #[test]
    fn malformed_bodies() {
        for (status, body) in [
            (200, r#"{"result":["#),
            (502, "<html>Bad gateway</html>"),
            (200, "[]"),
            (200, r#"{"total":1}"#),
            (200, ""),
        ] {
            match decode_reply(&reply(status, body)) {
                Err(ReplyError::Malformed { status: s, .. }) => assert_eq!(s, status),
                other => panic!("{body}: {other:?}"),
            }
        }
    }

    #[test]
    fn batch_members_as_arrays_objects_and_empty() {
        let a = decode_reply(&reply(
            200,
            r#"{"result":{"result":{"p0":[{"ID":"3"}],"p1":[]},"result_error":[],"result_total":{"p0":"7","p1":0},"result_next":[],"result_time":[]},"time":{}}"#,
        ))
        .unwrap();
        let b = BatchAnswer::from_answer(&a).unwrap();
        let m0 = b.member("p0");
        assert_eq!(m0.total, Some(7));
        assert!(m0.error.is_none());
        assert_eq!(
            page_rows(m0.result.unwrap(), TaskApi::ItemList)
                .unwrap()
                .len(),
            1
        );
        assert_eq!(b.member("p1").total, Some(0));
        assert!(b.member("p9").result.is_none());

        // Keys 0..n-1 serialize as JSON arrays.
        let a = decode_reply(&reply(
            200,
            r#"{"result":{"result":[[{"ID":1}]],"result_error":{"1":{"error":"QUERY_LIMIT_EXCEEDED","error_description":"Too many requests"}},"result_total":[9],"result_next":[],"result_time":{"1":{"operating_reset_at":77}}}}"#,
        ))
        .unwrap();
        let b = BatchAnswer::from_answer(&a).unwrap();
        assert_eq!(b.member("0").total, Some(9));
        let e = b.member("1").error.unwrap();
        assert_eq!(e.code, "QUERY_LIMIT_EXCEEDED");
        // A failed command's `result_time` is not read (documented for successes only).
        assert_eq!(e.operating_reset_at, None);
    }

    /// Issue 14: creator, project, dates and times from both APIs' rows, through both the
    /// `Json` path and the typed list reader; garbage is none, never a panic.
    #[test]
    fn who_and_when_fields_from_both_apis() {
        use crate::report::task::GroupId;
        let upper = r#"{"ID":"5","CREATED_BY":"12","GROUP_ID":"0","DEADLINE":"2025-10-24T19:00:00+03:00","CREATED_DATE":"2024-01-02T10:00:00+03:00","CHANGED_DATE":"","CLOSED_DATE":null,"TIME_ESTIMATE":"5400","TIME_SPENT_IN_LOGS":null}"#;
        let camel = r#"{"id":"5","createdBy":12,"groupId":"7","deadline":"garbage","createdDate":"2024-01-02T10:00:00+03:00","changedDate":"2024-01-03T10:00:00-05:00","closedDate":"","timeEstimate":0,"timeSpentInLogs":"90"}"#;
        let list = |body: &str, api| {
            let page =
                decode_list_reply(&reply(200, &format!(r#"{{"result":[{body}],"total":1}}"#)))
                    .unwrap();
            parse_wire_row(&page.rows[0], api).unwrap()
        };
        for t in [
            parse_task(&j(upper), TaskApi::ItemList).unwrap(),
            list(upper, TaskApi::ItemList),
        ] {
            assert_eq!(t.created_by, Some(UserId(12)));
            assert_eq!(t.group, None);
            assert_eq!(
                t.deadline.map(|d| (d.unix(), d.offset_min())),
                Some((1_761_321_600, 180))
            );
            assert_eq!(
                t.created.map(|d| d.iso()).as_deref(),
                Some("2024-01-02T10:00:00+03:00")
            );
            assert_eq!((t.changed, t.closed), (None, None));
            assert_eq!((t.time_estimate, t.time_spent), (Some(5400), None));
        }
        for t in [
            parse_task(&j(camel), TaskApi::TaskList).unwrap(),
            list(camel, TaskApi::TaskList),
        ] {
            assert_eq!(t.created_by, Some(UserId(12)));
            assert_eq!(t.group, Some(GroupId(7)));
            assert_eq!(t.deadline, None);
            assert_eq!(t.changed.map(|d| d.offset_min()), Some(-300));
            assert_eq!((t.time_estimate, t.time_spent), (Some(0), Some(90)));
        }
        // Never the *_NAME fields: a row with only names has no creator.
        let t = parse_task(
            &j(r#"{"ID":"1","CREATED_BY_NAME":"Ann"}"#),
            TaskApi::ItemList,
        )
        .unwrap();
        assert_eq!(t.created_by, None);
    }

    /// The documented place of `operating_reset_at`: the `time` of a successful answer, and
    /// per command in a batch's `result_time` (only for commands that succeeded).
    #[test]
    fn operating_reset_comes_from_successful_answers() {
        let page = decode_list_reply(&reply(
            200,
            r#"{"result":[{"ID":"5"}],"total":1,"time":{"start":1,"operating_reset_at":1778747792,"operating":3.3}}"#,
        ))
        .unwrap();
        assert_eq!(page.operating_reset_at, Some(1_778_747_792.0));
        let page = decode_list_reply(&reply(200, r#"{"result":[],"total":0}"#)).unwrap();
        assert_eq!(page.operating_reset_at, None);
        let batch = decode_list_batch_reply(&reply(
            200,
            r#"{"result":{"result":{"p0":[{"ID":"3"}],"p1":[]},"result_error":{"p2":{"error":"QUERY_LIMIT_EXCEEDED","error_description":"x"}},"result_total":{"p0":1,"p1":0},"result_next":[],"result_time":{"p0":{"operating_reset_at":100},"p1":{"operating_reset_at":"120"},"p2":{"operating_reset_at":999}}},"time":{}}"#,
        ))
        .unwrap();
        assert_eq!(batch.operating_reset_at(), Some(120.0));
    }

    #[test]
    fn rows_with_lenient_values() {
        let t = parse_task(
            &j(r#"{"TITLE": 12, "PRIORITY": 2, "ID": 17, "REAL_STATUS": "3", "STATUS": "-1", "RESPONSIBLE_ID": "12"}"#),
            TaskApi::ItemList,
        )
        .unwrap();
        assert_eq!(t.id, TaskId(17));
        assert_eq!(t.responsible, Some(UserId(12)));
        assert_eq!(t.title, "12");
        assert_eq!(t.priority, Priority::High);
        assert_eq!(t.status, RealStatus::InProgress);
        assert_eq!(t.meta, Some(MetaStatus::Overdue));

        let t = parse_task(
            &j(r#"{"ID": " 18 ", "PRIORITY": "", "STATUS": "9"}"#),
            TaskApi::ItemList,
        )
        .unwrap();
        assert_eq!(t.title, "");
        assert_eq!(t.responsible, None);
        assert_eq!(t.priority, Priority::Unknown(String::new()));
        assert_eq!(t.status, RealStatus::Unknown("9".into()));

        let t = parse_task(
            &j(r#"{"id": "8017", "title": "x", "priority": "0", "status": "5", "subStatus": "-2", "responsibleId": "3"}"#),
            TaskApi::TaskList,
        )
        .unwrap();
        assert_eq!(t.id, TaskId(8017));
        assert_eq!(t.responsible, Some(UserId(3)));
        assert_eq!(t.priority, Priority::Low);
        assert_eq!(t.status, RealStatus::Completed);
        assert_eq!(t.meta, Some(MetaStatus::Unviewed));

        for bad in [
            j(r#"{"ID": ""}"#),
            j(r#"{"TITLE": "no id"}"#),
            j(r#"{"ID": "abc"}"#),
            j(r#"{"ID": 0}"#),
            j(r#"{"ID": -3}"#),
            j(r#"{"ID": 1.5}"#),
            j(r#""x""#),
        ] {
            assert!(parse_task(&bad, TaskApi::ItemList).is_err(), "{bad}");
        }
    }

    #[test]
    fn tasks_task_list_rows_are_nested() {
        let r = j(r#"{"tasks": [{"id": "1"}, {"id": "2"}]}"#);
        assert_eq!(page_rows(&r, TaskApi::TaskList).unwrap().len(), 2);
        assert!(page_rows(&j(r#"{"x": 1}"#), TaskApi::TaskList).is_err());
        assert_eq!(page_rows(&j(r#"[]"#), TaskApi::TaskList).unwrap().len(), 0);
        assert_eq!(
            page_rows(&j(r#"{"0": {"ID": "1"}}"#), TaskApi::ItemList)
                .unwrap()
                .len(),
            1
        );
        assert!(page_rows(&j(r#""x""#), TaskApi::ItemList).is_err());
    }

    #[test]
    fn typed_list_reply_matches_value_parsing() {
        let body = r#"{"result":[{"TITLE":"a","PRIORITY":2,"ID":"17","REAL_STATUS":"3","STATUS":"-1","ALLOWED_ACTIONS":{"ACTION_EDIT":true},"TAGS":[1,2]},{"ID":""},"x",{"ID":5.0,"TITLE":null}],"total":"4","next":50,"time":{}}"#;
        let page = decode_list_reply(&reply(200, body)).unwrap();
        assert_eq!((page.total, page.next), (Some(4), Some(50)));
        let value = decode_reply(&reply(200, body)).unwrap();
        let by_value: Vec<_> = page_rows(&value.result, TaskApi::ItemList)
            .unwrap()
            .into_iter()
            .map(|r| parse_task(r, TaskApi::ItemList).ok())
            .collect();
        let typed: Vec<_> = page
            .rows
            .iter()
            .map(|r| parse_wire_row(r, TaskApi::ItemList).ok())
            .collect();
        assert_eq!(by_value, typed);
        assert_eq!(typed.iter().flatten().count(), 2);
        assert!(parse_wire_row(&page.rows[2], TaskApi::ItemList)
            .unwrap_err()
            .reason
            .contains("not an object"));

        let page = decode_list_reply(&reply(200, r#"{"result":{"tasks":[{"id":"8","title":"t","priority":"0","status":"5","subStatus":"-2"}]},"total":1}"#)).unwrap();
        let t = parse_wire_row(&page.rows[0], TaskApi::TaskList).unwrap();
        assert_eq!(
            (t.id, t.status.clone(), t.meta),
            (TaskId(8), RealStatus::Completed, Some(MetaStatus::Unviewed))
        );
        assert_eq!(
            decode_list_reply(&reply(200, r#"{"result":{"tasks":[]},"total":0}"#))
                .unwrap()
                .rows
                .len(),
            0
        );

        let ReplyError::Rest(e) = decode_list_reply(&reply(429, r#"{"error":"OPERATION_TIME_LIMIT","error_description":"x","time":{"operating_reset_at":5}}"#)).unwrap_err() else { panic!() };
        // The undocumented `time` of an error answer is not read.
        assert_eq!(
            (e.code.as_str(), e.operating_reset_at),
            ("OPERATION_TIME_LIMIT", None)
        );
        for bad in [
            r#"{"result":["#,
            r#"{"result":"x"}"#,
            r#"{"total":1}"#,
            "[]",
        ] {
            assert!(
                matches!(
                    decode_list_reply(&reply(200, bad)),
                    Err(ReplyError::Malformed { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn typed_decoding_edge_cases() {
        // Numbers in rows: integral decimals are IDs, text keeps integers without `.0`.
        let page = decode_list_reply(&reply(
            200,
            r#"{"result":[{"ID":1e1,"TITLE":1.5,"PRIORITY":true},{"ID":"7.0","TITLE":-0}],"total":null}"#,
        ))
        .unwrap();
        let t = parse_wire_row(&page.rows[0], TaskApi::ItemList).unwrap();
        assert_eq!((t.id, t.title.as_str()), (TaskId(10), "1.5"));
        assert_eq!(page.rows[0].priority.0.as_deref(), Some("true"));
        let t = parse_wire_row(&page.rows[1], TaskApi::ItemList).unwrap();
        assert_eq!((t.id, t.title.as_str()), (TaskId(7), "0"));
        assert_eq!(page.total, None);
        // Rows that are not objects keep a readable text.
        let page =
            decode_list_reply(&reply(200, r#"{"result":[null,true,2.5,"a\"b",[1]]}"#)).unwrap();
        let raws: Vec<_> = page
            .rows
            .iter()
            .map(|r| r.raw.as_deref().unwrap())
            .collect();
        assert_eq!(raws, ["null", "true", "2.5", "\"a\\\"b\"", "[…]"]);
        // A lone surrogate in a skipped field is tolerated; in a field that is read, the
        // answer is malformed (as with serde_json).
        let ok = r#"{"result":[{"ID":"1","DESCRIPTION":"\ud800","TAGS":["\udc00"]}]}"#;
        assert_eq!(decode_list_reply(&reply(200, ok)).unwrap().rows.len(), 1);
        for bad in [
            r#"{"result":[{"ID":"1","TITLE":"\ud800"}]}"#,
            r#"{"result":[],"result":[]}"#,
            r#"{"result":null}"#,
            r#"{"result":[]} x"#,
            r#"{"result":[{"ID":"1",}]}"#,
            r#"{"result":[{"ID":"1","X":[1,]}]}"#,
        ] {
            assert!(
                matches!(
                    decode_list_reply(&reply(200, bad)),
                    Err(ReplyError::Malformed { .. })
                ),
                "{bad}"
            );
        }
        for bad in [
            r#"{"result":{"result":[],"result":[]}}"#,
            r#"{"result":null}"#,
            r#"{"result":[1]}"#,
            r#"{"result":{"result_total":"7"}}"#,
        ] {
            assert!(
                matches!(
                    decode_list_batch_reply(&reply(200, bad)),
                    Err(ReplyError::Malformed { .. })
                ),
                "{bad}"
            );
        }
        // Members of any kind: null rows are an empty page, totals as decimals.
        let b = decode_list_batch_reply(&reply(
            200,
            r#"{"result":{"result":{"p0":null},"result_total":{"p0":"7.0"},"result_next":{"p0":50.0},"extra":{}},"total":3}"#,
        ))
        .unwrap();
        let m = b.member("p0");
        assert_eq!(
            (m.rows.map(<[WireRow]>::len), m.total, m.next),
            (Some(0), Some(7), Some(50))
        );
    }

    #[test]
    fn typed_batch_reply() {
        let b = decode_list_batch_reply(&reply(
            200,
            r#"{"result":{"result":{"p0":[{"ID":"3"}],"p1":[]},"result_error":{"p2":{"error":"QUERY_LIMIT_EXCEEDED","error_description":"Too many"}},"result_total":{"p0":"7","p1":0},"result_next":[],"result_time":{"p2":{"operating_reset_at":9}}},"time":{}}"#,
        ))
        .unwrap();
        assert_eq!(b.member("p0").rows.map(<[WireRow]>::len), Some(1));
        assert_eq!(b.member("p0").total, Some(7));
        assert_eq!(b.member("p1").rows.map(<[WireRow]>::len), Some(0));
        let e = b.member("p2").error.unwrap();
        // A failed command's `result_time` is not read.
        assert_eq!(
            (e.code.as_str(), e.operating_reset_at),
            ("QUERY_LIMIT_EXCEEDED", None)
        );
        assert!(b.member("p2").rows.is_none());
        let b = decode_list_batch_reply(&reply(200, r#"{"result":{"result":[[{"ID":1}]],"result_error":[],"result_total":[1],"result_next":[],"result_time":[]}}"#)).unwrap();
        assert_eq!(b.member("0").total, Some(1));
        assert!(matches!(
            decode_list_batch_reply(&reply(401, r#"{"error":"expired_token"}"#)),
            Err(ReplyError::Rest(_))
        ));
        // An empty PHP array as the batch body: no members at all.
        let b = decode_list_batch_reply(&reply(200, r#"{"result":[]}"#)).unwrap();
        assert!(b.member("p0").rows.is_none());
        assert!(matches!(
            decode_list_batch_reply(&reply(200, r#"{"result":"x"}"#)),
            Err(ReplyError::Malformed { .. })
        ));
        assert!(matches!(
            decode_list_batch_reply(&reply(200, r#"{"result":{"result":{"p0":7}}}"#)),
            Err(ReplyError::Malformed { .. })
        ));
    }
}
