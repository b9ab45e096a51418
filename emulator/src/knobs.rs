//! Run-time knobs: latency, cost, rate limit, faults and the app's granted scopes.
//!
//! The same names are used by the command-line flags (kebab-case) and by `POST /__control`
//! (snake_case JSON keys), and both go through [`Knobs::apply`], so they validate alike.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

/// The request-rate limit (leaky bucket) applied to REST requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BucketMode {
    /// 50 requests burst, drains 2 per second (cloud plans other than Enterprise).
    Standard,
    /// 250 requests burst, drains 5 per second (Enterprise).
    Enterprise,
    /// No request-rate limit.
    Off,
}

impl BucketMode {
    /// Parses `standard`, `enterprise` or `off`.
    pub fn parse(text: &str) -> Option<BucketMode> {
        match text {
            "standard" => Some(BucketMode::Standard),
            "enterprise" => Some(BucketMode::Enterprise),
            "off" | "none" => Some(BucketMode::Off),
            _ => None,
        }
    }

    /// The name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            BucketMode::Standard => "standard",
            BucketMode::Enterprise => "enterprise",
            BucketMode::Off => "off",
        }
    }

    /// `(burst, drain per second)`, or `None` when off.
    pub fn limits(self) -> Option<(f64, f64)> {
        match self {
            BucketMode::Standard => Some((50.0, 2.0)),
            BucketMode::Enterprise => Some((250.0, 5.0)),
            BucketMode::Off => None,
        }
    }
}

/// One change to the portal model requested through the knobs (not a knob value itself).
#[derive(Clone, Debug, PartialEq)]
pub enum PortalAction {
    /// Answer `OPERATION_TIME_LIMIT` for `method` during the next `seconds`.
    BlockMethod {
        /// REST method name, e.g. `task.item.list`.
        method: String,
        /// How long from now.
        seconds: u64,
    },
    /// Make `method` unknown from now on.
    DisableMethod(String),
    /// Move the portal to this UTC offset (seconds): task dates are written in it.
    SetUtcOffset(i32),
    /// Add this many tasks above the highest ID, created now.
    InsertTasks(usize),
    /// Delete this many tasks, spread over the ID range by the portal's seed.
    DeleteTasks(usize),
    /// Edit this many tasks (title, status, deadline, time), spread over the ID range by the
    /// portal's seed; their CHANGED_DATE moves to now.
    UpdateTasks(usize),
    /// Take this many tasks away from one user (access revoked), spread over the ID range
    /// by `seed`; CHANGED_DATE stays.
    HideTasks(VisibilityChange),
    /// Let one user see this many tasks they do not see (access granted, project joined),
    /// spread over the ID range by `seed`; CHANGED_DATE stays.
    RevealTasks(VisibilityChange),
    /// One user opens this many tasks they never viewed, spread over the ID range by `seed`:
    /// their meta status "not viewed" (-2) ends; CHANGED_DATE stays.
    ViewTasks(VisibilityChange),
}

/// The argument of `hide_tasks` / `reveal_tasks` / `view_tasks`: `{"user": U, "count": N, "seed": S}`
/// (seed optional, default 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VisibilityChange {
    /// The user whose view changes.
    pub user: u64,
    /// How many tasks.
    pub count: usize,
    /// Picks which tasks.
    pub seed: u64,
}

/// The most tasks one `insert_tasks` / `delete_tasks` / `update_tasks` may touch.
pub const MAX_MUTATION: u64 = 100_000;

