//! FILTER of `task.item.list` / `tasks.task.list`: `[prefix]FIELD => value`
//! (docs/platform/task-list.md, "FILTER").
//!
//! Supported fields: ID, TITLE, PRIORITY, REAL_STATUS, STATUS (meta-aware, the same CASE as
//! the STATUS column, docs/platform/task-list.md "Meta statuses"), RESPONSIBLE_ID, CREATED_BY,
//! GROUP_ID, and the dates DEADLINE, CREATED_DATE, CHANGED_DATE, CLOSED_DATE, DATE_START,
//! ACTIVITY_DATE. Operators: none/`=`
//! (equal; an array is IN), `!`/`!=` (not equal; an array is NOT IN), `<`, `<=`, `>`, `>=`,
//! `%` (substring, case-insensitive), `!%`. Any other allowed field or operator answers
//! `EMULATOR_UNSUPPORTED`.
//!
//! Date values (docs/platform/task-list.md, "Date values in FILTER"): ISO 8601 with or without
//! an offset, `YYYY-MM-DD`, or the site format `DD.MM.YYYY[ HH:MI[:SS]]`; without an offset
//! they are the portal's local time. An unset date never passes `<`, `<=`, `>`, `>=` or `=`
//! (SQL NULL) but passes `!`; `""` as the value means "unset" (`=`) / "set" (`!`). A value
//! that is no date answers `EMULATOR_UNSUPPORTED`.
//!
//! **Derived array semantics** (how CTasks builds SQL from PHP values): a comparison whose
//! value is an array is an OR over its elements, each element converted like PHP `intval`
//! (a row array → 1, an empty array → 0, `"123"` → 123); an **empty** array makes the whole
//! condition disappear. This is what a batch reference that resolved to a whole page (or to
//! `[]`) turns into: `<ID` = [rows…] means `ID < 1` (nothing), `<ID` = [] means no filter at all
//! (the page starts from the top again — the duplicate/loss trap of chained keyset paging).

use crate::call::ApiError;
use crate::clock::parse_filter_date;
use crate::dataset::Task;
use crate::php::{Key, PhpArray, PhpValue};
use crate::rows::meta_status;

/// A filterable field this model evaluates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// ID.
    Id,
    /// TITLE.
    Title,
    /// PRIORITY.
    Priority,
    /// REAL_STATUS.
    RealStatus,
    /// STATUS (meta status per caller and time).
    Status,
    /// RESPONSIBLE_ID.
    ResponsibleId,
    /// CREATED_BY.
    CreatedBy,
    /// GROUP_ID.
    GroupId,
    /// DEADLINE.
    Deadline,
    /// CREATED_DATE.
    CreatedDate,
    /// CHANGED_DATE.
    ChangedDate,
    /// CLOSED_DATE.
    ClosedDate,
    /// DATE_START.
    DateStart,
    /// ACTIVITY_DATE (the model keeps it equal to CHANGED_DATE).
    ActivityDate,
}

impl Field {
    fn is_date(self) -> bool {
        matches!(
            self,
            Field::Deadline
                | Field::CreatedDate
                | Field::ChangedDate
                | Field::ClosedDate
                | Field::DateStart
                | Field::ActivityDate
        )
    }
}

/// A date value of a FILTER.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateArg {
    /// An instant (the value named its offset), Unix s.
    At(i64),
    /// A wall-clock time in the portal's time zone, as Unix s of that wall time at UTC.
    Local(i64),
    /// `""`: the date is not set.
    Unset,
}

impl DateArg {
    fn at(self, offset_s: i32) -> Option<i64> {
        match self {
            DateArg::At(t) => Some(t),
            DateArg::Local(w) => Some(w - i64::from(offset_s)),
            DateArg::Unset => None,
        }
    }
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `=` or no prefix.
    Eq,
    /// `!` or `!=`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
    /// `%`.
    Like,
    /// `!%`.
    NotLike,
}

/// One condition on a non-ID-range field.
#[derive(Clone, Debug, PartialEq)]
pub enum Cond {
    /// A numeric field against integer values.
    Ints(Field, Op, Vec<i64>),
    /// TITLE against lower-cased texts.
    Text(Op, Vec<String>),
    /// A date field against dates.
    Dates(Field, Op, Vec<DateArg>),
}

/// A translated filter: an inclusive ID range plus remaining conditions (all ANDed).
#[derive(Clone, Debug, PartialEq)]
pub struct Filter {
    /// Smallest ID allowed.
    pub id_lo: i64,
    /// Largest ID allowed.
    pub id_hi: i64,
    /// Other conditions.
    pub conds: Vec<Cond>,
}

