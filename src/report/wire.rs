//! Decoding the portal's JSON answers: the single-call envelope (`result`, `total`, `next`,
//! `time`), the error envelope (`error`, `error_description`, `time.operating_reset_at`),
//! the `batch` answer (`result`, `result_error`, `result_total`, `result_next`,
//! `result_time`) and task rows of `task.item.list` / `tasks.task.list`.
//!
//! Everything is lenient the way the portal needs (`../shared/docs/bitrix24-rest-tasks.md`
//! §1.4, §1.5, §3, §4): numbers may come as strings or JSON numbers, values may be empty or
//! missing, batch members are JSON `[]` when empty and arrays when their keys are `0..n-1`.
//! A row without a usable ID is returned as [`MalformedRow`], never dropped silently.

use std::collections::HashMap;
use std::fmt;

use serde_json::Value;

use crate::report::task::{Priority, Task, TaskId};
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
    fn from_value(time: Option<&Value>) -> Self {
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
    /// `time.operating_reset_at` of the answer, if present.
    pub operating_reset_at: Option<f64>,
}

impl RestError {
    /// Reads an error object (`{"error": …, "error_description": …, "time": {…}}`). `error`
    /// may be a string, a number or an object with `code`/`message`. `None` if there is no
    /// `error` key or it is empty/null/false.
    pub fn from_value(status: u16, body: &Value) -> Option<Self> {
        let err = body.get("error")?;
        let (code, nested_description) = match err {
            Value::Object(obj) => (
                obj.get("code")
                    .or_else(|| obj.get("error"))
                    .and_then(lenient_text),
                obj.get("message")
                    .or_else(|| obj.get("error_description"))
                    .and_then(lenient_text),
            ),
            Value::Bool(false) | Value::Null => return None,
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
            operating_reset_at: TimeInfo::from_value(body.get("time")).operating_reset_at,
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
    pub result: Value,
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
    let body: Value = serde_json::from_str(&reply.body).map_err(|e| {
        let head: String = reply.body.chars().take(80).collect();
        malformed(format!("not JSON ({e}): {head}"))
    })?;
    if !body.is_object() {
        return Err(malformed("the answer is not a JSON object".into()));
    }
    if let Some(err) = RestError::from_value(reply.status, &body) {
        return Err(ReplyError::Rest(err));
    }
    let result = body
        .get("result")
        .cloned()
        .ok_or_else(|| malformed("no `result` in the answer".into()))?;
    Ok(CallAnswer {
        status: reply.status,
        result,
        total: body.get("total").and_then(lenient_u64),
        next: body.get("next").and_then(lenient_u64),
        time: TimeInfo::from_value(body.get("time")),
    })
}

/// The decoded `result` of a `batch` call.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BatchAnswer {
    results: HashMap<String, Value>,
    errors: HashMap<String, Value>,
    totals: HashMap<String, Value>,
    nexts: HashMap<String, Value>,
    times: HashMap<String, Value>,
}

/// What a batch answer says about one command.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchMember<'a> {
    /// `result[key]`, if present.
    pub result: Option<&'a Value>,
    /// `result_error[key]`, if present (status 0).
    pub error: Option<RestError>,
    /// `result_total[key]`.
    pub total: Option<u64>,
    /// `result_next[key]`.
    pub next: Option<u64>,
}

/// Turns a batch member map into `key → value`: `[]`/`{}`/`null` are empty, arrays are keyed
/// `"0"`, `"1"`, ….
fn member_map(value: Option<&Value>) -> Result<HashMap<String, Value>, String> {
    match value {
        None | Some(Value::Null) => Ok(HashMap::new()),
        Some(Value::Object(obj)) => Ok(obj.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        Some(Value::Array(items)) => Ok(items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v.clone()))
            .collect()),
        Some(other) => Err(format!("batch member is neither a map nor a list: {other}")),
    }
}