/// The current value of every knob.
#[derive(Clone, Debug, PartialEq)]
pub struct Knobs {
    /// Added to every REST request before it is answered.
    pub latency_ms: u64,
    /// Wall-clock cost of one (sub-)call; the server sleeps it before answering.
    pub subcall_cost_ms: u64,
    /// Request-rate limit.
    pub bucket: BucketMode,
    /// Percentage (0–100) of REST requests answered with a 5xx HTML page.
    pub fault_5xx_pct: f64,
    /// Percentage (0–100) of REST requests whose connection is closed without an answer.
    pub fault_drop_pct: f64,
    /// Percentage (0–100) of REST requests answered 503 `QUERY_LIMIT_EXCEEDED` (JSON, as the
    /// portal's own rate limit does) whatever the bucket says: a "503 storm".
    pub fault_query_limit_pct: f64,
    /// How many of the next REST requests never get an answer.
    pub hang_next: u64,
    /// How many of the next REST answers are cut short (invalid JSON, status 200).
    pub malformed_next: u64,
    /// Expire every access token every K REST requests (0 = never).
    pub expire_every: u64,
    /// Insert a few tasks every K REST requests (0 = never).
    pub insert_every: u64,
    /// Delete a few tasks every K REST requests (0 = never).
    pub delete_every: u64,
    /// Every `total` the portal answers (a list call's `total`, a batch's `result_total`
    /// members), as a percentage of the true count, rounded down: 100 (the default) is a
    /// portal that counts right; 30 one that announces 30 % of its tasks.
    pub total_pct: u64,
    /// Methods blocked by the operating limit, with the Unix second they are blocked until.
    pub blocked_methods: BTreeMap<String, i64>,
    /// Methods made unknown.
    pub disabled_methods: BTreeSet<String>,
    /// Scopes granted to the app's OAuth tokens (default `task`, `user`): without `task` the
    /// task methods answer `insufficient_scope` and `scope` does not list it, as on a portal
    /// where the app was saved without the Tasks permission. Webhooks keep their own scopes.
    pub app_scopes: Vec<String>,
    /// The portal's UTC offset in seconds (default +03:00): every task date is written in it
    /// (`2025-10-24T19:00:00+03:00`), as a portal whose time zone an administrator set.
    pub utc_offset_s: i32,
}

impl Default for Knobs {
    fn default() -> Self {
        Knobs {
            latency_ms: 0,
            subcall_cost_ms: 0,
            bucket: BucketMode::Standard,
            fault_5xx_pct: 0.0,
            fault_drop_pct: 0.0,
            fault_query_limit_pct: 0.0,
            hang_next: 0,
            malformed_next: 0,
            expire_every: 0,
            insert_every: 0,
            delete_every: 0,
            total_pct: 100,
            blocked_methods: BTreeMap::new(),
            disabled_methods: BTreeSet::new(),
            app_scopes: b24_portal::APP_SCOPES
                .iter()
                .map(|s| (*s).to_string())
                .collect(),
            utc_offset_s: b24_portal::clock::DEFAULT_UTC_OFFSET_S,
        }
    }
}

/// The knob names accepted by [`Knobs::apply`].
pub const KNOB_NAMES: &[&str] = &[
    "latency_ms",
    "subcall_cost_ms",
    "bucket",
    "fault_5xx_pct",
    "fault_drop_pct",
    "fault_query_limit_pct",
    "hang_next",
    "malformed_next",
    "expire_every",
    "insert_every",
    "delete_every",
    "total_pct",
    "block_method",
    "disable_method",
    "app_scopes",
    "utc_offset",
    "insert_tasks",
    "delete_tasks",
    "update_tasks",
    "hide_tasks",
    "reveal_tasks",
    "view_tasks",
];

