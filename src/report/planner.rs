//! What to ask the portal next: the list calls' parameters and the composition of `batch`
//! calls (`../shared/docs/bitrix24-rest-tasks.md` §1.2–§1.3, §4, §5).
//!
//! * The first request is one plain list call, `>ID 0`, ID descending, page 1: its 50 rows
//!   are on screen after one round trip and its `total` sizes the plan.
//! * Keyset chains (the default): work is a list of ID [`Range`]s; each range is loaded by
//!   batch commands `p0` (`<ID` = literal cursor) and `p_i` (`<ID` =
//!   `$result[p{i-1}][49][ID]`), as many as `ceil(estimate / 50)`, at most 50 per batch.
//! * Page numbers (for benchmarking): independent `iNumPage` commands under a fixed
//!   `<=ID ceiling`; afterwards [`repair_ranges`] lists the ID gaps a deletion during the load
//!   may have opened between pages, which are then loaded as keyset ranges, so the result is
//!   exact either way.
//!
//! A real FILTER is always sent: an empty `{}` would produce no fields and shift the
//! positional parameters (frame-protocol §8).

use crate::report::params::{BatchCommand, Param};
use crate::report::task::TaskId;
use crate::report::validate::PageCheck;
use crate::report::wire::TaskApi;

/// The fields the report needs (the portal adds its minimal select on top).
/// `RESPONSIBLE_ID` makes the task's page path (`docs/platform/task-links.md`).
pub const SELECT: [&str; 6] = [
    "ID",
    "TITLE",
    "PRIORITY",
    "STATUS",
    "REAL_STATUS",
    "RESPONSIBLE_ID",
];

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

/// The key of page-number command `page`.
pub fn page_key(page: u32) -> String {
    format!("n{page}")
}

/// Independent page-number commands for `pages` under the fixed ceiling `<=ID ceiling`.
pub fn plan_page_batch(
    api: TaskApi,
    ceiling: TaskId,
    pages: &[u32],
    page_size: u32,
) -> Vec<BatchCommand> {
    let filter = ListFilter {
        below: None,
        at_most: Some(ceiling),
        above: TaskId(0),
    };
    pages
        .iter()
        .map(|&page| BatchCommand {
            key: page_key(page),
            method: api.method().to_string(),
            params: list_params(api, &filter, page, page_size),
        })
        .collect()
}

/// What is known about one page of the page-number strategy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageSummary {
    /// The page number (1 = the first request).
    pub page: u32,
    /// The validated page, `None` if it was not loaded.
    pub check: Option<PageCheck>,
    /// The portal's `total` when the page was served.
    pub total: Option<u64>,
}

