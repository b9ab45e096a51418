//! The user and project directory and how tasks use it (issue 14): ~50 users with Russian,
//! Ukrainian and English names (some without a last name), ~20 projects, RESPONSIBLE_ID /
//! CREATED_BY over every user with a skew, GROUP_ID on about 70 % of tasks.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;

use b24_portal::{project, user, PROJECTS, USERS};
use common::*;

#[test]
fn fifty_users_with_mixed_scripts_and_some_empty_last_names() {
    assert_eq!(USERS.len(), 50);
    for (i, u) in USERS.iter().enumerate() {
        assert_eq!(u.id, i as u64 + 1);
        assert_eq!(user(u.id), Some(u));
        assert!(!u.name.is_empty() && !u.login.is_empty(), "{u:?}");
    }
    assert_eq!(user(0), None);
    assert_eq!(user(51), None);
    let empty_last = USERS.iter().filter(|u| u.last_name.is_empty()).count();
    assert!((2..=6).contains(&empty_last), "{empty_last}");
    let cyrillic = |s: &str| s.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c));
    let ukrainian = |s: &str| s.chars().any(|c| "ієїґІЄЇҐ".contains(c));
    assert!(USERS.iter().filter(|u| cyrillic(u.name)).count() >= 20);
    assert!(USERS.iter().filter(|u| ukrainian(u.name)).count() >= 4);
    assert!(USERS.iter().filter(|u| u.name.is_ascii()).count() >= 15);
    let mut logins: Vec<&str> = USERS.iter().map(|u| u.login).collect();
    logins.sort_unstable();
    logins.dedup();
    assert_eq!(logins.len(), USERS.len(), "logins are unique");
}

#[test]
fn twenty_projects_with_names_and_flags() {
    assert_eq!(PROJECTS.len(), 20);
    for (i, p) in PROJECTS.iter().enumerate() {
        assert_eq!(p.id, i as u64 + 1);
        assert_eq!(project(p.id), Some(p));
        assert!(!p.name.is_empty() && p.members_count > 0);
    }
    assert_eq!(project(0), None, "GROUP_ID 0 is no project");
    assert_eq!(project(21), None);
    assert!(PROJECTS.iter().any(|p| p.opened) && PROJECTS.iter().any(|p| !p.opened));
    assert!(PROJECTS.iter().any(|p| p.name == "Сайт компании"));
    assert!(PROJECTS.iter().any(|p| p.name == "Mobile app"));
}

/// Counts of a row field over the admin's full list (read through `task.item.list`).
fn counts(rows: &[serde_json::Value], field: &str) -> BTreeMap<u64, usize> {
    let mut m = BTreeMap::new();
    for r in rows {
        let id: u64 = r[field].as_str().unwrap().parse().unwrap();
        *m.entry(id).or_default() += 1;
    }
    m
}

#[test]
fn tasks_spread_over_every_user_with_a_skew_and_70_percent_in_projects() {
    let (mut p, t) = portal_with_admin(20_000);
    let rows = all_rows(&mut p, &t.access_token, "&SELECT[]=ID");
    assert_eq!(rows.len(), 20_000);
    for field in ["RESPONSIBLE_ID", "CREATED_BY"] {
        let c = counts(&rows, field);
        assert_eq!(c.len(), 50, "{field}: every user has tasks");
        assert!(c.keys().all(|id| user(*id).is_some()));
        let max = *c.values().max().unwrap();
        let min = *c.values().min().unwrap();
        assert!(max > 8 * min, "{field}: skewed, max {max} min {min}");
    }
    let groups = counts(&rows, "GROUP_ID");
    let none = groups.get(&0).copied().unwrap_or(0);
    let pct = none * 100 / rows.len();
    assert!((25..=35).contains(&pct), "{pct}% without a project");
    assert_eq!(groups.len(), 21, "every project has tasks");
    assert!(groups.keys().all(|g| *g == 0 || project(*g).is_some()));
}

#[test]
fn non_admin_users_see_their_tasks_even_with_ids_above_31() {
    let mut p = portal(5000);
    for uid in [33u64, 48] {
        let tok = p.issue_auth(uid, NOW_MS);
        let rows = all_rows(&mut p, &tok.access_token, "&SELECT[]=ID");
        assert!(!rows.is_empty(), "user {uid} has tasks");
        assert_eq!(rows.len(), p.visible_task_ids(uid).len());
        let me = uid.to_string();
        let me = me.as_str();
        let mine = |r: &serde_json::Value| r["RESPONSIBLE_ID"] == me || r["CREATED_BY"] == me;
        assert!(rows.iter().all(mine));
        // Viewed flags work for every user ID (a 64-bit mask): some of the tasks a user
        // neither created nor viewed are "not viewed" (-2), and not all of them.
        let pending: Vec<_> = rows
            .iter()
            .filter(|r| r["REAL_STATUS"] == "2" && r["CREATED_BY"] != me)
            .collect();
        let unviewed = pending.iter().filter(|r| r["STATUS"] == "-2").count();
        let others = pending
            .iter()
            .filter(|r| r["STATUS"] == "2" || r["STATUS"] == "-3" || r["STATUS"] == "-1")
            .count();
        assert!(
            unviewed > 0 && others > 0,
            "user {uid}: {unviewed} / {others}"
        );
    }
}
