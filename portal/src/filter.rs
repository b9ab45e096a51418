//! FILTER of `task.item.list` / `tasks.task.list`: `[prefix]FIELD => value`
//! (docs/platform/task-list.md, "FILTER").
//!
//! Supported fields: ID, TITLE, PRIORITY, REAL_STATUS, STATUS (meta-aware, the same CASE as
//! the STATUS column, docs/platform/task-list.md "Meta statuses"), RESPONSIBLE_ID, CREATED_BY,
//! GROUP_ID. Operators: none/`=`
//! (equal; an array is IN), `!`/`!=` (not equal; an array is NOT IN), `<`, `<=`, `>`, `>=`,
//! `%` (substring, case-insensitive), `!%`. Any other allowed field or operator answers
//! `EMULATOR_UNSUPPORTED`.
//!
//! **Derived array semantics** (how CTasks builds SQL from PHP values): a comparison whose
//! value is an array is an OR over its elements, each element converted like PHP `intval`
//! (a row array → 1, an empty array → 0, `"123"` → 123); an **empty** array makes the whole
//! condition disappear. This is what a batch reference that resolved to a whole page (or to
//! `[]`) turns into: `<ID` = [rows…] means `ID < 1` (nothing), `<ID` = [] means no filter at all
//! (the page starts from the top again — the duplicate/loss trap of chained keyset paging).

use crate::call::ApiError;
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
            return Err(unsupported(method, &text, "supported: ID, TITLE, PRIORITY, REAL_STATUS, STATUS, RESPONSIBLE_ID, CREATED_BY, GROUP_ID"));
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
            return Err(unsupported(method, &text, "substring match on a number"));
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

fn int_of(field: Field, t: &Task, caller: u64, now_s: i64) -> i64 {
    match field {
        Field::Id => t.id as i64,
        Field::Priority => i64::from(t.priority),
        Field::RealStatus => i64::from(t.real_status),
        Field::Status => meta_status(t, caller, now_s),
        Field::ResponsibleId => i64::from(t.responsible_id),
        Field::CreatedBy => i64::from(t.created_by),
        Field::GroupId => i64::from(t.group_id),
        Field::Title => 0,
    }
}

impl Cond {
    /// True when `t` satisfies the condition for `caller` at `now_s`.
    pub fn matches(&self, t: &Task, caller: u64, now_s: i64) -> bool {
        match self {
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
    /// True when `t` passes every non-range condition.
    pub fn matches(&self, t: &Task, caller: u64, now_s: i64) -> bool {
        self.conds.iter().all(|c| c.matches(t, caller, now_s))
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
        assert!(e.description.contains("DEADLINE"));
        assert!(translate(&parse_str("%3E%3CID=1"), "m").is_err());
        assert!(translate(&parse_str("%25ID=1"), "m").is_err());
    }
}
