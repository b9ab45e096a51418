//! What to ask the portal next: the list calls' parameters and the composition of `batch`
//! calls (`docs/platform/task-list.md`, "Positional parameters", "PARAMS and paging",
//! "Loading a long list"; `docs/platform/batch.md`).
//!
//! * The first request is one plain list call, `>ID 0`, ID descending, page 1: its 50 rows
//!   are on screen after one round trip and its `total` sizes the plan.
//! * Keyset chains (the default): work is a list of ID [`Range`]s; each range is loaded by
//!   batch commands `p0` (`<ID` = literal cursor) and `p_i` (`<ID` =
//!   `$result[p{i-1}][49][ID]`), as many as `ceil(estimate / 50)`, at most 50 per batch.
//! * Page numbers (the benchmark's alternative, feature `page-numbers`) are planned in
//!   `loader/page_numbers.rs`.
//!
//! A real FILTER is always sent: an empty `{}` would produce no fields and shift the
//! positional parameters (`docs/platform/frame-protocol.md`, "Traps").

use crate::report::params::{BatchCommand, Param};
use crate::report::task::TaskId;
use crate::report::wire::{TaskApi, ITEM_FIELDS};

/// The request's SELECT: the fields the row decoder reads ([`ITEM_FIELDS`], one list for
/// both; the portal adds its minimal select on top).
pub const SELECT: [&str; 14] = ITEM_FIELDS;

/// The largest page the portal serves.
pub const MAX_PAGE_SIZE: u32 = 50;

/// The most commands one `batch` may carry.
pub const MAX_BATCH: u32 = 50;

/// An upper bound of a list filter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Bound {
    /// A known ID.
    Literal(TaskId),
    /// A batch reference such as `$result[p0][49][ID]`, resolved by the portal.
    Reference(String),
}

/// The FILTER of one list call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListFilter {
    /// `<ID` (exclusive upper bound).
    pub below: Option<Bound>,
    /// `<=ID` (inclusive ceiling).
    pub at_most: Option<TaskId>,
    /// `>ID` (exclusive lower bound); sent when non-zero or when there is no upper bound.
    pub above: TaskId,
}

impl ListFilter {
    /// The first page: `>ID 0`.
    pub fn all() -> Self {
        Self {
            below: None,
            at_most: None,
            above: TaskId(0),
        }
    }

    fn to_param(&self) -> Param {
        let mut entries: Vec<(String, Param)> = Vec::new();
        if let Some(below) = &self.below {
            let value = match below {
                Bound::Literal(id) => id.0.to_string(),
                Bound::Reference(r) => r.clone(),
            };
            entries.push(("<ID".into(), Param::Str(value)));
        }
        if let Some(ceiling) = self.at_most {
            entries.push(("<=ID".into(), Param::Str(ceiling.0.to_string())));
        }
        if self.above.0 > 0 || entries.is_empty() {
            entries.push((">ID".into(), Param::Str(self.above.0.to_string())));
        }
        Param::Map(entries)
    }
}

/// The parameters of one list call of `api` (page `page`, 1-based).
///
/// `task.item.list`: positional ORDER, FILTER, PARAMS (`NAV_PARAMS`), SELECT.
/// `tasks.task.list`: named `order`, `filter`, `select`, and `start` for pages after the
/// first (its page size is fixed at 50).
pub fn list_params(api: TaskApi, filter: &ListFilter, page: u32, page_size: u32) -> Param {
    let order = Param::map([("ID", Param::str("desc"))]);
    match api {
        TaskApi::ItemList => Param::list([
            order,
            filter.to_param(),
            Param::map([(
                "NAV_PARAMS",
                Param::map([
                    ("nPageSize", Param::from(page_size)),
                    ("iNumPage", Param::from(page.max(1))),
                ]),
            )]),
            Param::strs(SELECT),
        ]),
        TaskApi::TaskList => {
            let mut entries = vec![
                ("order".to_string(), order),
                ("filter".to_string(), filter.to_param()),
                ("select".to_string(), Param::strs(SELECT)),
            ];
            if page > 1 {
                let start = u64::from(page - 1) * u64::from(MAX_PAGE_SIZE);
                entries.push(("start".to_string(), Param::from(start)));
            }
            Param::Map(entries)
        }
    }
}