impl Knobs {
    /// Applies a JSON object of knob settings, all or nothing.
    ///
    /// Returns the portal actions to run (`block_method`, `disable_method`, `utc_offset`,
    /// `insert_tasks`, `delete_tasks`, `update_tasks`); the caller records them with
    /// [`Knobs::record`] once they are done.
    ///
    /// # Errors
    /// A text naming the first unknown key or invalid value; nothing is changed then.
    pub fn apply(&mut self, changes: &Map<String, Value>) -> Result<Vec<PortalAction>, String> {
        let mut next = self.clone();
        let mut actions = Vec::new();
        for (key, value) in changes {
            match key.as_str() {
                "latency_ms" => next.latency_ms = count(key, value)?,
                "subcall_cost_ms" => next.subcall_cost_ms = count(key, value)?,
                "bucket" => {
                    next.bucket = value.as_str().and_then(BucketMode::parse).ok_or_else(|| {
                        format!("{key}: expected \"standard\", \"enterprise\" or \"off\"")
                    })?;
                }
                "fault_5xx_pct" => next.fault_5xx_pct = percent(key, value)?,
                "fault_drop_pct" => next.fault_drop_pct = percent(key, value)?,
                "fault_query_limit_pct" => next.fault_query_limit_pct = percent(key, value)?,
                "hang_next" => next.hang_next = count(key, value)?,
                "malformed_next" => next.malformed_next = count(key, value)?,
                "expire_every" => next.expire_every = count(key, value)?,
                "insert_every" => next.insert_every = count(key, value)?,
                "delete_every" => next.delete_every = count(key, value)?,
                "total_pct" => next.total_pct = count(key, value)?,
                "app_scopes" => next.app_scopes = scope_list(key, value)?,
                "block_method" => actions.push(block_action(value)?),
                "utc_offset" => {
                    next.utc_offset_s = utc_offset(key, value)?;
                    actions.push(PortalAction::SetUtcOffset(next.utc_offset_s));
                }
                "insert_tasks" => actions.push(PortalAction::InsertTasks(mutation(key, value)?)),
                "delete_tasks" => actions.push(PortalAction::DeleteTasks(mutation(key, value)?)),
                "update_tasks" => actions.push(PortalAction::UpdateTasks(mutation(key, value)?)),
                "hide_tasks" => actions.push(PortalAction::HideTasks(visibility(key, value)?)),
                "reveal_tasks" => actions.push(PortalAction::RevealTasks(visibility(key, value)?)),
                "view_tasks" => actions.push(PortalAction::ViewTasks(visibility(key, value)?)),
                "disable_method" => {
                    let method = method_name(key, value)?;
                    actions.push(PortalAction::DisableMethod(method));
                }
                other => {
                    return Err(format!(
                        "unknown knob {other:?}; known: {}",
                        KNOB_NAMES.join(", ")
                    ))
                }
            }
        }
        *self = next;
        Ok(actions)
    }

    /// Remembers a portal action so that `/__stats` and `/__control` can show it.
    pub fn record(&mut self, action: &PortalAction, now_unix_s: i64) {
        match action {
            PortalAction::BlockMethod { method, seconds } => {
                let until = now_unix_s.saturating_add(i64::try_from(*seconds).unwrap_or(i64::MAX));
                self.blocked_methods.insert(method.clone(), until);
            }
            PortalAction::DisableMethod(method) => {
                self.disabled_methods.insert(method.clone());
            }
            PortalAction::SetUtcOffset(s) => self.utc_offset_s = *s,
            PortalAction::InsertTasks(_)
            | PortalAction::DeleteTasks(_)
            | PortalAction::UpdateTasks(_)
            | PortalAction::HideTasks(_)
            | PortalAction::RevealTasks(_)
            | PortalAction::ViewTasks(_) => {}
        }
    }

    /// The knobs as the JSON object answered by `/__control` and shown in `/__stats`.
    pub fn to_json(&self) -> Value {
        json!({
            "latency_ms": self.latency_ms,
            "subcall_cost_ms": self.subcall_cost_ms,
            "bucket": self.bucket.name(),
            "fault_5xx_pct": self.fault_5xx_pct,
            "fault_drop_pct": self.fault_drop_pct,
            "fault_query_limit_pct": self.fault_query_limit_pct,
            "hang_next": self.hang_next,
            "malformed_next": self.malformed_next,
            "expire_every": self.expire_every,
            "insert_every": self.insert_every,
            "delete_every": self.delete_every,
            "total_pct": self.total_pct,
            "blocked_methods": self.blocked_methods,
            "disabled_methods": self.disabled_methods,
            "app_scopes": self.app_scopes,
            "utc_offset": b24_portal::clock::format_offset(self.utc_offset_s),
        })
    }
}

/// A non-negative integer; also accepts `true`/`false` (1/0) and numeric strings.
fn count(key: &str, value: &Value) -> Result<u64, String> {
    let parsed = match value {
        Value::Number(n) => n.as_u64(),
        Value::Bool(b) => Some(u64::from(*b)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    parsed.ok_or_else(|| format!("{key}: expected a non-negative integer, got {value}"))
}

/// A number in 0..=100; also accepts numeric strings.
fn percent(key: &str, value: &Value) -> Result<f64, String> {
    let parsed = match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    match parsed {
        Some(p) if (0.0..=100.0).contains(&p) => Ok(p),
        _ => Err(format!("{key}: expected a percentage 0..100, got {value}")),
    }
}

/// A list of scope names: a JSON array of strings or the command-line form `"task,user"`
/// (`""` = no scope at all). Names are lower-case letters, digits and `_`.
fn scope_list(key: &str, value: &Value) -> Result<Vec<String>, String> {
    let names: Vec<String> = match value {
        Value::String(text) => text
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().map(|s| s.trim().to_string()))
            .collect::<Option<_>>()
            .ok_or_else(|| format!("{key}: expected scope names as strings, got {value}"))?,
        _ => {
            return Err(format!(
                "{key}: expected [\"task\", …] or \"task,user\", got {value}"
            ))
        }
    };
    let valid = |s: &String| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    };
    match names.iter().find(|s| !valid(s)) {
        Some(bad) => Err(format!(
            "{key}: {bad:?} is not a scope name (like task or user)"
        )),
        None => Ok(names),
    }
}

