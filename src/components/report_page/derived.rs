//! What the report view derives from the table and the view, memoised: the query result on
//! (table revision, query), the summaries on the table revision, the groups on (table
//! revision, query, grouping).

use std::rc::Rc;

use yew::prelude::*;

use super::{GROUP_MEASURE, QUERY_MEASURE};
use crate::components::grouped_tables::GroupRows;
use crate::hooks::dom;
use crate::hooks::use_day_clock::use_day_clock;
use crate::i18n::{self, Lang, ReportLabels};
use crate::report::directory::Directory;
use crate::report::query::Query;
use crate::report::summary::{
    self, Counters, GroupBy, GroupContext, PersonPivot, Pivot, StatusShare,
};
use crate::report::task::{GroupId, Priority, RealStatus, UserId};
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
    /// Per-person summaries over all tasks.
    pub people: Rc<People>,
}

/// Summaries by person and project over all loaded tasks, ordered with the directory's names.
pub struct People {
    /// Responsible × status, most overdue first.
    pub pivot: PersonPivot,
    /// The responsible filter's choices with their task counts, by name.
    pub responsible: Rc<[(Option<UserId>, usize)]>,
    /// The creator filter's choices with their task counts.
    pub creators: Rc<[(Option<UserId>, usize)]>,
    /// The project filter's choices with their task counts.
    pub projects: Rc<[(Option<GroupId>, usize)]>,
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

/// Runs `work` between two `performance.mark`s and records `performance.measure(name)`.
fn timed<T>(name: &str, work: impl FnOnce() -> T) -> T {
    let (start, end) = (format!("{name}-start"), format!("{name}-end"));
    dom::perf_mark(&start);
    let out = work();
    dom::perf_mark(&end);
    dom::perf_measure(name, &start, &end);
    out
}

/// Runs the query at the current time, people and projects sorted by their names in
/// `directory`, timed ([`QUERY_MEASURE`]).
fn run_query(table: &TableRef, query: &Query, directory: &Directory) -> Rc<[u32]> {
    let now = dom::unix_now_s();
    timed(QUERY_MEASURE, || {
        Rc::from(table.borrow().apply_named(query, now, directory))
    })
}

/// Splits the query's rows into groups with their headings, timed ([`GROUP_MEASURE`]).
fn run_grouping(
    table: &TableRef,
    rows: &[u32],
    by: GroupBy,
    directory: &Directory,
    lang: Lang,
) -> Rc<[GroupRows]> {
    if by == GroupBy::None {
        return Rc::from(Vec::new());
    }
    let labels = ReportLabels { lang, directory };
    timed(GROUP_MEASURE, || {
        let ctx = GroupContext {
            directory,
            now: dom::unix_now_s(),
        };
        summary::group_in(&table.borrow(), rows, by, ctx)
            .into_iter()
            .map(|g| GroupRows {
                label: AttrValue::from(i18n::group_label(&labels, &g.key).into_owned()),
                key: g.key,
                rows: g.rows.into(),
            })
            .collect()
    })
}

/// The query result, summaries and groups of `table` under `view`; groups are named with
/// `directory` in `lang`.
#[hook]
pub fn use_derived(
    table: &TableRef,
    view: &SavedView,
    directory: &Rc<Directory>,
    lang: Lang,
) -> Derived {
    let query = &view.query;
    // Relative date presets and deadline buckets move on with the day (0: they are not used).
    let quarter = use_day_clock();
    let day_of = |used: bool| if used { quarter } else { 0 };
    let rows_day = day_of(query.dates.follow_today());
    let rows: Rc<[u32]> = (*use_memo(
        (table.clone(), query.clone(), directory.clone(), rows_day),
        |(t, q, d, _)| run_query(t, q, d),
    ))
    .clone();
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
            (
                table.clone(),
                query.clone(),
                view.group,
                directory.clone(),
                lang,
                rows_day.max(day_of(view.group == GroupBy::Deadline)),
            ),
            move |(t, _, by, directory, lang, _)| run_grouping(t, &rows, *by, directory, *lang),
        )
    })
    .clone();
    let people = use_memo((table.clone(), directory.clone()), |(t, directory)| {
        let table = t.borrow();
        let all: Vec<u32> = (0..u32::try_from(table.len()).unwrap_or(u32::MAX)).collect();
        People {
            pivot: summary::person_pivot(&table, &all, directory),
            responsible: summary::responsible_counts(&table, &all, directory).into(),
            creators: summary::creator_counts(&table, &all, directory).into(),
            projects: summary::project_counts(&table, &all, directory).into(),
        }
    });
    Derived {
        rows,
        summary,
        groups,
        people,
    }
}
