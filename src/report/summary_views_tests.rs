//! Tests of the who-and-when views (issue 14): grouping by responsible, creator, project and
//! deadline bucket, the person filters and date presets of the query.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::i18n::{self, Lang, ReportLabels};
use crate::report::dates::{parse_day, DateField, DatePreset, PortalTime};
use crate::report::query::{SortDir, SortKey};
use crate::report::task::{Task, TaskId};

/// Now: Friday 2025-10-24 10:00 in the portal's +03:00.
pub(super) fn now() -> i64 {
    PortalTime::parse("2025-10-24T10:00:00+03:00")
        .unwrap()
        .unix()
}

/// A task with a responsible person, creator, project and deadline (`+03:00`).
pub(super) fn task(
    id: u64,
    responsible: Option<u64>,
    creator: u64,
    group: Option<u64>,
    deadline: Option<&str>,
) -> Task {
    let mut t = Task::from_status_fields(
        TaskId(id),
        format!("task {id}"),
        Priority::Medium,
        None,
        Some("3"),
    );
    t.responsible = responsible.map(UserId);
    t.created_by = Some(UserId(creator));
    t.group = group.map(GroupId);
    t.deadline = deadline.map(|d| PortalTime::parse(d).unwrap());
    t
}

/// Seven tasks: Boris (2) has three, Anna (1) two, user 9 (no name) one, one has nobody.
pub(super) fn people_table() -> TaskTable {
    TaskTable::from_tasks(vec![
        task(1, Some(2), 1, Some(5), Some("2025-10-23T19:00:00+03:00")), // overdue
        task(2, Some(1), 2, None, Some("2025-10-24T19:00:00+03:00")),    // today
        task(3, Some(2), 2, Some(6), Some("2025-10-26T19:00:00+03:00")), // this week
        task(4, Some(9), 1, Some(5), Some("2025-10-28T19:00:00+03:00")), // next week
        task(5, Some(1), 9, Some(7), Some("2025-12-01T19:00:00+03:00")), // later
        task(6, None, 1, None, None),                                    // no deadline
        task(7, Some(2), 2, Some(5), Some("2025-10-01T19:00:00+03:00")), // overdue
    ])
}

pub(super) fn directory() -> Directory {
    let mut d = Directory::new();
    d.insert_person(UserId(1), "Анна Петрова");
    d.insert_person(UserId(2), "Boris Brown");
    d.insert_project(GroupId(5), "Website");
    d.insert_project(GroupId(6), "CRM rollout");
    d
}

fn ids(t: &TaskTable, rows: &[u32]) -> Vec<u64> {
    rows.iter().map(|&r| t.get(r).unwrap().id.0).collect()
}

fn headings(groups: &[Group], lang: Lang, dir: &Directory) -> Vec<String> {
    let labels = ReportLabels {
        lang,
        directory: dir,
    };
    groups
        .iter()
        .map(|g| format!("{} ({})", i18n::group_label(&labels, &g.key), g.count()))
        .collect()
}

#[test]
fn groups_by_responsible_go_by_name_with_fallbacks_and_keep_the_query_order() {
    let t = people_table();
    let dir = directory();
    let rows = t.apply(&Query::default()); // ID descending
    let ctx = GroupContext {
        directory: &dir,
        now: now(),
    };
    let groups = group_in(&t, &rows, GroupBy::Responsible, ctx);
    // Named people by name (Latin "B" before Cyrillic "А"), the unnamed one by ID, nobody last.
    assert_eq!(
        headings(&groups, Lang::En, &dir),
        [
            "Boris Brown (3)",
            "Анна Петрова (2)",
            "User #9 (1)",
            "Not set (1)"
        ]
    );
    assert_eq!(
        headings(&groups, Lang::Ru, &dir)[2..],
        ["Пользователь #9 (1)", "Не указан (1)"]
    );
    assert_eq!(ids(&t, &groups[0].rows), [7, 3, 1]);
    assert_eq!(ids(&t, &groups[1].rows), [5, 2]);
    // Without names (before they are resolved) the groups go by ID.
    let empty = Directory::new();
    let unnamed = group_in(
        &t,
        &rows,
        GroupBy::Responsible,
        GroupContext {
            directory: &empty,
            now: now(),
        },
    );
    assert_eq!(
        headings(&unnamed, Lang::De, &empty),
        [
            "Benutzer #1 (2)",
            "Benutzer #2 (3)",
            "Benutzer #9 (1)",
            "Nicht angegeben (1)"
        ]
    );
    // Sorted by ID ascending: each group follows that order.
    let q = Query {
        sort: SortKey::Id,
        dir: SortDir::Asc,
        ..Query::default()
    };
    let asc = t.apply(&q);
    let groups = group_in(&t, &asc, GroupBy::Responsible, ctx);
    assert_eq!(ids(&t, &groups[0].rows), [1, 3, 7]);
}