/// A UTC offset: `"+02:00"` (also `"+0200"`, `"-5"`, `"Z"`) or a number of seconds, within
/// −12:00 ..= +14:00.
fn utc_offset(key: &str, value: &Value) -> Result<i32, String> {
    let parsed = match value {
        Value::String(s) => b24_portal::clock::parse_offset(s),
        Value::Number(n) => n
            .as_i64()
            .and_then(|v| i32::try_from(v).ok())
            .filter(|v| b24_portal::clock::UTC_OFFSET_RANGE_S.contains(v) && v % 60 == 0),
        _ => None,
    };
    parsed.ok_or_else(|| {
        format!("{key}: expected an offset like \"+03:00\" or seconds, within -12:00..+14:00, got {value}")
    })
}

/// How many tasks one mutation touches: 1 ..= [`MAX_MUTATION`].
fn mutation(key: &str, value: &Value) -> Result<usize, String> {
    match count(key, value)? {
        n @ 1..=MAX_MUTATION => Ok(n as usize),
        n => Err(format!("{key}: expected 1..={MAX_MUTATION} tasks, got {n}")),
    }
}

fn method_name(key: &str, value: &Value) -> Result<String, String> {
    match value.as_str().map(str::trim) {
        Some(m) if !m.is_empty() => Ok(m.to_string()),
        _ => Err(format!("{key}: expected a REST method name, got {value}")),
    }
}

/// `{"user": U, "count": N, "seed": S}` (seed optional).
fn visibility(key: &str, value: &Value) -> Result<VisibilityChange, String> {
    let Value::Object(obj) = value else {
        return Err(format!(
            "{key}: expected {{\"user\":U,\"count\":N,\"seed\":S}}, got {value}"
        ));
    };
    if let Some(other) = obj
        .keys()
        .find(|k| !["user", "count", "seed"].contains(&k.as_str()))
    {
        return Err(format!("{key}: unknown member {other:?}"));
    }
    let user = count(key, obj.get("user").unwrap_or(&Value::Null))?;
    if user == 0 {
        return Err(format!("{key}: user must be a user ID ≥ 1"));
    }
    Ok(VisibilityChange {
        user,
        count: mutation(key, obj.get("count").unwrap_or(&Value::Null))?,
        seed: obj.get("seed").map_or(Ok(1), |v| count(key, v))?,
    })
}