impl BatchAnswer {
    /// Reads the `result` of a successful `batch` call.
    ///
    /// # Errors
    /// A description when `result` is not an object or a member map has a wrong type.
    pub fn from_answer(answer: &CallAnswer) -> Result<Self, String> {
        let root = answer
            .result
            .as_object()
            .ok_or_else(|| "batch `result` is not an object".to_string())?;
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
        let error = self.errors.get(key).map(|e| {
            let mut err = RestError::from_value(0, e).unwrap_or_else(|| RestError {
                status: 0,
                code: lenient_text(e).unwrap_or_else(|| e.to_string()),
                description: String::new(),
                operating_reset_at: None,
            });
            if err.operating_reset_at.is_none() {
                err.operating_reset_at =
                    TimeInfo::from_value(self.times.get(key)).operating_reset_at;
            }
            err
        });
        BatchMember {
            result: self.results.get(key),
            error,
            total: self.totals.get(key).and_then(lenient_u64),
            next: self.nexts.get(key).and_then(lenient_u64),
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
pub fn page_rows(result: &Value, api: TaskApi) -> Result<Vec<&Value>, String> {
    let list = match (api, result) {
        (TaskApi::TaskList, Value::Object(obj)) if obj.contains_key("tasks") => &obj["tasks"],
        (TaskApi::TaskList, Value::Array(a)) if a.is_empty() => result,
        (TaskApi::TaskList, _) => return Err("no `tasks` in the result".into()),
        (TaskApi::ItemList, _) => result,
    };
    match list {
        Value::Array(rows) => Ok(rows.iter().collect()),
        // A PHP array with non-sequential keys arrives as an object.
        Value::Object(rows) => Ok(rows.values().collect()),
        Value::Null => Ok(Vec::new()),
        other => Err(format!("the rows are not a list: {}", short(other))),
    }
}

/// Parses one row of `api` into a [`Task`].
///
/// # Errors
/// [`MalformedRow`] when the row is not an object or has no positive integer ID.
pub fn parse_task(row: &Value, api: TaskApi) -> Result<Task, MalformedRow> {
    let Value::Object(_) = row else {
        return Err(MalformedRow {
            reason: format!("row is not an object: {}", short(row)),
        });
    };
    let (id_key, title_key, prio_key, meta_key, real_key) = match api {
        TaskApi::ItemList => ("ID", "TITLE", "PRIORITY", "STATUS", "REAL_STATUS"),
        TaskApi::TaskList => ("id", "title", "priority", "subStatus", "status"),
    };
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
    Ok(Task::from_status_fields(
        TaskId(id),
        title,
        priority,
        meta.as_deref(),
        real.as_deref(),
    ))
}

/// A field by exact key, else by case-insensitive key.
fn field<'a>(row: &'a Value, key: &str) -> Option<&'a Value> {
    let obj = row.as_object()?;
    obj.get(key).or_else(|| {
        obj.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

fn short(v: &Value) -> String {
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
pub fn lenient_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64().or_else(|| n.as_f64().and_then(integral_f64)),
        Value::String(s) => {
            let s = s.trim();
            s.parse::<u64>()
                .ok()
                .or_else(|| s.parse::<f64>().ok().and_then(integral_f64))
        }
        _ => None,
    }
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

/// A float from a JSON number or a numeric string.
pub fn lenient_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    }
}

/// Text from a string, a number (integers without `.0`) or a boolean; `None` for null,
/// arrays and objects.
pub fn lenient_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(
            n.as_i64()
                .map(|i| i.to_string())
                .or_else(|| n.as_u64().map(|u| u.to_string()))
                .or_else(|| n.as_f64().and_then(integral_f64).map(|u| u.to_string()))
                .unwrap_or_else(|| n.to_string()),
        ),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

// ------------------------------------------------------------------ typed list decoding
//
// List answers are decoded straight into rows without building a `Value` per row: only the
// five fields the report needs are kept, everything else (ALLOWED_ACTIONS, …) is skipped.

/// A scalar JSON value as text (numbers without a trailing `.0`, booleans as
/// `true`/`false`); `None` for null, arrays and objects.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scalar(pub Option<String>);

impl Scalar {
    fn as_u64(&self) -> Option<u64> {
        self.0
            .as_deref()
            .and_then(|s| lenient_u64(&Value::String(s.to_string())))
    }
}

struct ScalarVisitor;

impl<'de> serde::de::Visitor<'de> for ScalarVisitor {
    type Value = Scalar;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar(Some(v.to_string())))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar(Some(v.to_string())))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar(Some(v.to_string())))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar(Some(
            integral_f64(v).map_or_else(|| v.to_string(), |u| u.to_string()),
        )))
    }
    fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar(Some(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> Result<Scalar, E> {
        Ok(Scalar(Some(v)))
    }
    fn visit_unit<E>(self) -> Result<Scalar, E> {
        Ok(Scalar(None))
    }
    fn visit_none<E>(self) -> Result<Scalar, E> {
        Ok(Scalar(None))
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Scalar, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(Scalar(None))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
        while map
            .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
            .is_some()
        {}
        Ok(Scalar(None))
    }
}

impl<'de> serde::Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
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
    /// False when the row was not a JSON object (a malformed row).
    pub is_object: bool,
    /// The row as text when it was not an object.
    pub raw: Option<String>,
}