#[test]
fn groups_by_creator_project_and_deadline_bucket() {
    let t = people_table();
    let dir = directory();
    let rows = t.apply(&Query::default());
    let ctx = GroupContext {
        directory: &dir,
        now: now(),
    };
    let by_creator = group_in(&t, &rows, GroupBy::Creator, ctx);
    assert_eq!(
        headings(&by_creator, Lang::En, &dir),
        ["Boris Brown (3)", "Анна Петрова (3)", "User #9 (1)"]
    );
    let by_project = group_in(&t, &rows, GroupBy::Project, ctx);
    assert_eq!(
        headings(&by_project, Lang::En, &dir),
        [
            "CRM rollout (1)",
            "Website (3)",
            "Project #7 (1)",
            "No project (2)"
        ]
    );
    assert_eq!(
        headings(&by_project, Lang::Ua, &dir)[2..],
        ["Проєкт #7 (1)", "Без проєкту (2)"]
    );
    let by_deadline = group_in(&t, &rows, GroupBy::Deadline, ctx);
    assert_eq!(
        headings(&by_deadline, Lang::En, &dir),
        [
            "Overdue (2)",
            "Due today (1)",
            "Due this week (1)",
            "Due next week (1)",
            "Due later (1)",
            "No deadline (1)"
        ]
    );
    assert_eq!(ids(&t, &by_deadline[0].rows), [7, 1]);
    assert_eq!(
        headings(&by_deadline, Lang::Ru, &dir)[..2],
        ["Просрочены (2)", "Срок сегодня (1)"]
    );
    // Late on Sunday evening (+03:00) Monday's deadline is already next week's.
    let sunday = PortalTime::parse("2025-10-26T23:30:00+03:00")
        .unwrap()
        .unix();
    let later = group_in(
        &t,
        &rows,
        GroupBy::Deadline,
        GroupContext {
            directory: &dir,
            now: sunday,
        },
    );
    assert_eq!(
        headings(&later, Lang::En, &dir),
        [
            "Overdue (4)",
            "Due next week (1)",
            "Due later (1)",
            "No deadline (1)"
        ]
    );
    // Every grouping covers every row exactly once.
    for by in GroupBy::ALL {
        let groups = group_in(&t, &rows, by, ctx);
        let mut all: Vec<u32> = groups.iter().flat_map(|g| g.rows.clone()).collect();
        all.sort_unstable();
        let mut want = rows.clone();
        want.sort_unstable();
        assert_eq!(all, want, "{by:?}");
    }
}

