//! Aggregates for the report header and the side views: Bitrix24-style counters
//! ([`Counters`]), the status × priority pivot ([`Pivot`]), grouping of the current rows
//! ([`group`]) and the status distribution chart ([`status_chart`]).
//!
//! Everything counts over row indexes of a [`TaskTable`] (all rows, or the current query's
//! result), using the table's interned integer keys: one pass, no per-row allocation.
//! Unknown statuses and priorities are counted as their own rows / columns / groups.
//!
//! Pure: no browser imports.

use std::borrow::Cow;
use std::cmp::Ordering;

use crate::i18n::{self, Lang, Msg};
use crate::report::order;
use crate::report::query::{self, Preset, Query, TaskTable, META_BY_BYTE};
use crate::report::task::{MetaStatus, Priority, RealStatus};

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

    /// The counter's label key.
    pub fn label(self) -> Msg {
        match self {
            Self::Total => Msg::CounterTotal,
            Self::InProgress => Msg::CounterInProgress,
            Self::Overdue => Msg::CounterOverdue,
            Self::AlmostOverdue => Msg::CounterAlmostOverdue,
            Self::Unviewed => Msg::CounterUnviewed,
            Self::AwaitingControl => Msg::CounterAwaitingControl,
            Self::Completed => Msg::CounterCompleted,
        }
    }

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

    fn count(table: &TaskTable, rows: impl Iterator<Item = u32>) -> Self {
        let statuses = table.status_values();
        let mut by_status = vec![0usize; statuses.len()];
        let mut by_meta = [0usize; 4];
        let mut total = 0;
        for row in rows {
            if let Some(n) = by_status.get_mut(table.status_key(row)) {
                *n += 1;
            }
            if let Some(n) = by_meta.get_mut(table.meta_key(row)) {
                *n += 1;
            }
            total += 1;
        }
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
                .zip(by_meta)
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
        }
    }
}

/// The status × priority matrix. Rows are the live statuses 2–6 always, plus 1, 7 and unknown
/// values when present; columns are low, medium, high always, plus unknown values when
/// present. Rows in status order, columns low → high, unknown last.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pivot {
    /// Row headers.
    pub statuses: Vec<RealStatus>,
    /// Column headers.
    pub priorities: Vec<Priority>,
    /// `cells[row][column]`: tasks with that status and priority.
    pub cells: Vec<Vec<usize>>,
    /// Per-row sums.
    pub row_totals: Vec<usize>,
    /// Per-column sums.
    pub col_totals: Vec<usize>,
    /// The grand total (= number of rows counted).
    pub total: usize,
}

/// Builds the status × priority pivot over `rows`.
pub fn pivot(table: &TaskTable, rows: &[u32]) -> Pivot {
    let statuses = table.status_values();
    let priorities = table.priority_values();
    let width = priorities.len();
    let mut matrix = vec![0usize; statuses.len() * width];
    for &row in rows {
        let at = table.status_key(row) * width + table.priority_key(row);
        if let Some(n) = matrix.get_mut(at) {
            *n += 1;
        }
    }
    let row_sum = |s: usize| -> usize { matrix[s * width..(s + 1) * width].iter().sum() };
    let col_sum = |p: usize| -> usize { (0..statuses.len()).map(|s| matrix[s * width + p]).sum() };

    let status_keys: Vec<usize> = order::sorted_indexes(statuses.len(), &|a, b| {
        query::status_cmp(&statuses[a], &statuses[b])
    })
    .into_iter()
    .filter(|&s| (2..=6).contains(&statuses[s].rank()) || row_sum(s) > 0)
    .collect();
    let priority_keys: Vec<usize> = order::sorted_indexes(width, &|a, b| {
        query::priority_cmp(&priorities[a], &priorities[b])
    })
    .into_iter()
    .filter(|&p| !matches!(priorities[p], Priority::Unknown(_)) || col_sum(p) > 0)
    .collect();

    let cells: Vec<Vec<usize>> = status_keys
        .iter()
        .map(|&s| {
            priority_keys
                .iter()
                .map(|&p| matrix[s * width + p])
                .collect()
        })
        .collect();
    Pivot {
        statuses: status_keys.iter().map(|&s| statuses[s].clone()).collect(),
        priorities: priority_keys
            .iter()
            .map(|&p| priorities[p].clone())
            .collect(),
        row_totals: status_keys.iter().map(|&s| row_sum(s)).collect(),
        col_totals: priority_keys.iter().map(|&p| col_sum(p)).collect(),
        cells,
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
}

impl GroupBy {
    /// Every grouping, in menu order.
    pub const ALL: [GroupBy; 3] = [Self::None, Self::Status, Self::Priority];

    /// The grouping's menu label key.
    pub fn label(self) -> Msg {
        match self {
            Self::None => Msg::GroupNone,
            Self::Status => Msg::GroupStatus,
            Self::Priority => Msg::GroupPriority,
        }
    }
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
}

impl GroupKey {
    /// The group's heading ("All tasks", "In progress", "High", "Unknown (9)", …).
    pub fn label(&self, lang: Lang) -> Cow<'static, str> {
        match self {
            Self::All => Cow::Borrowed(i18n::t(lang, Msg::CounterTotal)),
            Self::Status(s) => i18n::status_label(lang, s),
            Self::Priority(p) => i18n::priority_label(lang, p),
        }
    }
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

/// Reads a row's interned key from the table.
type KeyFn = fn(&TaskTable, u32) -> usize;

/// Splits `rows` (the current query order) into groups, keeping the order inside each group.
/// Empty groups are left out. Status groups follow the workflow (1 … 7, unknown last);
/// priority groups put the most important first (high, medium, low, unknown last).
/// [`GroupBy::None`] gives one [`GroupKey::All`] group (also when `rows` is empty).
pub fn group(table: &TaskTable, rows: &[u32], by: GroupBy) -> Vec<Group> {
    let (keys, order): (KeyFn, Vec<usize>) = match by {
        GroupBy::None => {
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
            let rows = std::mem::take(&mut buckets[k]);
            if rows.is_empty() {
                return None;
            }
            let key = match by {
                GroupBy::Status => GroupKey::Status(table.status_values()[k].clone()),
                _ => GroupKey::Priority(table.priority_values()[k].clone()),
            };
            Some(Group { key, rows })
        })
        .collect()
}

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
    /// The status (its label: [`i18n::status_label`]).
    pub status: RealStatus,
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

/// The status distribution of `rows`: one slice per status present, in status order.
pub fn status_chart(table: &TaskTable, rows: &[u32]) -> Vec<StatusShare> {
    let groups = group(table, rows, GroupBy::Status);
    let total = rows.len();
    groups
        .into_iter()
        .filter_map(|g| match g.key {
            GroupKey::Status(status) => Some(StatusShare {
                status,
                count: g.rows.len(),
                share: g.rows.len() as f64 / total as f64,
            }),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
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
            p.statuses,
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
            p.priorities,
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
                .filter(|(s, _)| !Preset::InProgress.admits_status(s))
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
        assert_eq!(chart[1].status, RealStatus::InProgress);
        assert_eq!(chart[1].count, 2);
        assert_eq!(chart[1].percent(), 25);
        assert!(status_chart(&t, &[]).is_empty());
    }
}
