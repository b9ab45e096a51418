//! The responsible × status pivot (issue 14, "who has overdue tasks"): one row per
//! responsible person with their tasks per status, an overdue column and a total, the rows
//! sorted by overdue (most first), then by total, then by name.
//!
//! Overdue is the portal's own meta status −1 (as the header counter and the "Overdue"
//! preset: an open task past its deadline, `docs/platform/task-list.md`, "Meta statuses"),
//! so a click on a person's overdue count shows exactly those tasks. The [`PERSON_ROWS`] most
//! overdue people get a row of their own (the question is who is behind; everyone's count is
//! in the responsible filter's list); the rest share one "Other" row, so a portal with
//! thousands of people cannot push the task table off the first screen.
//!
//! Pure: counts over row indexes with the table's interned keys; a submodule of `summary`
//! (it shares its status folding).

use super::{fold, histogram, people_order, Fold, Folded, PIVOT_STATUSES};
use crate::report::directory::Directory;
use crate::report::order;
use crate::report::query::TaskTable;
use crate::report::task::{GroupId, MetaStatus, RealStatus, UserId};

/// Most people with a row of their own; the rest are folded into [`PersonPivot::other`].
pub const PERSON_ROWS: usize = 10;

/// One row of the [`PersonPivot`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonRow {
    /// The responsible person (`None`: tasks without one).
    pub person: Option<UserId>,
    /// Tasks per status column.
    pub cells: Vec<usize>,
    /// Overdue tasks (meta status −1).
    pub overdue: usize,
    /// All the row's tasks.
    pub total: usize,
}

/// Responsible × status, with an overdue column.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonPivot {
    /// Status columns (the status pivot's: live statuses always, unknown ones folded).
    pub statuses: Vec<Folded<RealStatus>>,
    /// The people with a row of their own, most overdue first.
    pub rows: Vec<PersonRow>,
    /// The people beyond [`PERSON_ROWS`], together (`person` is `None`), and how many.
    pub other: Option<(PersonRow, usize)>,
    /// Per-status sums.
    pub col_totals: Vec<usize>,
    /// All overdue tasks counted.
    pub overdue: usize,
    /// All tasks counted.
    pub total: usize,
}

/// Builds the responsible × status pivot over `rows`; ties in overdue and total go by name
/// ([`people_order`] with `directory`).
pub fn person_pivot(table: &TaskTable, rows: &[u32], directory: &Directory) -> PersonPivot {
    let status_counts = histogram(rows.iter().copied(), table.status_values().len(), |r| {
        table.status_key(r)
    });
    let statuses: Fold<RealStatus> = fold(table.status_values(), &status_counts, &PIVOT_STATUSES);
    let width = statuses.slots.len();
    let people = table.people();
    let mut per_person: Vec<PersonRow> = people
        .iter()
        .map(|&person| PersonRow {
            person,
            cells: vec![0; width],
            overdue: 0,
            total: 0,
        })
        .collect();
    let overdue_byte = super::META_BY_BYTE
        .iter()
        .position(|m| *m == Some(MetaStatus::Overdue));
    for &row in rows {
        let Some(p) = per_person.get_mut(table.responsible_key(row)) else {
            continue;
        };
        p.total += 1;
        if Some(table.meta_key(row)) == overdue_byte {
            p.overdue += 1;
        }
        if let Some(n) = statuses
            .slot(table.status_key(row))
            .and_then(|s| p.cells.get_mut(s))
        {
            *n += 1;
        }
    }
    // Name order as the tie-break: rank of each people key.
    let mut rank = vec![0usize; people.len()];
    for (i, key) in people_order(table, directory).into_iter().enumerate() {
        if let Some(r) = rank.get_mut(key) {
            *r = i;
        }
    }
    // Keys below `people.len()`, the length of `per_person` and `rank`.
    let mut keys: Vec<usize> = (per_person.iter().enumerate())
        .filter(|(_, p)| p.total > 0)
        .map(|(k, _)| k)
        .collect();
    order::sort_indexes(&mut keys, &|a, b| {
        let (x, y) = (&per_person[a], &per_person[b]);
        y.overdue
            .cmp(&x.overdue)
            .then(y.total.cmp(&x.total))
            .then(rank[a].cmp(&rank[b]))
    });
    let folded = keys.split_off(keys.len().min(PERSON_ROWS));
    let other = (!folded.is_empty()).then(|| {
        let mut sum = PersonRow {
            person: None,
            cells: vec![0; width],
            overdue: 0,
            total: 0,
        };
        for &k in &folded {
            let p = &per_person[k];
            sum.overdue += p.overdue;
            sum.total += p.total;
            for (s, n) in sum.cells.iter_mut().zip(&p.cells) {
                *s += n;
            }
        }
        (sum, folded.len())
    });
    let rows_out: Vec<PersonRow> = keys
        .iter()
        .map(|&k| std::mem::take(&mut per_person[k]))
        .collect();
    let all = rows_out.iter().chain(other.as_ref().map(|(r, _)| r));
    let mut col_totals = vec![0; width];
    let (mut overdue, mut total) = (0, 0);
    for r in all {
        overdue += r.overdue;
        total += r.total;
        for (s, n) in col_totals.iter_mut().zip(&r.cells) {
            *s += n;
        }
    }
    PersonPivot {
        statuses: statuses.slots,
        rows: rows_out,
        other,
        col_totals,
        overdue,
        total,
    }
}

