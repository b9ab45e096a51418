//! ORDER of the task lists: allow-list, direction, sort keys (docs/platform/task-list.md,
//! "ORDER").
//!
//! Anything but `asc` (case-insensitive) is descending; STATUS is accepted and silently
//! ignored; RESPONSIBLE_ID / CREATED_BY sort by the user's last name; NULLs sort first
//! ascending (MySQL). Ties are broken by ID ascending (primary-key order). With no effective
//! ORDER the rows come in primary-key order, ID **ascending** (derived: the query builder adds
//! no ORDER BY, docs/platform/task-list.md "ORDER") — always send `{"ID":"desc"}`.

use std::cmp::Ordering;

use crate::dataset::{user, Task};
use crate::php::{Key, PhpArray};

/// The "sortable" keys (`CTasks::getPublicFieldMap`).
pub const SORTABLE: [&str; 21] = [
    "TITLE",
    "DEADLINE",
    "START_DATE_PLAN",
    "END_DATE_PLAN",
    "PRIORITY",
    "ALLOW_CHANGE_DEADLINE",
    "GROUP_ID",
    "RESPONSIBLE_ID",
    "TIME_ESTIMATE",
    "ID",
    "CREATED_BY",
    "STATUS",
    "DATE_START",
    "CREATED_DATE",
    "CHANGED_DATE",
    "CLOSED_DATE",
    "ACTIVITY_DATE",
    "MARK",
    "FAVORITE",
    "ALLOW_TIME_TRACKING",
    "MATCH_WORK_TIME",
];

/// True when `key` is a sortable field name.
pub fn key_allowed(key: &Key) -> bool {
    matches!(key, Key::Str(s) if SORTABLE.contains(&s.as_str()))
}

/// One sort key with its direction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SortKey {
    /// Field name (from [`SORTABLE`], never STATUS).
    pub field: &'static str,
    /// True for descending.
    pub desc: bool,
}

/// Effective sort keys of an (allow-listed) ORDER array; keys after ID are dropped (ID is
/// unique), STATUS is ignored.
pub fn translate(order: &PhpArray) -> Vec<SortKey> {
    let mut keys = Vec::new();
    for (k, v) in order.iter() {
        let Key::Str(name) = k else { continue };
        let Some(field) = SORTABLE.iter().find(|s| **s == name.as_str()) else {
            continue;
        };
        if *field == "STATUS" {
            continue;
        }
        let desc = !v.to_text().is_some_and(|d| d.eq_ignore_ascii_case("asc"));
        keys.push(SortKey { field, desc });
        if *field == "ID" {
            break;
        }
    }
    keys
}

/// A comparable value of a task for one sort field.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SortVal {
    /// SQL NULL (sorts first ascending).
    Null,
    /// A number.
    Int(i64),
    /// A case-folded text.
    Text(String),
}

fn last_name(id: u16) -> SortVal {
    SortVal::Text(user(u64::from(id)).map_or(String::new(), |u| u.last_name.to_lowercase()))
}

fn opt(v: Option<i64>) -> SortVal {
    v.map_or(SortVal::Null, SortVal::Int)
}

/// The sort value of `t` for `field`.
pub fn value(field: &str, t: &Task) -> SortVal {
    match field {
        "TITLE" => SortVal::Text(t.title().to_lowercase()),
        "DEADLINE" => opt(t.deadline),
        "PRIORITY" => SortVal::Int(i64::from(t.priority)),
        "ALLOW_CHANGE_DEADLINE" => {
            SortVal::Text(if t.text_seed % 3 == 0 { "y" } else { "n" }.into())
        }
        "GROUP_ID" => SortVal::Int(i64::from(t.group_id)),
        "RESPONSIBLE_ID" => last_name(t.responsible_id),
        "CREATED_BY" => last_name(t.created_by),
        "TIME_ESTIMATE" => SortVal::Int(i64::from(t.time_estimate_s())),
        "ID" => SortVal::Int(t.id as i64),
        "DATE_START" => opt(t.date_start),
        "CREATED_DATE" => SortVal::Int(t.created),
        "CHANGED_DATE" | "ACTIVITY_DATE" => SortVal::Int(t.changed),
        "CLOSED_DATE" => opt(t.closed),
        "FAVORITE" | "ALLOW_TIME_TRACKING" | "MATCH_WORK_TIME" => SortVal::Text("n".into()),
        // START_DATE_PLAN, END_DATE_PLAN, MARK are empty in this dataset.
        _ => SortVal::Null,
    }
}

/// Compares two rows' precomputed key vectors under `keys`, ties by ID ascending.
pub fn compare(keys: &[SortKey], a: &(Vec<SortVal>, u64), b: &(Vec<SortVal>, u64)) -> Ordering {
    for (i, k) in keys.iter().enumerate() {
        let (x, y) = (a.0.get(i), b.0.get(i));
        let o = if k.desc { y.cmp(&x) } else { x.cmp(&y) };
        if o != Ordering::Equal {
            return o;
        }
    }
    a.1.cmp(&b.1)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::querystring::parse_str;

    #[test]
    fn direction_and_status_rules() {
        let k = translate(&parse_str(
            "STATUS=asc&PRIORITY=ASC&TITLE=anything&ID=desc&DEADLINE=asc",
        ));
        assert_eq!(
            k,
            vec![
                SortKey {
                    field: "PRIORITY",
                    desc: false
                },
                SortKey {
                    field: "TITLE",
                    desc: true
                },
                SortKey {
                    field: "ID",
                    desc: true
                },
            ]
        );
    }
}