/// The ID ranges the page-number pass may have missed, given its pages (sorted by page).
///
/// Tasks only get higher IDs, so under the ceiling the set can only shrink. Two adjacent
/// loaded pages `k`, `k+1` are contiguous when `k` was full and both saw the same `total`;
/// anywhere else (a failed page, a `total` that changed: a deletion shifted the positions)
/// the gap between them is returned as a range, and so is everything below the last page
/// when that page was full and more rows were counted.
pub fn repair_ranges(pages: &[PageSummary], page_size: u32) -> Vec<Range> {
    let size = usize::try_from(page_size).unwrap_or(50);
    let loaded: Vec<(u32, PageCheck, Option<u64>)> = pages
        .iter()
        .filter_map(|p| p.check.map(|c| (p.page, c, p.total)))
        .filter(|(_, c, _)| c.first_id.is_some() && c.last_id.is_some())
        .collect();
    let mut ranges = Vec::new();
    for pair in loaded.windows(2) {
        let (pa, a, ta) = pair[0];
        let (pb, b, tb) = pair[1];
        let contiguous = pb == pa + 1 && a.full && ta.is_some() && ta == tb;
        if contiguous {
            continue;
        }
        if let (Some(a_last), Some(b_first)) = (a.last_id, b.first_id) {
            if a_last.0 > b_first.0 + 1 {
                let skipped_pages = usize::try_from(pb.saturating_sub(pa + 1)).unwrap_or(0);
                let shrink = match (ta, tb) {
                    (Some(x), Some(y)) => usize::try_from(x.abs_diff(y)).unwrap_or(0),
                    _ => 0,
                };
                ranges.push(Range {
                    below: a_last,
                    above: b_first,
                    estimate: Some((skipped_pages * size + shrink).max(1)),
                });
            }
        }
    }
    if let Some(&(pz, z, tz)) = loaded.last() {
        if z.full {
            let seen = u64::from(pz) * u64::from(page_size);
            let rest = tz.map(|t| t.saturating_sub(seen));
            if rest != Some(0) {
                if let Some(last) = z.last_id {
                    ranges.push(Range {
                        below: last,
                        above: TaskId(0),
                        estimate: rest.map(|r| usize::try_from(r).unwrap_or(usize::MAX)),
                    });
                }
            }
        }
    }
    ranges
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
            "0[ID]=desc&1[%3EID]=0&2[NAV_PARAMS][nPageSize]=50&2[NAV_PARAMS][iNumPage]=1&3[0]=ID&3[1]=TITLE&3[2]=PRIORITY&3[3]=STATUS&3[4]=REAL_STATUS&3[5]=RESPONSIBLE_ID"
        );
        let p = list_params(TaskApi::TaskList, &ListFilter::all(), 1, 50);
        assert_eq!(
            encode(&p),
            "order[ID]=desc&filter[%3EID]=0&select[0]=ID&select[1]=TITLE&select[2]=PRIORITY&select[3]=STATUS&select[4]=REAL_STATUS&select[5]=RESPONSIBLE_ID"
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
            "0[ID]=desc&1[%3CID]=900&1[%3EID]=850&2[NAV_PARAMS][nPageSize]=50&2[NAV_PARAMS][iNumPage]=1&3[0]=ID&3[1]=TITLE&3[2]=PRIORITY&3[3]=STATUS&3[4]=REAL_STATUS&3[5]=RESPONSIBLE_ID"
        );
    }

    #[test]
    fn page_number_commands() {
        let cmds = plan_page_batch(TaskApi::ItemList, TaskId(777), &[2, 3], 50);
        assert_eq!(cmds[0].key, "n2");
        assert_eq!(
            encode(&cmds[1].params),
            "0[ID]=desc&1[%3C%3DID]=777&2[NAV_PARAMS][nPageSize]=50&2[NAV_PARAMS][iNumPage]=3&3[0]=ID&3[1]=TITLE&3[2]=PRIORITY&3[3]=STATUS&3[4]=REAL_STATUS&3[5]=RESPONSIBLE_ID"
        );
        let cmds = plan_page_batch(TaskApi::TaskList, TaskId(777), &[3], 50);
        assert!(
            encode(&cmds[0].params).ends_with("&start=100")
                || encode(&cmds[0].params).starts_with("start=100")
        );
    }

    fn page(page: u32, first: u64, last: u64, full: bool, total: u64) -> PageSummary {
        PageSummary {
            page,
            check: Some(PageCheck {
                rows: if full { 50 } else { 10 },
                full,
                first_id: Some(TaskId(first)),
                last_id: Some(TaskId(last)),
                chain_id: if full { Some(TaskId(last)) } else { None },
            }),
            total: Some(total),
        }
    }

    #[test]
    fn repair_ranges_cover_gaps_only_where_needed() {
        // No change: no ranges.
        let pages = [
            page(1, 1000, 951, true, 160),
            page(2, 950, 901, true, 160),
            page(3, 900, 851, true, 160),
            page(4, 850, 841, false, 160),
        ];
        assert!(repair_ranges(&pages, 50).is_empty());
        // Total changed between pages 2 and 3, and page 4 failed.
        let pages = [
            page(1, 1000, 951, true, 160),
            page(2, 950, 901, true, 160),
            page(3, 898, 849, true, 158),
            PageSummary {
                page: 4,
                check: None,
                total: None,
            },
            page(5, 700, 690, false, 158),
        ];
        let r = repair_ranges(&pages, 50);
        assert_eq!(
            r,
            vec![
                Range {
                    below: TaskId(901),
                    above: TaskId(898),
                    estimate: Some(2)
                },
                Range {
                    below: TaskId(849),
                    above: TaskId(700),
                    estimate: Some(50)
                },
            ]
        );
        // The last page full with more rows counted: everything below it.
        let pages = [page(1, 1000, 951, true, 120)];
        assert_eq!(
            repair_ranges(&pages, 50),
            vec![Range {
                below: TaskId(951),
                above: TaskId(0),
                estimate: Some(70)
            }]
        );
        let pages = [page(1, 1000, 951, true, 50)];
        assert!(repair_ranges(&pages, 50).is_empty());
    }
}
