//! Sorting by the columns of issue 14 — people and projects by name, dates by instant,
//! durations by length — on the rows a query keeps.
//!
//! Rules, the same for every such column: rows without a value (no responsible, no project,
//! no deadline, no time) come last in both directions; rows with equal values keep the
//! query's tiebreak, ID descending (the input is the ID order and the sort is stable).
//! People and projects sort by their display name (folded like titles: case-insensitive,
//! `ё` = `е`); IDs without a known name come after the named ones, by number — the order of
//! their fallback text "User #12".
//!
//! Pure: names come from the [`Directory`], never from the UI.

use std::cmp::Ordering;
use std::collections::HashMap;

use crate::report::directory::Directory;
use crate::report::order;
use crate::report::query::{fold, SortDir, SortKey};
use crate::report::task::Task;

/// What a row is sorted by: a rank (people, projects: position of the name), an instant or a
/// length. Every kind maps to a `u64` whose order is the sort order.
fn row_key(task: &Task, key: SortKey, ranks: &HashMap<u64, u32>) -> Option<u64> {
    // Unix seconds (possibly negative) shifted so that the unsigned order is the time order.
    let instant =
        |t: Option<crate::report::dates::PortalTime>| t.map(|t| (t.unix() as u64) ^ (1 << 63));
    match key {
        SortKey::Responsible => task
            .responsible
            .and_then(|u| ranks.get(&u.0).map(|&r| u64::from(r))),
        SortKey::CreatedBy => task
            .created_by
            .and_then(|u| ranks.get(&u.0).map(|&r| u64::from(r))),
        SortKey::Project => task
            .group
            .and_then(|g| ranks.get(&g.0).map(|&r| u64::from(r))),
        SortKey::Deadline => instant(task.deadline),
        SortKey::Created => instant(task.created),
        SortKey::Changed => instant(task.changed),
        SortKey::Closed => instant(task.closed),
        SortKey::TimeEstimate => task.time_estimate.map(u64::from),
        SortKey::TimeSpent => task.time_spent.map(u64::from),
        SortKey::Id | SortKey::Title | SortKey::Priority | SortKey::Status => None,
    }
}

