//! Aggregates for the report header and the side views: Bitrix24-style counters
//! ([`Counters`]), the status × priority pivot ([`Pivot`]), grouping of the current rows
//! ([`group`]) and the status distribution chart ([`status_chart`]).
//!
//! Everything counts over row indexes of a [`TaskTable`] (all rows, or the current query's
//! result), using the table's interned integer keys: no per-row allocation.
//! Unknown statuses and priorities are counted as their own groups. The pivot and the chart
//! name at most [`UNKNOWN_SLOTS`] unknown values each way and fold the rest into one
//! [`Folded::Other`] row / column / bar, so a portal sending thousands of distinct unknown
//! values cannot make them grow without bound (see [`fold`]).
//!
//! Pure: no browser imports.

use std::cmp::Ordering;

#[path = "person_pivot.rs"]
mod person_pivot;

pub use person_pivot::{
    creator_counts, person_pivot, project_counts, responsible_counts, PersonPivot, PersonRow,
    PERSON_ROWS,
};

use crate::report::dates::DeadlineBucket;
use crate::report::directory::Directory;
use crate::report::order;
use crate::report::query::{self, Preset, Query, TaskTable, META_BY_BYTE};
pub use crate::report::query::{people_order, projects_order};
use crate::report::task::{GroupId, MetaStatus, Priority, RealStatus, UserId};

/// One header counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Counter {
    /// Every task.
    Total,
    /// Open tasks, as Bitrix24's "In progress" preset ([`Preset::InProgress`]).
    InProgress,
    /// Meta status -1.
    Overdue,
    /// Meta status -3.
    AlmostOverdue,
    /// Meta status -2 (not viewed yet by the current user).
    Unviewed,
    /// Real status 4 (pending review / awaiting the creator's control).
    AwaitingControl,
    /// Real status 5.
    Completed,
    /// New or changed since the user's last visit (issue 15; shown after a snapshot was
    /// brought up to date, not one of [`Counter::ALL`]).
    #[cfg(feature = "snapshot")]
    SinceVisit,
}

impl Counter {
    /// Every counter, in header order.
    pub const ALL: [Counter; 7] = [
        Self::Total,
        Self::InProgress,
        Self::Overdue,
        Self::AlmostOverdue,
        Self::Unviewed,
        Self::AwaitingControl,
        Self::Completed,
    ];

    /// Click-through: makes `query` show exactly the tasks this counter counts (clears search,
    /// filters and preset first; keeps the sort).
    pub fn apply_to(self, query: &mut Query) {
        query.clear_filters();
        match self {
            Self::Total => {}
            Self::InProgress => query.preset = Some(Preset::InProgress),
            Self::Overdue => query.preset = Some(Preset::Overdue),
            Self::AlmostOverdue => query.preset = Some(Preset::AlmostOverdue),
            Self::Completed => query.preset = Some(Preset::Completed),
            Self::Unviewed => {
                query.meta.insert(Some(MetaStatus::Unviewed));
            }
            Self::AwaitingControl => {
                query.statuses.insert(RealStatus::SupposedlyCompleted);
            }
            #[cfg(feature = "snapshot")]
            Self::SinceVisit => query.since_visit = true,
        }
    }
}

/// The header counters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Counters {
    /// Every counted task.
    pub total: usize,
    /// Real status 2, 3, 4 or 6 (Bitrix24's "In progress" preset).
    pub in_progress: usize,
    /// Meta status -1.
    pub overdue: usize,
    /// Meta status -3.
    pub almost_overdue: usize,
    /// Meta status -2.
    pub unviewed: usize,
    /// Real status 4.
    pub awaiting_control: usize,
    /// Real status 5.
    pub completed: usize,
    /// New or changed since the last visit; `None` when no snapshot was compared (issue 15).
    #[cfg(feature = "snapshot")]
    pub since_visit: Option<usize>,
}

impl Counters {
    /// Counters over every row of the table.
    pub fn of(table: &TaskTable) -> Self {
        let rows = 0..u32::try_from(table.len()).unwrap_or(u32::MAX);
        Self::count(table, rows)
    }

    /// Counters over the given rows (e.g. the current query's result).
    pub fn of_rows(table: &TaskTable, rows: &[u32]) -> Self {
        Self::count(table, rows.iter().copied())
    }