/// The batch reference to the ID of the last row of a full page answered by command `key`.
pub fn last_id_reference(api: TaskApi, key: &str, page_size: u32) -> String {
    let last = page_size.saturating_sub(1);
    match api {
        TaskApi::ItemList => format!("$result[{key}][{last}][ID]"),
        TaskApi::TaskList => format!("$result[{key}][tasks][{last}][id]"),
    }
}

/// An ID range still to load: tasks with `above < ID < below`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Range {
    /// Exclusive upper bound (the cursor).
    pub below: TaskId,
    /// Exclusive lower bound (`TaskId(0)`: none).
    pub above: TaskId,
    /// Rows expected in the range (from the portal's `total`), if known.
    pub estimate: Option<usize>,
}

/// Commands needed for `estimate` rows: `ceil(estimate / page_size)`, at least 1, at most
/// `batch_size`; unknown → `batch_size`.
pub fn commands_needed(estimate: Option<usize>, page_size: u32, batch_size: u32) -> usize {
    let page = usize::try_from(page_size.max(1)).unwrap_or(50);
    let max = usize::try_from(batch_size.max(1)).unwrap_or(50);
    match estimate {
        Some(rows) => rows.div_ceil(page).clamp(1, max),
        None => max,
    }
}

/// The commands of one range inside a keyset batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// Index into the ranges given to [`plan_keyset_batch`].
    pub range: usize,
    /// The command keys, chained in order.
    pub keys: Vec<String>,
}

/// A planned keyset batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeysetPlan {
    /// The commands to send.
    pub commands: Vec<BatchCommand>,
    /// How they map to ranges.
    pub segments: Vec<Segment>,
}