/// The position of each person's or project's ID when they are ordered by name (named ones
/// first, by folded name then ID; unnamed ones by ID), over the IDs `rows` refer to.
fn name_ranks(tasks: &[Task], rows: &[u32], key: SortKey, names: &Directory) -> HashMap<u64, u32> {
    let id_of = |task: &Task| match key {
        SortKey::Responsible => task.responsible.map(|u| u.0),
        SortKey::CreatedBy => task.created_by.map(|u| u.0),
        SortKey::Project => task.group.map(|g| g.0),
        _ => None,
    };
    // The same map type as the table's ID index (one copy of its code in the wasm).
    let mut seen: HashMap<u64, u32> = HashMap::new();
    for &row in rows {
        if let Some(id) = tasks.get(row as usize).and_then(id_of) {
            seen.insert(id, 0);
        }
    }
    let people = matches!(key, SortKey::Responsible | SortKey::CreatedBy);
    let entries: Vec<(Option<String>, u64)> = seen
        .keys()
        .map(|&id| {
            let name = if people {
                names.person(crate::report::task::UserId(id))
            } else {
                names.project(crate::report::task::GroupId(id))
            };
            (name.map(fold), id)
        })
        .collect();
    let order = order::sorted_indexes(entries.len(), &|a, b| {
        let (x, y) = (&entries[a], &entries[b]);
        match (&x.0, &y.0) {
            (Some(p), Some(q)) => p.cmp(q),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
        .then(x.1.cmp(&y.1))
    });
    for (rank, i) in order.into_iter().enumerate() {
        if let Some(&(_, id)) = entries.get(i) {
            seen.insert(id, u32::try_from(rank).unwrap_or(u32::MAX));
        }
    }
    seen
}

/// `rows` (in ID-descending order, already filtered) sorted by `key` in `dir`: stable, rows
/// without a value last in both directions.
pub fn sort_rows(
    tasks: &[Task],
    rows: Vec<u32>,
    key: SortKey,
    dir: SortDir,
    names: &Directory,
) -> Vec<u32> {
    let ranks = if matches!(
        key,
        SortKey::Responsible | SortKey::CreatedBy | SortKey::Project
    ) {
        name_ranks(tasks, &rows, key, names)
    } else {
        HashMap::new()
    };
    let mut keys = vec![0u64; tasks.len()];
    let mut present = Vec::with_capacity(rows.len());
    let mut missing = Vec::new();
    for row in rows {
        match tasks
            .get(row as usize)
            .and_then(|t| row_key(t, key, &ranks))
        {
            Some(k) => {
                if let Some(slot) = keys.get_mut(row as usize) {
                    *slot = k;
                }
                present.push(row);
            }
            None => missing.push(row),
        }
    }
    let key_of = |row: u32| keys.get(row as usize).copied().unwrap_or(0);
    match dir {
        SortDir::Asc => order::stable_sort(&mut present, &|a, b| key_of(a).cmp(&key_of(b))),
        SortDir::Desc => order::stable_sort(&mut present, &|a, b| key_of(b).cmp(&key_of(a))),
    }
    present.extend(missing);
    present
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::report::query::{Query, TaskTable};
    use crate::report::task::{test_task, GroupId, RawDetails, UserId};

    fn task(id: u64, responsible: Option<u64>, details: RawDetails<'_>) -> Task {
        test_task(id, "t", "1", "2", None)
            .with_responsible(responsible)
            .with_details(details)
    }

    fn ids(table: &TaskTable, rows: &[u32]) -> Vec<u64> {
        rows.iter().map(|&r| table.get(r).unwrap().id.0).collect()
    }

    fn sorted(table: &TaskTable, key: SortKey, dir: SortDir, names: &Directory) -> Vec<u64> {
        let q = Query {
            sort: key,
            dir,
            ..Query::default()
        };
        ids(table, &table.apply_named(&q, 0, names))
    }

    #[test]
    fn people_sort_by_name_then_unnamed_by_number_and_missing_last() {
        let mut names = Directory::new();
        names.insert_person(UserId(7), "Ёлкина Анна");
        names.insert_person(UserId(8), "елисеев Борис");
        names.insert_person(UserId(9), "Zed");
        let none = RawDetails::default;
        let t = TaskTable::from_tasks(vec![
            task(1, Some(9), none()),
            task(2, Some(7), none()),
            task(3, None, none()),
            task(4, Some(8), none()),
            task(5, Some(30), none()),
            task(6, Some(12), none()),
            task(7, Some(7), none()),
        ]);
        // Zed < елисеев < ёлкина (= елкина); then User #12, User #30; then none.
        assert_eq!(
            sorted(&t, SortKey::Responsible, SortDir::Asc, &names),
            [1, 4, 7, 2, 6, 5, 3]
        );
        // Descending reverses the values, keeps ties by ID descending and "none" last.
        assert_eq!(
            sorted(&t, SortKey::Responsible, SortDir::Desc, &names),
            [5, 6, 7, 2, 4, 1, 3]
        );
        // Without names every ID is its number.
        assert_eq!(
            sorted(&t, SortKey::Responsible, SortDir::Asc, &Directory::new()),
            [7, 2, 4, 1, 6, 5, 3]
        );
    }

    #[test]
    fn creators_and_projects_sort_by_their_names() {
        let mut names = Directory::new();
        names.insert_person(UserId(1), "Бета");
        names.insert_person(UserId(2), "Альфа");
        names.insert_project(GroupId(5), "Сайт");
        names.insert_project(GroupId(6), "Бухгалтерия");
        let d = |by: &'static str, group: &'static str| RawDetails {
            created_by: Some(by),
            group: Some(group),
            ..RawDetails::default()
        };
        let t = TaskTable::from_tasks(vec![
            task(1, None, d("1", "5")),
            task(2, None, d("2", "0")),
            task(3, None, d("1", "6")),
        ]);
        assert_eq!(
            sorted(&t, SortKey::CreatedBy, SortDir::Asc, &names),
            [2, 3, 1]
        );
        assert_eq!(
            sorted(&t, SortKey::Project, SortDir::Asc, &names),
            [3, 1, 2]
        );
        assert_eq!(
            sorted(&t, SortKey::Project, SortDir::Desc, &names),
            [1, 3, 2]
        );
    }

    #[test]
    fn dates_sort_by_instant_across_offsets_and_durations_by_length() {
        let d = |deadline: Option<&'static str>, spent: Option<&'static str>| RawDetails {
            deadline,
            time_spent: spent,
            ..RawDetails::default()
        };
        let t = TaskTable::from_tasks(vec![
            // 19:00 in Moscow is 16:00 UTC: earlier than 17:00 UTC.
            task(1, None, d(Some("2025-10-24T19:00:00+03:00"), Some("60"))),
            task(2, None, d(Some("2025-10-24T17:00:00+00:00"), None)),
            task(3, None, d(None, Some("3600"))),
            task(4, None, d(Some("1969-12-31T00:00:00+00:00"), Some("0"))),
            task(5, None, d(Some("garbage"), Some("60"))),
        ]);
        let none = Directory::new();
        assert_eq!(
            sorted(&t, SortKey::Deadline, SortDir::Asc, &none),
            [4, 1, 2, 5, 3]
        );
        assert_eq!(
            sorted(&t, SortKey::Deadline, SortDir::Desc, &none),
            [2, 1, 4, 5, 3]
        );
        assert_eq!(
            sorted(&t, SortKey::TimeSpent, SortDir::Desc, &none),
            [3, 5, 1, 4, 2]
        );
        assert_eq!(
            sorted(&t, SortKey::TimeSpent, SortDir::Asc, &none),
            [4, 5, 1, 3, 2]
        );
        // Every new key sorts every row once (filters still apply before).
        for key in SortKey::ALL {
            let mut got = sorted(&t, key, SortDir::Asc, &none);
            got.sort_unstable();
            assert_eq!(got, [1, 2, 3, 4, 5], "{key:?}");
        }
    }
}