    fn count(table: &TaskTable, rows: impl Iterator<Item = u32> + Clone) -> Self {
        let statuses = table.status_values();
        let by_status = histogram(rows.clone(), statuses.len(), |r| table.status_key(r));
        let total = rows.clone().count();
        let by_meta = histogram(rows, META_BY_BYTE.len(), |r| table.meta_key(r));
        let status_count = |pred: &dyn Fn(&RealStatus) -> bool| -> usize {
            statuses
                .iter()
                .zip(&by_status)
                .filter(|(s, _)| pred(s))
                .map(|(_, n)| n)
                .sum()
        };
        let meta_count = |m: MetaStatus| -> usize {
            META_BY_BYTE
                .iter()
                .zip(&by_meta)
                .filter(|(x, _)| **x == Some(m))
                .map(|(_, n)| n)
                .sum()
        };
        Self {
            total,
            in_progress: status_count(&|s| Preset::InProgress.admits_status(s)),
            overdue: meta_count(MetaStatus::Overdue),
            almost_overdue: meta_count(MetaStatus::AlmostOverdue),
            unviewed: meta_count(MetaStatus::Unviewed),
            awaiting_control: status_count(&|s| *s == RealStatus::SupposedlyCompleted),
            completed: status_count(&|s| *s == RealStatus::Completed),
            #[cfg(feature = "snapshot")]
            since_visit: table.since_visit_count(),
        }
    }

    /// The value of one counter.
    pub fn get(&self, counter: Counter) -> usize {
        match counter {
            Counter::Total => self.total,
            Counter::InProgress => self.in_progress,
            Counter::Overdue => self.overdue,
            Counter::AlmostOverdue => self.almost_overdue,
            Counter::Unviewed => self.unviewed,
            Counter::AwaitingControl => self.awaiting_control,
            Counter::Completed => self.completed,
            #[cfg(feature = "snapshot")]
            Counter::SinceVisit => self.since_visit.unwrap_or(0),
        }
    }
}

/// How many unknown values (of status; of priority) the pivot and the chart show at most,
/// each as its own row / column / bar, the "Other" one included: with up to this many
/// distinct unknown values present every one is named; with more, the most frequent
/// `UNKNOWN_SLOTS - 1` are named (ties in status / priority order) and the rest share one
/// [`Folded::Other`].
pub const UNKNOWN_SLOTS: usize = 8;

/// A row or column of the pivot, or a bar of the chart: one value, or several unknown values
/// folded together.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Folded<T> {
    /// One value.
    One(T),
    /// Unknown values beyond [`UNKNOWN_SLOTS`], together.
    Other {
        /// How many distinct values are folded in (at least 2).
        values: usize,
    },
}

impl<T> Folded<T> {
    /// The value, unless this is the "Other" slot.
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::One(value) => Some(value),
            Self::Other { .. } => None,
        }
    }
}

/// Counts `rows` by the interned key `key_of` gives (keys `0..len`; others are ignored).
fn histogram(
    rows: impl Iterator<Item = u32>,
    len: usize,
    key_of: impl Fn(u32) -> usize,
) -> Vec<usize> {
    let mut counts = vec![0usize; len];
    for row in rows {
        if let Some(n) = counts.get_mut(key_of(row)) {
            *n += 1;
        }
    }
    counts
}

/// Interned keys mapped to the rows / columns / bars they are counted in.
#[derive(Debug)]
struct Fold<T> {
    /// The slots in display order (value order, "Other" last).
    slots: Vec<Folded<T>>,
    /// `slot_of[key]`: the slot of an interned key; `None` for a value not shown (absent).
    slot_of: Vec<Option<usize>>,
}

impl<T> Fold<T> {
    fn slot(&self, key: usize) -> Option<usize> {
        self.slot_of.get(key).copied().flatten()
    }
}

/// How one dimension (status or priority) folds: the order of its values, which are
/// unknown, and which known values are shown even when nothing has them.
struct FoldRule<T> {
    cmp: fn(&T, &T) -> Ordering,
    unknown: fn(&T) -> bool,
    always: fn(&T) -> bool,
}

/// Picks the slots of one dimension from its interned `values` and their `counts` (tasks per
/// key): shown known values, at most [`UNKNOWN_SLOTS`] unknown slots ("Other" included).
/// Costs O(keys) memory, so the pivot built on it is at most
/// (7 + [`UNKNOWN_SLOTS`]) × (3 + [`UNKNOWN_SLOTS`]) cells whatever the input.
fn fold<T: Clone>(values: &[T], counts: &[usize], rule: &FoldRule<T>) -> Fold<T> {
    let count = |k: usize| counts.get(k).copied().unwrap_or(0);
    // Every key below comes from `0..values.len()`: `values[key]` and `slot_of[key]` (as
    // long as `values`) are in bounds.
    let mut unknown: Vec<usize> = (values.iter().enumerate())
        .filter(|&(k, v)| (rule.unknown)(v) && count(k) > 0)
        .map(|(k, _)| k)
        .collect();
    let mut folded = Vec::new();
    if unknown.len() > UNKNOWN_SLOTS {
        order::sort_indexes(&mut unknown, &|a, b| {
            count(b)
                .cmp(&count(a))
                .then_with(|| (rule.cmp)(&values[a], &values[b]))
        });
        folded = unknown.split_off(UNKNOWN_SLOTS - 1);
    }
    let mut shown: Vec<usize> = (values.iter().enumerate())
        .filter(|&(k, v)| !(rule.unknown)(v) && ((rule.always)(v) || count(k) > 0))
        .map(|(k, _)| k)
        .chain(unknown)
        .collect();
    order::sort_indexes(&mut shown, &|a, b| (rule.cmp)(&values[a], &values[b]));

    let mut slot_of = vec![None; values.len()];
    for (slot, &k) in shown.iter().enumerate() {
        slot_of[k] = Some(slot);
    }
    let mut slots: Vec<Folded<T>> = shown
        .iter()
        .map(|&k| Folded::One(values[k].clone()))
        .collect();
    if !folded.is_empty() {
        for &k in &folded {
            slot_of[k] = Some(slots.len());
        }
        slots.push(Folded::Other {
            values: folded.len(),
        });
    }
    Fold { slots, slot_of }
}