struct RowVisitor;

impl<'de> serde::de::Visitor<'de> for RowVisitor {
    type Value = WireRow;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a task row")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<WireRow, A::Error> {
        let mut row = WireRow {
            is_object: true,
            ..WireRow::default()
        };
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
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
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
                continue;
            };
            *slot = map.next_value::<Scalar>()?;
        }
        Ok(row)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<WireRow, A::Error> {
        let _ = ScalarVisitor.visit_seq(seq)?;
        Ok(not_object("[…]".into()))
    }
    fn visit_unit<E>(self) -> Result<WireRow, E> {
        Ok(not_object("null".into()))
    }
    fn visit_bool<E>(self, v: bool) -> Result<WireRow, E> {
        Ok(not_object(v.to_string()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<WireRow, E> {
        Ok(not_object(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<WireRow, E> {
        Ok(not_object(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<WireRow, E> {
        Ok(not_object(v.to_string()))
    }
    fn visit_str<E>(self, v: &str) -> Result<WireRow, E> {
        Ok(not_object(format!("{v:?}")))
    }
}

fn not_object(raw: String) -> WireRow {
    WireRow {
        raw: Some(raw),
        ..WireRow::default()
    }
}

impl<'de> serde::Deserialize<'de> for WireRow {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RowVisitor)
    }
}

/// The rows of a list `result`: a JSON array of rows, `{"tasks": [...]}` (`tasks.task.list`),
/// an object of rows (a PHP array with gaps in its keys), or null.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rows(pub Vec<WireRow>);

struct RowsVisitor;

impl<'de> serde::de::Visitor<'de> for RowsVisitor {
    type Value = Rows;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of task rows")
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Rows, A::Error> {
        let mut rows = Vec::with_capacity(seq.size_hint().unwrap_or(50).min(64));
        while let Some(row) = seq.next_element::<WireRow>()? {
            rows.push(row);
        }
        Ok(Rows(rows))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Rows, A::Error> {
        let mut rows = Vec::new();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == "tasks" {
                rows = map.next_value::<Rows>()?.0;
            } else {
                rows.push(map.next_value::<WireRow>()?);
            }
        }
        Ok(Rows(rows))
    }
    fn visit_unit<E>(self) -> Result<Rows, E> {
        Ok(Rows(Vec::new()))
    }
}

impl<'de> serde::Deserialize<'de> for Rows {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RowsVisitor)
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
                    .map_or_else(|| "missing".to_string(), |s| format!("{s:?}"))
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
    ))
}

/// One list page as answered by a single call.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListPage {
    /// The rows, in order.
    pub rows: Vec<WireRow>,
    /// `total`.
    pub total: Option<u64>,
    /// `next`.
    pub next: Option<u64>,
}

#[derive(serde::Deserialize)]
struct ListEnvelope {
    #[serde(default)]
    result: Option<Rows>,
    #[serde(default)]
    total: Scalar,
    #[serde(default)]
    next: Scalar,
    #[serde(default)]
    time: Option<Value>,
    #[serde(default)]
    error: Option<Value>,
    #[serde(default)]
    error_description: Option<Value>,
}

/// Members of a batch map: `[]`, a JSON array (keys `0..n-1`) or an object.
#[derive(Clone, Debug, PartialEq)]
struct Members<T>(Vec<(String, T)>);

impl<T> Default for Members<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

struct MembersVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: serde::Deserialize<'de>> serde::de::Visitor<'de> for MembersVisitor<T> {
    type Value = Members<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a batch member map")
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Members<T>, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element::<T>()? {
            out.push((out.len().to_string(), v));
        }
        Ok(Members(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Members<T>, A::Error> {
        let mut out = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, T>()? {
            out.push((k, v));
        }
        Ok(Members(out))
    }
    fn visit_unit<E>(self) -> Result<Members<T>, E> {
        Ok(Members(Vec::new()))
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Members<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(MembersVisitor(std::marker::PhantomData))
    }
}

#[derive(serde::Deserialize)]
struct ListBatchBody {
    #[serde(default)]
    result: Members<Rows>,
    #[serde(default)]
    result_error: Members<Value>,
    #[serde(default)]
    result_total: Members<Scalar>,
    #[serde(default)]
    result_next: Members<Scalar>,
    #[serde(default)]
    result_time: Members<Value>,
}

#[derive(serde::Deserialize)]
struct ListBatchEnvelope {
    #[serde(default)]
    result: Option<ListBatchBody>,
    #[serde(default)]
    time: Option<Value>,
    #[serde(default)]
    error: Option<Value>,
    #[serde(default)]
    error_description: Option<Value>,
}

fn envelope_error(
    status: u16,
    error: Option<Value>,
    description: Option<Value>,
    time: Option<Value>,
) -> Option<RestError> {
    let error = error?;
    let mut body = serde_json::Map::new();
    body.insert("error".into(), error);
    if let Some(d) = description {
        body.insert("error_description".into(), d);
    }
    if let Some(t) = time {
        body.insert("time".into(), t);
    }
    RestError::from_value(status, &Value::Object(body))
}

fn parse_body<T: serde::de::DeserializeOwned>(reply: &HttpReply) -> Result<T, ReplyError> {
    serde_json::from_str(&reply.body).map_err(|e| {
        let head: String = reply.body.chars().take(80).collect();
        ReplyError::Malformed {
            status: reply.status,
            detail: format!("unexpected answer ({e}): {head}"),
        }
    })
}

/// Decodes the answer of a single list call (`task.item.list` or `tasks.task.list`).
///
/// # Errors
/// [`ReplyError::Rest`] for an error envelope; [`ReplyError::Malformed`] when the body is
/// not JSON of the expected shape or has no `result`.
pub fn decode_list_reply(reply: &HttpReply) -> Result<ListPage, ReplyError> {
    let env: ListEnvelope = parse_body(reply)?;
    if let Some(err) = envelope_error(reply.status, env.error, env.error_description, env.time) {
        return Err(ReplyError::Rest(err));
    }
    let rows = env.result.ok_or_else(|| ReplyError::Malformed {
        status: reply.status,
        detail: "no `result` in the answer".into(),
    })?;
    Ok(ListPage {
        rows: rows.0,
        total: env.total.as_u64(),
        next: env.next.as_u64(),
    })
}

/// A decoded `batch` answer whose commands are list calls.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListBatch {
    results: Vec<(String, Rows)>,
    errors: Vec<(String, Value)>,
    totals: Vec<(String, Scalar)>,
    nexts: Vec<(String, Scalar)>,
    times: Vec<(String, Value)>,
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

fn find<'a, T>(items: &'a [(String, T)], key: &str) -> Option<&'a T> {
    items.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

impl ListBatch {
    /// Everything the answer says about command `key`.
    pub fn member(&self, key: &str) -> ListMember<'_> {
        let error = find(&self.errors, key).map(|e| {
            let mut err = RestError::from_value(0, e).unwrap_or_else(|| RestError {
                status: 0,
                code: lenient_text(e).unwrap_or_else(|| e.to_string()),
                description: String::new(),
                operating_reset_at: None,
            });
            if err.operating_reset_at.is_none() {
                err.operating_reset_at =
                    TimeInfo::from_value(find(&self.times, key)).operating_reset_at;
            }
            err
        });
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
    let env: ListBatchEnvelope = parse_body(reply)?;
    if let Some(err) = envelope_error(reply.status, env.error, env.error_description, env.time) {
        return Err(ReplyError::Rest(err));
    }
    let body = env.result.ok_or_else(|| ReplyError::Malformed {
        status: reply.status,
        detail: "no `result` in the batch answer".into(),
    })?;
    Ok(ListBatch {
        results: body.result.0,
        errors: body.result_error.0,
        totals: body.result_total.0,
        nexts: body.result_next.0,
        times: body.result_time.0,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::report::task::{MetaStatus, RealStatus};
    use serde_json::json;

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
        assert_eq!(e.operating_reset_at, Some(1_700_000_005.0));
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
        assert_eq!(e.operating_reset_at, Some(77.0));
    }

    #[test]
    fn rows_with_lenient_values() {
        let t = parse_task(
            &json!({"TITLE": 12, "PRIORITY": 2, "ID": 17, "REAL_STATUS": "3", "STATUS": "-1"}),
            TaskApi::ItemList,
        )
        .unwrap();
        assert_eq!(t.id, TaskId(17));
        assert_eq!(t.title, "12");
        assert_eq!(t.priority, Priority::High);
        assert_eq!(t.status, RealStatus::InProgress);
        assert_eq!(t.meta, Some(MetaStatus::Overdue));

        let t = parse_task(
            &json!({"ID": " 18 ", "PRIORITY": "", "STATUS": "9"}),
            TaskApi::ItemList,
        )
        .unwrap();
        assert_eq!(t.title, "");
        assert_eq!(t.priority, Priority::Unknown(String::new()));
        assert_eq!(t.status, RealStatus::Unknown("9".into()));

        let t = parse_task(
            &json!({"id": "8017", "title": "x", "priority": "0", "status": "5", "subStatus": "-2"}),
            TaskApi::TaskList,
        )
        .unwrap();
        assert_eq!(t.id, TaskId(8017));
        assert_eq!(t.priority, Priority::Low);
        assert_eq!(t.status, RealStatus::Completed);
        assert_eq!(t.meta, Some(MetaStatus::Unviewed));

        for bad in [
            json!({"ID": ""}),
            json!({"TITLE": "no id"}),
            json!({"ID": "abc"}),
            json!({"ID": 0}),
            json!({"ID": -3}),
            json!({"ID": 1.5}),
            json!("x"),
        ] {
            assert!(parse_task(&bad, TaskApi::ItemList).is_err(), "{bad}");
        }
    }

    #[test]
    fn tasks_task_list_rows_are_nested() {
        let r = json!({"tasks": [{"id": "1"}, {"id": "2"}]});
        assert_eq!(page_rows(&r, TaskApi::TaskList).unwrap().len(), 2);
        assert!(page_rows(&json!({"x": 1}), TaskApi::TaskList).is_err());
        assert_eq!(page_rows(&json!([]), TaskApi::TaskList).unwrap().len(), 0);
        assert_eq!(
            page_rows(&json!({"0": {"ID": "1"}}), TaskApi::ItemList)
                .unwrap()
                .len(),
            1
        );
        assert!(page_rows(&json!("x"), TaskApi::ItemList).is_err());
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
        assert_eq!(
            (e.code.as_str(), e.operating_reset_at),
            ("OPERATION_TIME_LIMIT", Some(5.0))
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
        assert_eq!(
            (e.code.as_str(), e.operating_reset_at),
            ("QUERY_LIMIT_EXCEEDED", Some(9.0))
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