/// Packs chained keyset commands for `ranges` (in order) into one batch of at most
/// `batch_size` commands: each range gets `commands_needed(estimate)` commands while room
/// is left.
pub fn plan_keyset_batch(
    api: TaskApi,
    ranges: &[Range],
    page_size: u32,
    batch_size: u32,
) -> KeysetPlan {
    let max = usize::try_from(batch_size.clamp(1, MAX_BATCH)).unwrap_or(50);
    let mut plan = KeysetPlan {
        commands: Vec::new(),
        segments: Vec::new(),
    };
    for (index, range) in ranges.iter().enumerate() {
        let room = max - plan.commands.len();
        if room == 0 {
            break;
        }
        let n = commands_needed(range.estimate, page_size, batch_size).min(room);
        let mut keys: Vec<String> = Vec::with_capacity(n);
        for _ in 0..n {
            let key = format!("p{}", plan.commands.len());
            let below = match keys.last() {
                None => Bound::Literal(range.below),
                Some(prev) => Bound::Reference(last_id_reference(api, prev, page_size)),
            };
            let filter = ListFilter {
                below: Some(below),
                at_most: None,
                above: range.above,
            };
            plan.commands.push(BatchCommand {
                key: key.clone(),
                method: api.method().to_string(),
                params: list_params(api, &filter, 1, page_size),
            });
            keys.push(key);
        }
        plan.segments.push(Segment { range: index, keys });
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::params::{encode, encode_batch};

    #[test]
    fn first_page_body() {
        let p = list_params(TaskApi::ItemList, &ListFilter::all(), 1, 50);
        assert_eq!(
            encode(&p),
            "0[ID]=desc&1[%3EID]=0&2[NAV_PARAMS][nPageSize]=50&2[NAV_PARAMS][iNumPage]=1&3[0]=ID&3[1]=TITLE&3[2]=PRIORITY&3[3]=STATUS&3[4]=REAL_STATUS&3[5]=RESPONSIBLE_ID&3[6]=CREATED_BY&3[7]=GROUP_ID&3[8]=DEADLINE&3[9]=CREATED_DATE&3[10]=CHANGED_DATE&3[11]=CLOSED_DATE&3[12]=TIME_ESTIMATE&3[13]=TIME_SPENT_IN_LOGS"
        );
        let p = list_params(TaskApi::TaskList, &ListFilter::all(), 1, 50);
        assert_eq!(
            encode(&p),
            "order[ID]=desc&filter[%3EID]=0&select[0]=ID&select[1]=TITLE&select[2]=PRIORITY&select[3]=STATUS&select[4]=REAL_STATUS&select[5]=RESPONSIBLE_ID&select[6]=CREATED_BY&select[7]=GROUP_ID&select[8]=DEADLINE&select[9]=CREATED_DATE&select[10]=CHANGED_DATE&select[11]=CLOSED_DATE&select[12]=TIME_ESTIMATE&select[13]=TIME_SPENT_IN_LOGS"
        );
    }

    #[test]
    fn keyset_batch_chains_references() {
        let ranges = [Range {
            below: TaskId(5000),
            above: TaskId(0),
            estimate: Some(120),
        }];
        let plan = plan_keyset_batch(TaskApi::ItemList, &ranges, 50, 50);
        assert_eq!(plan.commands.len(), 3);
        assert_eq!(
            plan.segments,
            vec![Segment {
                range: 0,
                keys: vec!["p0".into(), "p1".into(), "p2".into()]
            }]
        );
        let body = encode_batch(true, &plan.commands[..2]);
        assert!(
            body.starts_with(
                "halt=1&cmd[p0]=task.item.list%3F0%5BID%5D%3Ddesc%261%5B%253CID%5D%3D5000%262"
            ),
            "{body}"
        );
        assert!(body.contains("&cmd[p1]=task.item.list%3F0%5BID%5D%3Ddesc%261%5B%253CID%5D%3D%2524result%255Bp0%255D%255B49%255D%255BID%255D%262"), "{body}");
        let plan = plan_keyset_batch(TaskApi::TaskList, &ranges, 50, 50);
        let p1 = encode(&plan.commands[1].params);
        assert!(
            p1.contains("filter[%3CID]=%24result%5Bp0%5D%5Btasks%5D%5B49%5D%5Bid%5D"),
            "{p1}"
        );
    }

    #[test]
    fn batch_sizes_follow_the_estimate() {
        assert_eq!(commands_needed(Some(0), 50, 50), 1);
        assert_eq!(commands_needed(Some(1), 50, 50), 1);
        assert_eq!(commands_needed(Some(2500), 50, 50), 50);
        assert_eq!(commands_needed(Some(2501), 50, 50), 50);
        assert_eq!(commands_needed(Some(99_950), 50, 50), 50);
        assert_eq!(commands_needed(None, 50, 50), 50);
        // Several small ranges share one batch; a lower bound is sent when non-zero.
        let ranges = [
            Range {
                below: TaskId(900),
                above: TaskId(850),
                estimate: Some(1),
            },
            Range {
                below: TaskId(500),
                above: TaskId(0),
                estimate: Some(5000),
            },
        ];
        let plan = plan_keyset_batch(TaskApi::ItemList, &ranges, 50, 50);
        assert_eq!(plan.commands.len(), 50);
        assert_eq!(plan.segments[0].keys.len(), 1);
        assert_eq!(plan.segments[1].keys.len(), 49);
        assert_eq!(
            encode(&plan.commands[0].params),
            "0[ID]=desc&1[%3CID]=900&1[%3EID]=850&2[NAV_PARAMS][nPageSize]=50&2[NAV_PARAMS][iNumPage]=1&3[0]=ID&3[1]=TITLE&3[2]=PRIORITY&3[3]=STATUS&3[4]=REAL_STATUS&3[5]=RESPONSIBLE_ID&3[6]=CREATED_BY&3[7]=GROUP_ID&3[8]=DEADLINE&3[9]=CREATED_DATE&3[10]=CHANGED_DATE&3[11]=CLOSED_DATE&3[12]=TIME_ESTIMATE&3[13]=TIME_SPENT_IN_LOGS"
        );
    }
}