/// Status slots: the live statuses 2–6 always, 1, 7 and unknown values when present.
const PIVOT_STATUSES: FoldRule<RealStatus> = FoldRule {
    cmp: query::status_cmp,
    unknown: |s| matches!(s, RealStatus::Unknown(_)),
    always: |s| (2..=6).contains(&s.rank()),
};

/// Priority slots: low, medium, high always, unknown values when present.
const PIVOT_PRIORITIES: FoldRule<Priority> = FoldRule {
    cmp: query::priority_cmp,
    unknown: |p| matches!(p, Priority::Unknown(_)),
    always: |p| !matches!(p, Priority::Unknown(_)),
};

/// The status × priority matrix. Rows are the live statuses 2–6 always, plus 1, 7 and unknown
/// values when present; columns are low, medium, high always, plus unknown values when
/// present. Rows in status order, columns low → high, unknown last, "Other" (the folded
/// unknown values, see [`UNKNOWN_SLOTS`]) after them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pivot {
    /// Row headers.
    pub statuses: Vec<Folded<RealStatus>>,
    /// Column headers.
    pub priorities: Vec<Folded<Priority>>,
    /// `cells[row][column]`: tasks with that status and priority.
    pub cells: Vec<Vec<usize>>,
    /// Per-row sums.
    pub row_totals: Vec<usize>,
    /// Per-column sums.
    pub col_totals: Vec<usize>,
    /// The grand total (= number of rows counted).
    pub total: usize,
}

impl Pivot {
    /// The statuses with a row of their own (what the status filter offers).
    pub fn named_statuses(&self) -> Vec<RealStatus> {
        self.statuses
            .iter()
            .filter_map(Folded::value)
            .cloned()
            .collect()
    }

    /// The priorities with a column of their own (what the priority filter offers).
    pub fn named_priorities(&self) -> Vec<Priority> {
        self.priorities
            .iter()
            .filter_map(Folded::value)
            .cloned()
            .collect()
    }
}

/// Builds the status × priority pivot over `rows`. Two passes: per-key counts pick the
/// slots ([`fold`]), then each row is counted straight into its folded cell — the matrix
/// never has more than one row / column per slot.
pub fn pivot(table: &TaskTable, rows: &[u32]) -> Pivot {
    let status_counts = histogram(rows.iter().copied(), table.status_values().len(), |r| {
        table.status_key(r)
    });
    let priority_counts = histogram(rows.iter().copied(), table.priority_values().len(), |r| {
        table.priority_key(r)
    });
    let statuses = fold(table.status_values(), &status_counts, &PIVOT_STATUSES);
    let priorities = fold(table.priority_values(), &priority_counts, &PIVOT_PRIORITIES);

    let mut cells = vec![vec![0usize; priorities.slots.len()]; statuses.slots.len()];
    for &row in rows {
        let s = statuses.slot(table.status_key(row));
        let p = priorities.slot(table.priority_key(row));
        if let Some(n) = s
            .zip(p)
            .and_then(|(s, p)| cells.get_mut(s).and_then(|r| r.get_mut(p)))
        {
            *n += 1;
        }
    }
    let row_totals = cells.iter().map(|r| r.iter().sum()).collect();
    let col_totals = (0..priorities.slots.len())
        .map(|p| cells.iter().map(|r| r[p]).sum())
        .collect();
    Pivot {
        statuses: statuses.slots,
        priorities: priorities.slots,
        cells,
        row_totals,
        col_totals,
        total: rows.len(),
    }
}

/// How the grouped tables split the rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum GroupBy {
    /// One table.
    #[default]
    None,
    /// One table per real status.
    Status,
    /// One table per priority.
    Priority,
    /// One table per responsible person.
    Responsible,
    /// One table per creator.
    Creator,
    /// One table per project.
    Project,
    /// One table per deadline bucket (overdue, today, this week, next week, later, none).
    Deadline,
}

impl GroupBy {
    /// Every grouping, in menu order.
    pub const ALL: [GroupBy; 7] = [
        Self::None,
        Self::Status,
        Self::Priority,
        Self::Responsible,
        Self::Creator,
        Self::Project,
        Self::Deadline,
    ];
}