#[test]
fn person_project_and_date_filters_combine() {
    let t = people_table();
    let at = |q: &Query| ids(&t, &t.apply_at(q, now()));
    let mut q = Query::default();
    q.responsible.insert(UserId(2));
    assert_eq!(at(&q), [7, 3, 1]);
    assert!(q.is_filtered());
    q.responsible.insert(UserId(1));
    assert_eq!(at(&q), [7, 5, 3, 2, 1]);
    q.creators.insert(UserId(1));
    assert_eq!(at(&q), [1]);
    q.creators.clear();
    q.projects.insert(None);
    assert_eq!(at(&q), [2]);
    q.projects.insert(Some(GroupId(5)));
    assert_eq!(at(&q), [7, 2, 1]);
    q.dates
        .set(DateField::Deadline, Some(DatePreset::ThisMonth));
    assert_eq!(at(&q), [7, 2, 1]);
    q.dates.set(DateField::Deadline, Some(DatePreset::ThisWeek));
    assert_eq!(at(&q), [2, 1]);
    q.dates.set(DateField::Deadline, Some(DatePreset::Today));
    assert_eq!(at(&q), [2]);
    // A person nobody has: nothing; unknown to the table is not an error.
    let mut nobody = Query::default();
    nobody.responsible.insert(UserId(404));
    assert_eq!(at(&nobody), Vec::<u64>::new());
    // Clearing the filters clears the new ones too.
    q.clear_filters();
    assert!(!q.is_filtered());
    assert_eq!(at(&q).len(), 7);
    // Date presets on created and closed dates; a task without the date never matches.
    let mut tasks = vec![
        task(1, Some(1), 1, None, None),
        task(2, Some(1), 1, None, None),
        task(3, Some(1), 1, None, None),
    ];
    tasks[0].created = PortalTime::parse("2025-10-20T09:00:00+03:00");
    tasks[1].created = PortalTime::parse("2025-10-17T09:00:00+03:00");
    tasks[1].closed = PortalTime::parse("2025-10-24T00:10:00+03:00");
    tasks[2].closed = PortalTime::parse("2025-10-23T23:50:00+03:00");
    let t = TaskTable::from_tasks(tasks);
    let at = |q: &Query| ids(&t, &t.apply_at(q, now()));
    let mut q = Query::default();
    q.dates.set(DateField::Created, Some(DatePreset::ThisWeek));
    assert_eq!(at(&q), [1]);
    q.dates.set(DateField::Created, Some(DatePreset::LastWeek));
    assert_eq!(at(&q), [2]);
    q.dates.set(DateField::Created, None);
    q.dates.set(DateField::Closed, Some(DatePreset::Today));
    assert_eq!(at(&q), [2]);
    q.dates.set(
        DateField::Closed,
        Some(DatePreset::Custom {
            from: parse_day("2025-10-23"),
            to: parse_day("2025-10-23"),
        }),
    );
    assert_eq!(at(&q), [3]);
    // Only the relative presets follow the day (the report re-runs them when it changes).
    assert!(!q.dates.follow_today(), "fixed days only");
    q.dates.set(DateField::Deadline, Some(DatePreset::Today));
    assert!(q.dates.follow_today());
    assert!(!Query::default().dates.follow_today());
}

#[test]
fn sort_by_person_or_project_name_is_a_stable_counting_sort_with_none_last() {
    use crate::report::query::RefColumn;
    let t = people_table();
    let dir = directory();
    let rows = t.apply(&Query::default()); // ID descending
    let order = people_order(&t, &dir);
    let asc = t.sort_by_ref(&rows, RefColumn::Responsible, &order, SortDir::Asc);
    // Boris (7, 3, 1), Анна (5, 2), user 9 (4), nobody (6); ties keep ID descending.
    assert_eq!(ids(&t, &asc), [7, 3, 1, 5, 2, 4, 6]);
    let desc = t.sort_by_ref(&rows, RefColumn::Responsible, &order, SortDir::Desc);
    assert_eq!(ids(&t, &desc), [4, 5, 2, 7, 3, 1, 6]);
    let projects = projects_order(&t, &dir);
    let by_project = t.sort_by_ref(&rows, RefColumn::Project, &projects, SortDir::Asc);
    // CRM rollout (3), Website (7, 4, 1), project 7 (5), none (6, 2).
    assert_eq!(ids(&t, &by_project), [3, 7, 4, 1, 5, 6, 2]);
    let by_creator = t.sort_by_name(&rows, RefColumn::Creator, &dir, SortDir::Asc);
    assert_eq!(ids(&t, &by_creator), [7, 3, 2, 6, 4, 1, 5]);
    // Against a comparison sort on a generated table: same order, every row once.
    let big = TaskTable::from_tasks(
        (1..=5000u64)
            .map(|i| {
                let who = (i * 7919 % 61 != 0).then_some(i * 31 % 40);
                task(i, who, i % 13, Some(i % 5), None)
            })
            .collect(),
    );
    let mut names = Directory::new();
    for u in (0..40).step_by(3) {
        names.insert_person(UserId(u), &format!("Name {}", 40 - u));
    }
    let rows = big.apply(&Query::default());
    let order = people_order(&big, &names);
    for dir in [SortDir::Asc, SortDir::Desc] {
        let fast = big.sort_by_ref(&rows, RefColumn::Responsible, &order, dir);
        let position = |row: &u32| {
            let key = big.responsible_key(*row);
            order.iter().position(|&k| k == key).unwrap()
        };
        let mut slow = rows.clone();
        slow.sort_by(|a, b| {
            let (x, y) = (big.get(*a).unwrap(), big.get(*b).unwrap());
            match (x.responsible, y.responsible) {
                (None, None) => std::cmp::Ordering::Equal,
                (None, _) => std::cmp::Ordering::Greater,
                (_, None) => std::cmp::Ordering::Less,
                _ if dir == SortDir::Asc => position(a).cmp(&position(b)),
                _ => position(b).cmp(&position(a)),
            }
        });
        assert_eq!(fast, slow, "{dir:?}");
    }
}