impl Default for Filter {
    fn default() -> Filter {
        Filter {
            id_lo: i64::MIN,
            id_hi: i64::MAX,
            conds: Vec::new(),
        }
    }
}

/// The "filterable" keys of the allow-list (CTasks manifest; approximate list, plus `UF_*`).
pub const FILTERABLE: [&str; 46] = [
    "ID",
    "PARENT_ID",
    "GROUP_ID",
    "CREATED_BY",
    "STATUS_CHANGED_BY",
    "PRIORITY",
    "FORUM_TOPIC_ID",
    "RESPONSIBLE_ID",
    "TITLE",
    "TAG",
    "REAL_STATUS",
    "STATUS",
    "MARK",
    "SITE_ID",
    "ADD_IN_REPORT",
    "DATE_START",
    "DEADLINE",
    "CREATED_DATE",
    "CLOSED_DATE",
    "CHANGED_DATE",
    "ACCOMPLICE",
    "AUDITOR",
    "DOER",
    "MEMBER",
    "DEPENDS_ON",
    "ONLY_ROOT_TASKS",
    "SUBORDINATE_TASKS",
    "OVERDUED",
    "DEPARTMENT_ID",
    "STAGE_ID",
    "START_DATE_PLAN",
    "END_DATE_PLAN",
    "CLOSED_BY",
    "ACTIVITY_DATE",
    "GUID",
    "FAVORITE",
    "ALLOW_TIME_TRACKING",
    "MATCH_WORK_TIME",
    "TIME_ESTIMATE",
    "CHANGED_BY",
    "DESCRIPTION",
    "VIEWED",
    "STATUS_EXPIRED",
    "CHECK_PERMISSIONS",
    "SAME_GROUP_PARENT",
    "EPIC",
];

/// True when `key` passes the FILTER allow-list: every prefix character (`= ! % ? > <`) is
/// removed anywhere in the key (`str_replace` with the prefix list), then the rest must be
/// an allowed field or a user field.
pub fn key_allowed(key: &Key) -> bool {
    let text = key.to_text();
    let bare: String = text
        .chars()
        .filter(|c| !matches!(c, '=' | '!' | '%' | '?' | '>' | '<'))
        .collect();
    FILTERABLE.contains(&bare.as_str()) || bare.starts_with("UF_")
}

fn field(name: &str) -> Option<Field> {
    Some(match name {
        "ID" => Field::Id,
        "TITLE" => Field::Title,
        "PRIORITY" => Field::Priority,
        "REAL_STATUS" => Field::RealStatus,
        "STATUS" => Field::Status,
        "RESPONSIBLE_ID" => Field::ResponsibleId,
        "CREATED_BY" => Field::CreatedBy,
        "GROUP_ID" => Field::GroupId,
        "DEADLINE" => Field::Deadline,
        "CREATED_DATE" => Field::CreatedDate,
        "CHANGED_DATE" => Field::ChangedDate,
        "CLOSED_DATE" => Field::ClosedDate,
        "DATE_START" => Field::DateStart,
        "ACTIVITY_DATE" => Field::ActivityDate,
        _ => return None,
    })
}

fn op(prefix: &str) -> Option<Op> {
    Some(match prefix {
        "" | "=" => Op::Eq,
        "!" | "!=" => Op::Ne,
        "<" => Op::Lt,
        "<=" => Op::Le,
        ">" => Op::Gt,
        ">=" => Op::Ge,
        "%" => Op::Like,
        "!%" => Op::NotLike,
        _ => return None,
    })
}

fn unsupported(method: &str, key: &str, why: &str) -> ApiError {
    ApiError::unsupported(format!(
        "{method}: filter key \"{key}\" is not emulated by b24-portal ({why})"
    ))
}

