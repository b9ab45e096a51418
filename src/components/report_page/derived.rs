//! What the report view derives from the table and the view, memoised: the query result on
//! (table revision, query), the summaries on the table revision, the groups on (table
//! revision, query, grouping).

use std::rc::Rc;

use yew::prelude::*;

use super::QUERY_MEASURE;
use crate::components::grouped_tables::GroupRows;
use crate::hooks::dom;
use crate::report::query::Query;
use crate::report::summary::{self, Counters, GroupBy, Pivot, StatusShare};
use crate::report::task::{Priority, RealStatus};
use crate::report::view::SavedView;
use crate::state::TableRef;

/// Summaries over all loaded tasks.
pub struct Summary {
    /// The header counters.
    pub counters: Counters,
    /// Status × priority.
    pub pivot: Rc<Pivot>,
    /// Tasks by status.
    pub chart: Rc<[StatusShare]>,
    /// The statuses the filter offers.
    pub statuses: Rc<[RealStatus]>,
    /// The priorities the filter offers.
    pub priorities: Rc<[Priority]>,
}

/// The derived data of one render.
#[derive(Clone)]
pub struct Derived {
    /// The rows the query leaves, in its order (indexes into the table).
    pub rows: Rc<[u32]>,
    /// Summaries over all tasks.
    pub summary: Rc<Summary>,
    /// The groups of `rows` (empty without grouping).
    pub groups: Rc<[GroupRows]>,
}

impl Derived {
    /// The rows in the order the table shows them: in grouped mode, group by group (what
    /// export and print give).
    pub fn shown_order(&self) -> Vec<u32> {
        if self.groups.is_empty() {
            self.rows.to_vec()
        } else {
            self.groups
                .iter()
                .flat_map(|g| g.rows.iter().copied())
                .collect()
        }
    }
}

/// Runs the query, timed with `performance.mark`/`measure` ([`QUERY_MEASURE`]).
fn run_query(table: &TableRef, query: &Query) -> Rc<[u32]> {
    dom::perf_mark("task-report:query-start");
    let rows = table.borrow().apply(query);
    dom::perf_mark("task-report:query-end");
    dom::perf_measure(
        QUERY_MEASURE,
        "task-report:query-start",
        "task-report:query-end",
    );
    Rc::from(rows)
}

/// The query result, summaries and groups of `table` under `view`.
#[hook]
pub fn use_derived(table: &TableRef, view: &SavedView) -> Derived {
    let query = &view.query;
    let rows: Rc<[u32]> =
        (*use_memo((table.clone(), query.clone()), |(t, q)| run_query(t, q))).clone();
    let summary = use_memo(table.clone(), |t| {
        let table = t.borrow();
        let all: Vec<u32> = (0..u32::try_from(table.len()).unwrap_or(u32::MAX)).collect();
        let pivot = summary::pivot(&table, &all);
        Summary {
            counters: Counters::of(&table),
            chart: summary::status_chart(&table, &all).into(),
            statuses: pivot.named_statuses().into(),
            priorities: pivot.named_priorities().into(),
            pivot: Rc::new(pivot),
        }
    });
    let groups: Rc<[GroupRows]> = (*{
        // Keyed like `rows` (not on the rows themselves: comparing 100 000 indexes per render
        // would cost more than it saves).
        let rows = rows.clone();
        use_memo(
            (table.clone(), query.clone(), view.group),
            move |(t, _, by)| -> Rc<[GroupRows]> {
                if *by == GroupBy::None {
                    return Rc::from(Vec::new());
                }
                summary::group(&t.borrow(), &rows, *by)
                    .into_iter()
                    .map(|g| GroupRows {
                        key: g.key,
                        rows: g.rows.into(),
                    })
                    .collect()
            },
        )
    })
    .clone();
    Derived {
        rows,
        summary,
        groups,
    }
}