/// Tasks per value of a person or project column, for the filter lists ("Anna Petrova
/// (12)"): every value with at least one of `rows`, in `order` (name order).
fn counts_in_order<T: Copy>(
    values: &[T],
    rows: &[u32],
    key_of: impl Fn(u32) -> usize,
    order: Vec<usize>,
) -> Vec<(T, usize)> {
    let counts = histogram(rows.iter().copied(), values.len(), key_of);
    order
        .into_iter()
        .filter_map(|k| {
            let n = counts.get(k).copied().unwrap_or(0);
            (n > 0).then_some((*values.get(k)?, n))
        })
        .collect()
}

/// The responsible people of `rows` with their task counts, by name (nobody last).
pub fn responsible_counts(
    table: &TaskTable,
    rows: &[u32],
    directory: &Directory,
) -> Vec<(Option<UserId>, usize)> {
    let order = people_order(table, directory);
    counts_in_order(table.people(), rows, |r| table.responsible_key(r), order)
}

/// The creators of `rows` with their task counts, by name.
pub fn creator_counts(
    table: &TaskTable,
    rows: &[u32],
    directory: &Directory,
) -> Vec<(Option<UserId>, usize)> {
    let order = people_order(table, directory);
    counts_in_order(table.people(), rows, |r| table.creator_key(r), order)
}