/// Translates FILTER (already allow-list checked); `method` names the method in errors.
pub fn translate(filter: &PhpArray, method: &str) -> Result<Filter, ApiError> {
    let mut f = Filter::default();
    for (key, value) in filter.iter() {
        let text = key.to_text();
        let split = text
            .find(|c: char| !matches!(c, '=' | '!' | '%' | '?' | '>' | '<'))
            .unwrap_or(text.len());
        let (prefix, name) = text.split_at(split);
        let Some(fld) = field(name) else {
            return Err(unsupported(method, &text, "supported: ID, TITLE, PRIORITY, REAL_STATUS, STATUS, RESPONSIBLE_ID, CREATED_BY, GROUP_ID, DEADLINE, CREATED_DATE, CHANGED_DATE, CLOSED_DATE, DATE_START, ACTIVITY_DATE"));
        };
        let Some(o) = op(prefix) else {
            return Err(unsupported(method, &text, "operator"));
        };
        let items: Vec<&PhpValue> = match value {
            PhpValue::Array(a) if a.is_empty() => continue, // derived: condition disappears
            PhpValue::Array(a) => a.values().collect(),
            v => vec![v],
        };
        if fld == Field::Title {
            if matches!(o, Op::Lt | Op::Le | Op::Gt | Op::Ge) {
                return Err(unsupported(method, &text, "TITLE comparisons"));
            }
            let texts = items
                .iter()
                .map(|v| v.to_text().unwrap_or_else(|| "Array".into()).to_lowercase())
                .collect();
            f.conds.push(Cond::Text(o, texts));
            continue;
        }
        if matches!(o, Op::Like | Op::NotLike) {
            return Err(unsupported(
                method,
                &text,
                "substring match on a number or date",
            ));
        }
        if fld.is_date() {
            let dates = items
                .iter()
                .map(|v| date_arg(v, o))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|why| unsupported(method, &text, &why))?;
            f.conds.push(Cond::Dates(fld, o, dates));
            continue;
        }
        let ints: Vec<i64> = items.iter().map(|v| v.intval()).collect();
        if fld == Field::Id {
            let max = ints.iter().copied().max().unwrap_or(0);
            let min = ints.iter().copied().min().unwrap_or(0);
            match o {
                Op::Lt => f.id_hi = f.id_hi.min(max.saturating_sub(1)),
                Op::Le => f.id_hi = f.id_hi.min(max),
                Op::Gt => f.id_lo = f.id_lo.max(min.saturating_add(1)),
                Op::Ge => f.id_lo = f.id_lo.max(min),
                Op::Eq if ints.len() == 1 => {
                    f.id_lo = f.id_lo.max(min);
                    f.id_hi = f.id_hi.min(max);
                }
                _ => f.conds.push(Cond::Ints(fld, o, ints)),
            }
            continue;
        }
        f.conds.push(Cond::Ints(fld, o, ints));
    }
    Ok(f)
}

/// One date value of a FILTER; the error says why it is not read.
fn date_arg(v: &PhpValue, o: Op) -> Result<DateArg, String> {
    let text = v.to_text().unwrap_or_default();
    if text.trim().is_empty() {
        return match o {
            Op::Eq | Op::Ne => Ok(DateArg::Unset),
            _ => Err("an empty date with a comparison".into()),
        };
    }
    // Read twice at two offsets: a value that names its offset gives the same instant.
    let (a, b) = (parse_filter_date(&text, 0), parse_filter_date(&text, 3600));
    match (a, b) {
        (Some(a), Some(b)) if a == b => Ok(DateArg::At(a)),
        (Some(a), Some(_)) => Ok(DateArg::Local(a)),
        _ => Err(format!(
            "{text:?} is not a date; use 2025-10-24T19:00:00+03:00, 2025-10-24 or 24.10.2025"
        )),
    }
}

/// The task's value of a date field.
fn date_of(field: Field, t: &Task) -> Option<i64> {
    match field {
        Field::Deadline => t.deadline,
        Field::CreatedDate => Some(t.created),
        Field::ChangedDate | Field::ActivityDate => Some(t.changed),
        Field::ClosedDate => t.closed,
        Field::DateStart => t.date_start,
        _ => None,
    }
}

fn int_of(field: Field, t: &Task, caller: u64, now_s: i64) -> i64 {
    match field {
        Field::Id => t.id as i64,
        Field::Priority => i64::from(t.priority),
        Field::RealStatus => i64::from(t.real_status),
        Field::Status => meta_status(t, caller, now_s),
        Field::ResponsibleId => i64::from(t.responsible_id),
        Field::CreatedBy => i64::from(t.created_by),
        Field::GroupId => i64::from(t.group_id),
        _ => 0,
    }
}