/// What a group holds.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum GroupKey {
    /// Every row ([`GroupBy::None`]).
    All,
    /// Rows with this real status.
    Status(RealStatus),
    /// Rows with this priority.
    Priority(Priority),
    /// Rows with this responsible person (`None`: nobody).
    Responsible(Option<UserId>),
    /// Rows created by this person (`None`: unknown).
    Creator(Option<UserId>),
    /// Rows of this project (`None`: no project).
    Project(Option<GroupId>),
    /// Rows whose deadline falls in this bucket.
    Deadline(DeadlineBucket),
}

/// One group of a grouped table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// What the rows share.
    pub key: GroupKey,
    /// The rows, in the order they were given (the current query order).
    pub rows: Vec<u32>,
}

impl Group {
    /// Number of rows in the group.
    pub fn count(&self) -> usize {
        self.rows.len()
    }
}

/// What grouping needs besides the rows: the names people and projects are ordered by, and
/// the time deadline buckets are counted from.
#[derive(Clone, Copy, Debug)]
pub struct GroupContext<'a> {
    /// Known names of people and projects.
    pub directory: &'a Directory,
    /// Unix seconds of "now".
    pub now: i64,
}

/// [`group_in`] without names (people and projects in ID order) at the start of 1970: for
/// status and priority groupings, which need neither.
pub fn group(table: &TaskTable, rows: &[u32], by: GroupBy) -> Vec<Group> {
    let directory = Directory::new();
    group_in(
        table,
        rows,
        by,
        GroupContext {
            directory: &directory,
            now: 0,
        },
    )
}

/// Splits `rows` (the current query order) into groups, keeping the order inside each group.
/// Empty groups are left out. Status groups follow the workflow (1 … 7, unknown last);
/// priority groups put the most important first (high, medium, low, unknown last); people and
/// projects go by name ([`people_order`]); deadline buckets from overdue to none.
/// [`GroupBy::None`] gives one [`GroupKey::All`] group (also when `rows` is empty).
pub fn group_in(table: &TaskTable, rows: &[u32], by: GroupBy, ctx: GroupContext<'_>) -> Vec<Group> {
    if by == GroupBy::Deadline {
        return group_by_deadline(table, rows, ctx.now);
    }
    let (keys, order): (KeyFn, Vec<usize>) = match by {
        GroupBy::None | GroupBy::Deadline => {
            return vec![Group {
                key: GroupKey::All,
                rows: rows.to_vec(),
            }]
        }
        GroupBy::Status => {
            let values = table.status_values();
            let order = order::sorted_indexes(values.len(), &|a, b| {
                query::status_cmp(&values[a], &values[b])
            });
            (TaskTable::status_key, order)
        }
        GroupBy::Priority => {
            let values = table.priority_values();
            let order = order::sorted_indexes(values.len(), &|a, b| {
                priority_group_cmp(&values[a], &values[b])
            });
            (TaskTable::priority_key, order)
        }
        GroupBy::Responsible => (
            TaskTable::responsible_key,
            people_order(table, ctx.directory),
        ),
        GroupBy::Creator => (TaskTable::creator_key, people_order(table, ctx.directory)),
        GroupBy::Project => (TaskTable::project_key, projects_order(table, ctx.directory)),
    };
    let mut buckets: Vec<Vec<u32>> = vec![Vec::new(); order.len()];
    for &row in rows {
        if let Some(bucket) = buckets.get_mut(keys(table, row)) {
            bucket.push(row);
        }
    }
    order
        .into_iter()
        .filter_map(|k| {
            let rows = std::mem::take(buckets.get_mut(k)?);
            if rows.is_empty() {
                return None;
            }
            let key = match by {
                GroupBy::Status => GroupKey::Status(table.status_values().get(k)?.clone()),
                GroupBy::Priority => GroupKey::Priority(table.priority_values().get(k)?.clone()),
                GroupBy::Responsible => GroupKey::Responsible(*table.people().get(k)?),
                GroupBy::Creator => GroupKey::Creator(*table.people().get(k)?),
                GroupBy::Project => GroupKey::Project(*table.project_values().get(k)?),
                GroupBy::None | GroupBy::Deadline => GroupKey::All,
            };
            Some(Group { key, rows })
        })
        .collect()
}

/// Deadline groups in [`DeadlineBucket::ALL`] order, buckets counted at `now`.
fn group_by_deadline(table: &TaskTable, rows: &[u32], now: i64) -> Vec<Group> {
    let mut buckets: Vec<Vec<u32>> = vec![Vec::new(); DeadlineBucket::ALL.len()];
    let tasks = table.tasks();
    for &row in rows {
        let Some(task) = tasks.get(row as usize) else {
            continue;
        };
        // `ALL` lists the buckets in declaration order, so the discriminant is the index.
        if let Some(b) = buckets.get_mut(DeadlineBucket::of(task.deadline, now) as usize) {
            b.push(row);
        }
    }
    DeadlineBucket::ALL
        .into_iter()
        .zip(buckets)
        .filter(|(_, rows)| !rows.is_empty())
        .map(|(bucket, rows)| Group {
            key: GroupKey::Deadline(bucket),
            rows,
        })
        .collect()
}