/// The projects of `rows` with their task counts, by name (no project last).
pub fn project_counts(
    table: &TaskTable,
    rows: &[u32],
    directory: &Directory,
) -> Vec<(Option<GroupId>, usize)> {
    let order = super::projects_order(table, directory);
    counts_in_order(
        table.project_values(),
        rows,
        |r| table.project_key(r),
        order,
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::report::query::Query;
    use crate::report::task::{Priority, Task, TaskId};

    fn task(id: u64, responsible: Option<u64>, status: &str, overdue: bool) -> Task {
        let mut t = Task::from_status_fields(
            TaskId(id),
            format!("task {id}"),
            Priority::Medium,
            None,
            Some(status),
        );
        t.responsible = responsible.map(UserId);
        t.meta = overdue.then_some(MetaStatus::Overdue);
        t
    }

    #[test]
    fn rows_sorted_by_overdue_then_total_then_name() {
        // Anna (1): 3 tasks, 1 overdue; Boris (2): 2 tasks, 2 overdue; user 3: 3 tasks, 1
        // overdue (ties with Anna on both: name order puts Anna first); user 4: 1, none.
        let t = TaskTable::from_tasks(vec![
            task(1, Some(1), "3", true),
            task(2, Some(1), "2", false),
            task(3, Some(1), "5", false),
            task(4, Some(2), "3", true),
            task(5, Some(2), "3", true),
            task(6, Some(3), "2", true),
            task(7, Some(3), "3", false),
            task(8, Some(3), "42", false),
            task(9, Some(4), "4", false),
        ]);
        let mut dir = Directory::new();
        dir.insert_person(UserId(1), "Anna Ivanova");
        dir.insert_person(UserId(2), "Boris Brown");
        let all = t.apply(&Query::default());
        let p = person_pivot(&t, &all, &dir);
        let order: Vec<_> = p
            .rows
            .iter()
            .map(|r| (r.person.unwrap().0, r.overdue, r.total))
            .collect();
        assert_eq!(order, [(2, 2, 2), (1, 1, 3), (3, 1, 3), (4, 0, 1)]);
        // Columns: the status pivot's (live 2–6 always, then the unknown 42).
        assert_eq!(p.statuses.len(), 6);
        assert_eq!(p.statuses[5], Folded::One(RealStatus::Unknown("42".into())));
        // Boris: two in progress.
        assert_eq!(p.rows[0].cells, [0, 2, 0, 0, 0, 0]);
        // User 3: pending, in progress, unknown 42.
        assert_eq!(p.rows[2].cells, [1, 1, 0, 0, 0, 1]);
        assert_eq!((p.overdue, p.total), (4, 9));
        assert_eq!(p.col_totals, [2, 4, 1, 1, 0, 1]);
        assert!(p.other.is_none());
        // A responsible filter on each row shows exactly its total.
        for r in &p.rows {
            let q = Query {
                responsible: [r.person.unwrap()].into(),
                ..Query::default()
            };
            assert_eq!(t.apply(&q).len(), r.total);
        }
    }

    #[test]
    fn people_beyond_the_bound_share_one_row_and_sums_still_add_up() {
        // 100 people: person i has i tasks, overdue when the task index is even.
        let mut tasks = Vec::new();
        let mut id = 0;
        for person in 1..=100u64 {
            for k in 0..person {
                id += 1;
                tasks.push(task(id, Some(person), "3", k % 2 == 0));
            }
        }
        tasks.push(task(id + 1, None, "2", true));
        let t = TaskTable::from_tasks(tasks);
        let all = t.apply(&Query::default());
        let p = person_pivot(&t, &all, &Directory::new());
        assert_eq!(p.rows.len(), PERSON_ROWS);
        assert_eq!(p.rows[0].person, Some(UserId(100))); // 50 overdue
        assert_eq!(p.rows[1].person, Some(UserId(99))); // 50 overdue, fewer tasks
        assert!(p.rows.windows(2).all(|w| w[0].overdue >= w[1].overdue));
        let (other, people) = p.other.clone().unwrap();
        assert_eq!(people, 101 - PERSON_ROWS);
        let shown: usize = p.rows.iter().map(|r| r.total).sum();
        assert_eq!(shown + other.total, all.len());
        assert_eq!(p.total, all.len());
        assert_eq!(p.col_totals.iter().sum::<usize>(), all.len());
        assert!(other.overdue <= p.rows.last().unwrap().overdue * people);
        assert!(person_pivot(&t, &[], &Directory::new()).rows.is_empty());
    }

    #[test]
    fn filter_lists_count_tasks_per_person_and_project_by_name() {
        let mut tasks = vec![
            task(1, Some(1), "3", false),
            task(2, Some(2), "3", false),
            task(3, Some(2), "3", false),
            task(4, None, "3", false),
        ];
        tasks[0].created_by = Some(UserId(2));
        tasks[1].created_by = Some(UserId(2));
        tasks[0].group = Some(GroupId(5));
        let t = TaskTable::from_tasks(tasks);
        let mut dir = Directory::new();
        dir.insert_person(UserId(2), "Anna");
        dir.insert_person(UserId(1), "Zoe");
        let all = t.apply(&Query::default());
        assert_eq!(
            responsible_counts(&t, &all, &dir),
            [(Some(UserId(2)), 2), (Some(UserId(1)), 1), (None, 1)]
        );
        // Creators: Anna twice, two tasks without a creator.
        assert_eq!(
            creator_counts(&t, &all, &dir),
            [(Some(UserId(2)), 2), (None, 2)]
        );
        assert_eq!(
            project_counts(&t, &all, &dir),
            [(Some(GroupId(5)), 1), (None, 3)]
        );
    }
}