/// `{"method": "...", "seconds": n}` or the command-line form `"method:seconds"`.
fn block_action(value: &Value) -> Result<PortalAction, String> {
    let key = "block_method";
    match value {
        Value::Object(obj) => {
            let method = method_name(key, obj.get("method").unwrap_or(&Value::Null))?;
            let seconds = count(key, obj.get("seconds").unwrap_or(&Value::Null))?;
            Ok(PortalAction::BlockMethod { method, seconds })
        }
        Value::String(text) => {
            let (method, seconds) = text
                .rsplit_once(':')
                .ok_or_else(|| format!("{key}: expected METHOD:SECONDS, got {text:?}"))?;
            let method = method_name(key, &Value::String(method.to_string()))?;
            let seconds = count(key, &Value::String(seconds.to_string()))?;
            Ok(PortalAction::BlockMethod { method, seconds })
        }
        _ => Err(format!(
            "{key}: expected {{\"method\":\"…\",\"seconds\":n}}, got {value}"
        )),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn applies_all_or_nothing() {
        let mut k = Knobs::default();
        let err = k
            .apply(&obj(json!({"latency_ms": 5, "fault_5xx_pct": 101})))
            .unwrap_err();
        assert!(err.contains("fault_5xx_pct"), "{err}");
        assert_eq!(k.latency_ms, 0);
        let actions = k
            .apply(&obj(json!({"latency_ms": 5, "bucket": "off",
                "block_method": {"method": "task.item.list", "seconds": 5},
                "disable_method": "batch"})))
            .unwrap();
        assert_eq!(k.latency_ms, 5);
        assert_eq!(k.bucket, BucketMode::Off);
        assert_eq!(actions.len(), 2);
    }

    #[test]
    fn rejects_unknown_knob() {
        let mut k = Knobs::default();
        assert!(k.apply(&obj(json!({"latencyms": 1}))).is_err());
    }

    #[test]
    fn app_scopes_accept_both_forms_and_reject_junk() {
        let mut k = Knobs::default();
        assert_eq!(k.app_scopes, ["task", "user"]);
        k.apply(&obj(json!({"app_scopes": "user"}))).unwrap();
        assert_eq!(k.app_scopes, ["user"]);
        k.apply(&obj(json!({"app_scopes": ["task", "user"]})))
            .unwrap();
        assert_eq!(k.app_scopes, ["task", "user"]);
        k.apply(&obj(json!({"app_scopes": ""}))).unwrap();
        assert!(k.app_scopes.is_empty());
        assert!(k.apply(&obj(json!({"app_scopes": "Task!"}))).is_err());
        assert!(k.apply(&obj(json!({"app_scopes": 3}))).is_err());
        assert_eq!(k.to_json()["app_scopes"], json!([]));
    }

    #[test]
    fn utc_offset_and_mutations_validate() {
        let mut k = Knobs::default();
        assert_eq!(k.to_json()["utc_offset"], json!("+03:00"));
        let a = k
            .apply(&obj(json!({"utc_offset": "+02:00", "update_tasks": 5})))
            .unwrap();
        assert_eq!(
            a,
            vec![
                PortalAction::SetUtcOffset(7200),
                PortalAction::UpdateTasks(5)
            ]
        );
        assert_eq!(k.to_json()["utc_offset"], json!("+02:00"));
        k.apply(&obj(json!({"utc_offset": -18_000}))).unwrap();
        assert_eq!(k.to_json()["utc_offset"], json!("-05:00"));
        for bad in [
            json!({"utc_offset": "Moscow"}),
            json!({"utc_offset": "+15:00"}),
            json!({"utc_offset": 7201}),
            json!({"insert_tasks": 0}),
            json!({"delete_tasks": 100_001}),
            json!({"update_tasks": "many"}),
            json!({"hide_tasks": 5}),
            json!({"hide_tasks": {"user": 0, "count": 5}}),
            json!({"reveal_tasks": {"user": 2}}),
            json!({"reveal_tasks": {"user": 2, "count": 3, "sed": 1}}),
            json!({"view_tasks": {"count": 3}}),
        ] {
            assert!(k.apply(&obj(bad.clone())).is_err(), "{bad}");
        }
        assert_eq!(k.utc_offset_s, -18_000);
    }

    #[test]
    fn visibility_changes_parse_with_a_default_seed() {
        let mut k = Knobs::default();
        let a = k
            .apply(&obj(
                json!({"hide_tasks": {"user": 3, "count": 20, "seed": 5},
                "reveal_tasks": {"user": "1", "count": 2},
                "view_tasks": {"user": 4, "count": 7, "seed": 2}}),
            ))
            .unwrap();
        assert!(a.contains(&PortalAction::ViewTasks(VisibilityChange {
            user: 4,
            count: 7,
            seed: 2
        })));
        assert!(a.contains(&PortalAction::HideTasks(VisibilityChange {
            user: 3,
            count: 20,
            seed: 5
        })));
        assert!(a.contains(&PortalAction::RevealTasks(VisibilityChange {
            user: 1,
            count: 2,
            seed: 1
        })));
    }

    #[test]
    fn block_method_accepts_cli_form() {
        let a = block_action(&json!("task.item.list:7")).unwrap();
        assert_eq!(
            a,
            PortalAction::BlockMethod {
                method: "task.item.list".into(),
                seconds: 7
            }
        );
        assert!(block_action(&json!("task.item.list")).is_err());
    }
}