/// Reads a row's interned key from the table.
type KeyFn = fn(&TaskTable, u32) -> usize;

/// High, medium, low, then unknown values.
fn priority_group_cmp(a: &Priority, b: &Priority) -> Ordering {
    match (a, b) {
        (Priority::Unknown(_), Priority::Unknown(_)) => query::priority_cmp(a, b),
        (Priority::Unknown(_), _) => Ordering::Greater,
        (_, Priority::Unknown(_)) => Ordering::Less,
        _ => b.rank().cmp(&a.rank()),
    }
}

/// One slice of the status distribution chart.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusShare {
    /// The status, or the folded unknown statuses (its label: [`Folded::label`]).
    pub status: Folded<RealStatus>,
    /// Tasks with that status.
    pub count: usize,
    /// `count / total`, in `0.0..=1.0`.
    pub share: f64,
}

impl StatusShare {
    /// The share as a whole percentage, rounded (for the legend).
    pub fn percent(&self) -> u32 {
        // share is in 0..=1, so the rounded value fits.
        (self.share * 100.0).round().clamp(0.0, 100.0) as u32
    }
}

/// Chart bars: every status present, unknown values folded like the pivot's rows.
const CHART_STATUSES: FoldRule<RealStatus> = FoldRule {
    always: |_| false,
    ..PIVOT_STATUSES
};