impl Cond {
    /// True when `t` satisfies the condition for `caller` at `now_s` on a portal at
    /// `offset_s`.
    pub fn matches(&self, t: &Task, caller: u64, now_s: i64, offset_s: i32) -> bool {
        match self {
            Cond::Dates(fld, o, vals) => {
                let x = date_of(*fld, t);
                let eq = |v: &DateArg| match v {
                    DateArg::Unset => x.is_none(),
                    v => x.is_some() && x == v.at(offset_s),
                };
                let cmp = |v: &DateArg, f: fn(i64, i64) -> bool| matches!((x, v.at(offset_s)), (Some(x), Some(v)) if f(x, v));
                match o {
                    Op::Eq => vals.iter().any(eq),
                    Op::Ne => !vals.iter().any(eq),
                    Op::Lt => vals.iter().any(|v| cmp(v, |x, v| x < v)),
                    Op::Le => vals.iter().any(|v| cmp(v, |x, v| x <= v)),
                    Op::Gt => vals.iter().any(|v| cmp(v, |x, v| x > v)),
                    Op::Ge => vals.iter().any(|v| cmp(v, |x, v| x >= v)),
                    Op::Like | Op::NotLike => false,
                }
            }
            Cond::Ints(fld, o, vals) => {
                let x = int_of(*fld, t, caller, now_s);
                match o {
                    Op::Eq => vals.contains(&x),
                    Op::Ne => !vals.contains(&x),
                    Op::Lt => vals.iter().any(|v| x < *v),
                    Op::Le => vals.iter().any(|v| x <= *v),
                    Op::Gt => vals.iter().any(|v| x > *v),
                    Op::Ge => vals.iter().any(|v| x >= *v),
                    Op::Like | Op::NotLike => false,
                }
            }
            Cond::Text(o, vals) => {
                let title = t.title().to_lowercase();
                match o {
                    Op::Eq => vals.contains(&title),
                    Op::Ne => !vals.contains(&title),
                    Op::Like => vals.iter().any(|v| title.contains(v.as_str())),
                    Op::NotLike => !vals.iter().any(|v| title.contains(v.as_str())),
                    _ => false,
                }
            }
        }
    }
}

impl Filter {
    /// True when `t` passes every non-range condition (`offset_s`: the portal's offset, for
    /// dates written without one).
    pub fn matches(&self, t: &Task, caller: u64, now_s: i64, offset_s: i32) -> bool {
        self.conds
            .iter()
            .all(|c| c.matches(t, caller, now_s, offset_s))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::querystring::parse_str;

    fn tr(q: &str) -> Filter {
        translate(&parse_str(q), "task.item.list").unwrap()
    }

    #[test]
    fn id_comparisons_become_a_range() {
        let f = tr("%3CID=100&%3E%3DID=10");
        assert_eq!((f.id_lo, f.id_hi), (10, 99));
        let f = tr("ID=7");
        assert_eq!((f.id_lo, f.id_hi), (7, 7));
    }

    #[test]
    fn array_values_or_over_intvals_and_empty_arrays_vanish() {
        // `<ID` = [row, row] → each row intval 1 → ID < 1.
        let mut filter = PhpArray::new();
        let mut rows = PhpArray::new();
        let mut row = PhpArray::new();
        row.insert(Key::Str("ID".into()), PhpValue::Str("500".into()));
        rows.push(PhpValue::Array(row.clone()));
        rows.push(PhpValue::Array(row));
        filter.insert(Key::Str("<ID".into()), PhpValue::Array(rows));
        let f = translate(&filter, "m").unwrap();
        assert_eq!(f.id_hi, 0);
        // `<ID` = [] → no condition at all.
        let mut filter = PhpArray::new();
        filter.insert(Key::Str("<ID".into()), PhpValue::Array(PhpArray::new()));
        assert_eq!(translate(&filter, "m").unwrap(), Filter::default());
        // `<ID` = ["5", "9"] → ID < 9.
        assert_eq!(tr("%3CID[]=5&%3CID[]=9").id_hi, 8);
    }

    #[test]
    fn allow_list_strips_prefix_characters_anywhere() {
        assert!(key_allowed(&Key::Str(">=ID".into())));
        assert!(key_allowed(&Key::Str("I>D".into())));
        assert!(key_allowed(&Key::Str("UF_CRM_TASK".into())));
        assert!(!key_allowed(&Key::Str("FOO".into())));
        assert!(!key_allowed(&Key::Int(0)));
    }

    #[test]
    fn unsupported_fields_and_operators_are_loud() {
        let e = translate(&parse_str("DEADLINE=1"), "task.item.list").unwrap_err();
        assert_eq!(e.code, "EMULATOR_UNSUPPORTED");
        assert!(e.description.contains("DEADLINE") && e.description.contains("not a date"));
        assert!(translate(&parse_str("%3CDEADLINE="), "m").is_err());
        assert!(translate(&parse_str("%25DEADLINE=2025-01-01"), "m").is_err());
        assert!(translate(&parse_str("MARK=P"), "m").is_err());
        assert!(translate(&parse_str("%3E%3CID=1"), "m").is_err());
        assert!(translate(&parse_str("%25ID=1"), "m").is_err());
    }
}