/// The status distribution of `rows`: one slice per status present, in status order, the
/// unknown statuses named and folded exactly as in the [`pivot`] of the same rows.
pub fn status_chart(table: &TaskTable, rows: &[u32]) -> Vec<StatusShare> {
    let counts = histogram(rows.iter().copied(), table.status_values().len(), |r| {
        table.status_key(r)
    });
    let statuses = fold(table.status_values(), &counts, &CHART_STATUSES);
    let mut per_slot = vec![0usize; statuses.slots.len()];
    for (key, &n) in counts.iter().enumerate() {
        if let Some(total) = statuses.slot(key).and_then(|s| per_slot.get_mut(s)) {
            *total += n;
        }
    }
    let total = rows.len();
    statuses
        .slots
        .into_iter()
        .zip(per_slot)
        .map(|(status, count)| StatusShare {
            status,
            count,
            share: count as f64 / total as f64,
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::i18n::{Label, Lang};
    use crate::report::query::testdata::generate;
    use crate::report::query::SortKey;
    use crate::report::task::{Task, TaskId};

    fn task(id: u64, priority: &str, status: &str, meta: Option<&str>) -> Task {
        let mut t = Task::from_status_fields(
            TaskId(id),
            format!("task {id}"),
            Priority::from_wire(priority),
            None,
            Some(status),
        );
        t.meta = meta.and_then(MetaStatus::from_wire);
        t
    }

    fn sample() -> TaskTable {
        TaskTable::from_tasks(vec![
            task(1, "1", "2", Some("-2")),
            task(2, "2", "3", Some("-1")),
            task(3, "0", "5", None),
            task(4, "1", "4", Some("-3")),
            task(5, "2", "6", Some("-1")),
            task(6, "1", "3", None),
            task(7, "9", "7", None),
            task(8, "1", "42", None),
        ])
    }

    #[test]
    fn counters_follow_bitrix24_semantics() {
        let t = sample();
        let c = Counters::of(&t);
        assert_eq!(
            c,
            Counters {
                total: 8,
                in_progress: 5, // 2, 3, 4, 6 — ids 1, 2, 4, 5, 6
                overdue: 2,
                almost_overdue: 1,
                unviewed: 1,
                awaiting_control: 1,
                completed: 1,
                #[cfg(feature = "snapshot")]
                since_visit: None,
            }
        );
        // Click-through shows exactly the counted rows.
        for counter in Counter::ALL {
            let mut q = Query::default();
            counter.apply_to(&mut q);
            assert_eq!(t.apply(&q).len(), c.get(counter), "{counter:?}");
        }
    }

    #[test]
    fn pivot_has_unknown_rows_and_columns() {
        let t = sample();
        let all = t.apply(&Query::default());
        let p = pivot(&t, &all);
        assert_eq!(
            p.named_statuses(),
            [
                RealStatus::Pending,
                RealStatus::InProgress,
                RealStatus::SupposedlyCompleted,
                RealStatus::Completed,
                RealStatus::Deferred,
                RealStatus::Declined,
                RealStatus::Unknown("42".into())
            ]
        );
        assert_eq!(
            p.named_priorities(),
            [
                Priority::Low,
                Priority::Medium,
                Priority::High,
                Priority::Unknown("9".into())
            ]
        );
        assert_eq!(p.cells[1], [0, 1, 1, 0]); // in progress: task 6 medium, task 2 high
        assert_eq!(p.cells[5], [0, 0, 0, 1]); // declined: task 7 priority 9
        assert_eq!(p.row_totals, [1, 2, 1, 1, 1, 1, 1]);
        assert_eq!(p.col_totals, [1, 4, 2, 1]);
        assert_eq!(p.total, 8);
    }

    #[test]
    fn totals_add_up_on_a_generated_set() {
        let t = TaskTable::from_tasks(generate(20_000, 3));
        let mut q = Query {
            search: "елка".into(),
            ..Query::default()
        };
        q.sort_by(SortKey::Title);
        for rows in [t.apply(&Query::default()), t.apply(&q)] {
            let p = pivot(&t, &rows);
            assert_eq!(p.total, rows.len());
            assert_eq!(p.row_totals.iter().sum::<usize>(), p.total);
            assert_eq!(p.col_totals.iter().sum::<usize>(), p.total);
            for (r, row) in p.cells.iter().enumerate() {
                assert_eq!(row.iter().sum::<usize>(), p.row_totals[r]);
            }
            let c = Counters::of_rows(&t, &rows);
            assert_eq!(c.total, rows.len());
            let closed = p
                .statuses
                .iter()
                .zip(&p.row_totals)
                .filter(|(s, _)| {
                    !s.value()
                        .is_some_and(|s| Preset::InProgress.admits_status(s))
                })
                .map(|(_, n)| n)
                .sum::<usize>();
            assert_eq!(c.in_progress + closed, c.total);
            for by in [GroupBy::Status, GroupBy::Priority] {
                let groups = group(&t, &rows, by);
                assert_eq!(groups.iter().map(Group::count).sum::<usize>(), rows.len());
                // Every group keeps the query order.
                for g in &groups {
                    let pos: Vec<usize> = g
                        .rows
                        .iter()
                        .map(|r| rows.iter().position(|x| x == r).unwrap())
                        .take(50)
                        .collect();
                    assert!(pos.windows(2).all(|w| w[0] < w[1]));
                }
            }
            let chart = status_chart(&t, &rows);
            assert_eq!(chart.iter().map(|s| s.count).sum::<usize>(), rows.len());
            let share: f64 = chart.iter().map(|s| s.share).sum();
            assert!((share - 1.0).abs() < 1e-9);
        }
        assert_eq!(
            Counters::of(&t),
            Counters::of_rows(&t, &t.apply(&Query::default()))
        );
    }

    #[test]
    fn groups_in_order() {
        let t = sample();
        let rows = t.apply(&Query::default()); // ids 8..1
        let by_priority = group(&t, &rows, GroupBy::Priority);
        let keys: Vec<_> = by_priority.iter().map(|g| g.key.label(Lang::En)).collect();
        assert_eq!(keys, ["High", "Medium", "Low", "Unknown (9)"]);
        let ids: Vec<u64> = by_priority[1]
            .rows
            .iter()
            .map(|&r| t.get(r).unwrap().id.0)
            .collect();
        assert_eq!(ids, [8, 6, 4, 1]);
        let by_status = group(&t, &rows, GroupBy::Status);
        let keys: Vec<_> = by_status.iter().map(|g| g.key.label(Lang::Ru)).collect();
        assert_eq!(
            keys,
            [
                "Ждет выполнения",
                "Выполняется",
                "Ждет контроля",
                "Завершена",
                "Отложена",
                "Отклонена",
                "Неизвестно (42)"
            ]
        );
        let none = group(&t, &[], GroupBy::None);
        assert_eq!(none.len(), 1);
        assert_eq!(none[0].count(), 0);
        assert!(group(&t, &[], GroupBy::Status).is_empty());
    }

    #[test]
    fn chart_shares() {
        let t = sample();
        let rows = t.apply(&Query::default());
        let chart = status_chart(&t, &rows);
        assert_eq!(chart[1].status, Folded::One(RealStatus::InProgress));
        assert_eq!(chart[1].count, 2);
        assert_eq!(chart[1].percent(), 25);
        assert!(status_chart(&t, &[]).is_empty());
    }

    fn unknown_status(code: u64) -> Folded<RealStatus> {
        Folded::One(RealStatus::Unknown(code.to_string()))
    }

    fn unknown_priority(code: u64) -> Folded<Priority> {
        Folded::One(Priority::Unknown(code.to_string()))
    }

    /// The pivot's sums agree with each other and with the number of rows.
    fn assert_adds_up(p: &Pivot, rows: usize) {
        assert_eq!(p.total, rows);
        assert_eq!(p.cells.len(), p.statuses.len());
        assert_eq!(p.row_totals.iter().sum::<usize>(), rows);
        assert_eq!(p.col_totals.iter().sum::<usize>(), rows);
        for (r, row) in p.cells.iter().enumerate() {
            assert_eq!(row.len(), p.priorities.len());
            assert_eq!(row.iter().sum::<usize>(), p.row_totals[r]);
        }
        for c in 0..p.priorities.len() {
            assert_eq!(p.cells.iter().map(|r| r[c]).sum::<usize>(), p.col_totals[c]);
        }
    }

    #[test]
    fn ten_thousand_unknown_statuses_and_priorities_fold_into_other() {
        // Task i has status 1000 + i and priority 20000 + i, all distinct and unknown
        // (a matrix of every pair would be 10^8 cells); statuses 5000 and 7000 are more
        // frequent; 20 tasks are in progress, medium.
        let mut tasks: Vec<Task> = (0..10_000)
            .map(|i| {
                task(
                    i + 1,
                    &(20_000 + i).to_string(),
                    &(1000 + i).to_string(),
                    None,
                )
            })
            .collect();
        tasks.extend((0..5).map(|i| task(20_001 + i, "2", "5000", None)));
        tasks.extend((0..4).map(|i| task(20_101 + i, "2", "7000", None)));
        tasks.extend((0..20).map(|i| task(20_201 + i, "1", "3", Some("-1"))));
        let t = TaskTable::from_tasks(tasks);
        let all = t.apply(&Query::default());
        assert_eq!(all.len(), 10_029);
        let p = pivot(&t, &all);

        assert!(p.statuses.len() <= RealStatus::KNOWN.len() + UNKNOWN_SLOTS);
        assert!(p.priorities.len() <= 3 + UNKNOWN_SLOTS);
        // The live statuses, then the two most frequent unknown statuses and the first five
        // of the rest in status order (7 named), then "Other" with the 9 993 others.
        let named: Vec<_> = [1000, 1001, 1002, 1003, 1004, 5000, 7000]
            .map(unknown_status)
            .to_vec();
        assert_eq!(
            p.statuses[..5],
            RealStatus::KNOWN[1..6]
                .iter()
                .cloned()
                .map(Folded::One)
                .collect::<Vec<_>>()[..]
        );
        assert_eq!(p.statuses[5..12], named[..]);
        assert_eq!(p.statuses[12], Folded::Other { values: 9_993 });
        assert_eq!(p.statuses.len(), 13);
        // Priorities: low, medium, high, the first 7 unknown in order, "Other".
        assert_eq!(
            p.priorities[3..10],
            (20_000..20_007).map(unknown_priority).collect::<Vec<_>>()[..]
        );
        assert_eq!(p.priorities[10], Folded::Other { values: 9_993 });
        assert_eq!(p.priorities.len(), 11);

        assert_adds_up(&p, all.len());
        assert_eq!(p.row_totals[1], 20); // in progress
        assert_eq!(p.row_totals[10], 6); // status 5000: task 4001 and five more
        assert_eq!(p.row_totals[12], 9_993);
        assert_eq!(p.col_totals[2], 9); // high: the extra tasks of status 5000 and 7000
        assert_eq!(p.col_totals[10], 9_993);
        // Other × Other: tasks 8..=10000 except the two with a named status (5000, 7000).
        assert_eq!(p.cells[12][10], 9_991);
        assert_eq!(p.cells[5][3], 1); // status 1000 × priority 20000: task 1

        // A named row or column filters the table to exactly its count.
        for (status, &n) in p.statuses.iter().zip(&p.row_totals) {
            if let Some(s) = status.value() {
                let q = Query {
                    statuses: [s.clone()].into(),
                    ..Query::default()
                };
                assert_eq!(t.apply(&q).len(), n, "{s:?}");
            }
        }
        for (priority, &n) in p.priorities.iter().zip(&p.col_totals) {
            if let Some(x) = priority.value() {
                let q = Query {
                    priorities: [x.clone()].into(),
                    ..Query::default()
                };
                assert_eq!(t.apply(&q).len(), n, "{x:?}");
            }
        }
        // The filters offer only the named values.
        assert_eq!(p.named_statuses().len(), 12);
        assert_eq!(p.named_priorities().len(), 10);
        let c = Counters::of(&t);
        assert_eq!((c.total, c.in_progress, c.overdue), (10_029, 20, 20));

        // The chart names and folds the same statuses, with the pivot's row totals.
        let chart = status_chart(&t, &all);
        assert!(chart.len() <= RealStatus::KNOWN.len() + UNKNOWN_SLOTS);
        let bars: Vec<_> = chart.iter().map(|b| (b.status.clone(), b.count)).collect();
        let rows: Vec<_> = p
            .statuses
            .iter()
            .cloned()
            .zip(p.row_totals.iter().copied())
            .filter(|&(_, n)| n > 0)
            .collect();
        assert_eq!(bars, rows);
        assert_eq!(chart.iter().map(|b| b.count).sum::<usize>(), all.len());
        assert_eq!(chart.last().map(StatusShare::percent), Some(100));
    }

    #[test]
    fn up_to_the_bound_every_unknown_value_is_named() {
        let tasks = |distinct: u64| {
            TaskTable::from_tasks(
                (0..distinct)
                    .map(|i| task(i + 1, &(10 + i).to_string(), &(100 + i).to_string(), None))
                    .collect(),
            )
        };
        let slots = UNKNOWN_SLOTS as u64;
        let t = tasks(slots);
        let all = t.apply(&Query::default());
        let p = pivot(&t, &all);
        assert_eq!(
            p.statuses[5..],
            (100..100 + slots).map(unknown_status).collect::<Vec<_>>()[..]
        );
        assert_eq!(
            p.priorities[3..],
            (10..10 + slots).map(unknown_priority).collect::<Vec<_>>()[..]
        );
        assert_adds_up(&p, all.len());

        // One more: the last two share "Other", the slots stay at the bound.
        let t = tasks(slots + 1);
        let all = t.apply(&Query::default());
        let p = pivot(&t, &all);
        assert_eq!(p.statuses.len(), 5 + UNKNOWN_SLOTS);
        assert_eq!(p.statuses.last(), Some(&Folded::Other { values: 2 }));
        assert_eq!(p.priorities.last(), Some(&Folded::Other { values: 2 }));
        assert_eq!(p.row_totals.last(), Some(&2));
        assert_eq!(p.cells[5 + UNKNOWN_SLOTS - 1][3 + UNKNOWN_SLOTS - 1], 2);
        assert_adds_up(&p, all.len());
        let chart = status_chart(&t, &all);
        assert_eq!(chart.len(), UNKNOWN_SLOTS);
        assert_eq!(
            chart.last().map(|b| (&b.status, b.count)),
            Some((&Folded::Other { values: 2 }, 2))
        );
        assert_eq!(
            Folded::<RealStatus>::Other { values: 2 }.label(Lang::Ru),
            "Другие"
        );
        assert_eq!(Folded::One(Priority::High).label(Lang::De), "Hoch");
    }

    #[test]
    fn hundred_thousand_tasks_with_mixed_unknown_priorities_stay_within_the_bound() {
        // The generated set (known priorities and the unknown "9"), with every third task
        // given one of 20 000 distinct unknown priorities, and every fifth an unknown status.
        let mut tasks = generate(100_000, 11);
        for (i, task) in tasks.iter_mut().enumerate() {
            if i % 3 == 0 {
                task.priority = Priority::Unknown(format!("{}", 100 + (i * 7919) % 20_000));
            }
            if i % 5 == 0 {
                task.status = RealStatus::Unknown(format!("{}", 100 + i % 3_000));
            }
        }
        let mut per_priority: std::collections::HashMap<Priority, usize> = Default::default();
        for task in &tasks {
            *per_priority.entry(task.priority.clone()).or_default() += 1;
        }
        let t = TaskTable::from_tasks(tasks);
        let all = t.apply(&Query::default());
        let p = pivot(&t, &all);
        assert!(p.statuses.len() <= RealStatus::KNOWN.len() + UNKNOWN_SLOTS);
        assert_eq!(p.priorities.len(), 3 + UNKNOWN_SLOTS);
        assert_adds_up(&p, 100_000);

        // Each named column holds exactly that priority's tasks; the frequent "9" is named,
        // no folded value is more frequent than a named unknown one, and "Other" holds the
        // rest.
        let named = p.named_priorities();
        assert!(named.contains(&Priority::Unknown("9".into())));
        for (x, &n) in named.iter().zip(&p.col_totals) {
            assert_eq!(per_priority.get(x).copied().unwrap_or(0), n, "{x:?}");
        }
        let least_named = named[3..].iter().map(|x| per_priority[x]).min().unwrap();
        let folded: Vec<usize> = per_priority
            .iter()
            .filter(|(x, _)| !named.contains(x))
            .map(|(_, &n)| n)
            .collect();
        assert_eq!(
            p.priorities.last(),
            Some(&Folded::Other {
                values: folded.len()
            })
        );
        assert!(folded.iter().all(|&n| n <= least_named));
        assert_eq!(p.col_totals.last(), Some(&folded.iter().sum::<usize>()));

        let chart = status_chart(&t, &all);
        assert!(chart.len() <= RealStatus::KNOWN.len() + UNKNOWN_SLOTS);
        assert!(matches!(
            chart.last().map(|b| &b.status),
            Some(Folded::Other { .. })
        ));
        assert_eq!(chart.iter().map(|b| b.count).sum::<usize>(), 100_000);
        assert_eq!(Counters::of(&t).total, 100_000);
    }
}

#[cfg(test)]
#[path = "summary_views_tests.rs"]
mod views_tests;
