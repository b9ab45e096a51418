//! Per-user visibility changes (issue 15): `hide_tasks` / `reveal_tasks` take tasks away from
//! one user or let them see more, spread over the ID range, without moving CHANGED_DATE, and
//! every list method answers accordingly.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{json, portal_with_admin, post, NOW_MS};

/// `total` and the IDs of every task the token's user sees, through `task.item.list`
/// (ID ascending, with CHANGED_DATE).
fn listing(p: &mut b24_portal::Portal, token: &str) -> (u64, Vec<(u64, String)>) {
    let mut rows = Vec::new();
    let mut total = 0;
    for page in 1.. {
        let v = json(&post(
            p,
            "/rest/task.item.list.json",
            &format!("auth={token}&ORDER[ID]=asc&FILTER[%3EID]=0&PARAMS[NAV_PARAMS][nPageSize]=50&PARAMS[NAV_PARAMS][iNumPage]={page}&SELECT[]=ID&SELECT[]=CHANGED_DATE"),
        ));
        total = v["total"].as_u64().unwrap();
        let page_rows = v["result"].as_array().unwrap();
        for r in page_rows {
            rows.push((
                r["ID"].as_str().unwrap().parse().unwrap(),
                r["CHANGED_DATE"].as_str().unwrap().to_string(),
            ));
        }
        if page_rows.len() < 50 {
            break;
        }
    }
    (total, rows)
}

#[test]
fn hiding_from_the_admin_removes_tasks_spread_over_the_range_without_moving_dates() {
    let (mut p, t) = portal_with_admin(2_000);
    let (before_total, before) = listing(&mut p, &t.access_token);
    let hidden = p.hide_tasks(1, 20, 5);
    assert_eq!(hidden.len(), 20);
    assert!(hidden.windows(2).all(|w| w[0] < w[1]), "{hidden:?}");
    let (lo, hi) = (before[0].0, before[before.len() - 1].0);
    let tenth = (hi - lo) / 10;
    assert!(
        hidden[0] <= lo + tenth && hidden[19] >= hi - tenth,
        "spread over {lo}..={hi}: {hidden:?}"
    );
    let (total, after) = listing(&mut p, &t.access_token);
    assert_eq!(total, before_total - 20);
    let want: Vec<(u64, String)> = before
        .iter()
        .filter(|(id, _)| !hidden.contains(id))
        .cloned()
        .collect();
    assert_eq!(after, want, "the rest unchanged, CHANGED_DATE included");
    // The same seed picks the same tasks on the same portal.
    let (mut q, _) = portal_with_admin(2_000);
    assert_eq!(q.hide_tasks(1, 20, 5), hidden);
    assert_ne!(q.hide_tasks(1, 20, 6), hidden);
}

#[test]
fn revealing_to_the_admin_brings_hidden_tasks_back_unchanged() {
    let (mut p, t) = portal_with_admin(2_000);
    let (_, before) = listing(&mut p, &t.access_token);
    let hidden = p.hide_tasks(1, 40, 3);
    let revealed = p.reveal_tasks(1, 20, 9);
    assert_eq!(revealed.len(), 20);
    assert!(
        revealed.iter().all(|id| hidden.contains(id)),
        "{revealed:?}"
    );
    let (total, after) = listing(&mut p, &t.access_token);
    assert_eq!(total as usize, before.len() - 20);
    let still: Vec<u64> = hidden
        .iter()
        .filter(|id| !revealed.contains(id))
        .copied()
        .collect();
    let want: Vec<(u64, String)> = before
        .iter()
        .filter(|(id, _)| !still.contains(id))
        .cloned()
        .collect();
    assert_eq!(after, want);
    // Nothing left to reveal to the admin beyond what was hidden.
    assert_eq!(p.reveal_tasks(1, 1_000, 1).len(), 20);
    assert_eq!(listing(&mut p, &t.access_token).1, before);
}

#[test]
fn another_user_gets_tasks_granted_and_taken_and_the_admin_is_untouched() {
    let (mut p, admin) = portal_with_admin(3_000);
    let user = 7;
    let tok = p.issue_auth(user, NOW_MS).access_token;
    let (_, own) = listing(&mut p, &tok);
    assert!(!own.is_empty() && own.len() < 3_000, "{}", own.len());
    let granted = p.reveal_tasks(user, 30, 2);
    assert_eq!(granted.len(), 30);
    assert!(granted.iter().all(|g| own.iter().all(|(id, _)| id != g)));
    let taken = p.hide_tasks(user, 10, 4);
    let (total, now) = listing(&mut p, &tok);
    let mut want: Vec<u64> = own
        .iter()
        .map(|(id, _)| *id)
        .chain(granted.iter().copied())
        .filter(|id| !taken.contains(id))
        .collect();
    want.sort_unstable();
    assert_eq!(now.iter().map(|(id, _)| *id).collect::<Vec<_>>(), want);
    assert_eq!(total as usize, want.len());
    assert_eq!(p.visible_task_ids(user).len(), want.len());
    assert_eq!(listing(&mut p, &admin.access_token).0, 3_000);
    // tasks.task.list follows the same visibility.
    let v = json(&post(
        &mut p,
        "/rest/tasks.task.list.json",
        &format!("auth={tok}&order[ID]=asc&filter[%3EID]=0&select[]=ID"),
    ));
    assert_eq!(v["total"].as_u64().unwrap() as usize, want.len());
}

#[test]
fn a_deleted_task_stays_gone_when_revealed_and_a_new_one_is_seen() {
    let (mut p, t) = portal_with_admin(500);
    let hidden = p.hide_tasks(1, 500, 1);
    assert_eq!(hidden.len(), 500);
    assert_eq!(listing(&mut p, &t.access_token).0, 0);
    let inserted = p.insert_tasks(3, NOW_MS);
    let (total, rows) = listing(&mut p, &t.access_token);
    assert_eq!(total, 3);
    assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), inserted);
    let deleted = p.delete_tasks(10);
    let back = p.reveal_tasks(1, 1_000, 1);
    assert_eq!(back.len(), 490, "the deleted ones are gone for good");
    assert!(back.iter().all(|id| !deleted.contains(id)));
}

/// The IDs `token`'s user sees with `STATUS` -2 ("not viewed"), ascending, and their
/// CHANGED_DATEs.
fn unviewed(p: &mut b24_portal::Portal, token: &str) -> Vec<(u64, String)> {
    let v = json(&post(
        p,
        "/rest/task.item.list.json",
        &format!("auth={token}&ORDER[ID]=asc&FILTER[STATUS]=-2&PARAMS[NAV_PARAMS][nPageSize]=50&SELECT[]=ID&SELECT[]=CHANGED_DATE&SELECT[]=STATUS"),
    ));
    v["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(r["STATUS"], "-2");
            (
                r["ID"].as_str().unwrap().parse().unwrap(),
                r["CHANGED_DATE"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn viewing_ends_the_not_viewed_status_for_that_user_only_without_moving_dates() {
    let mut p = common::portal(3_000);
    // A user who is not the administrator (who has viewed every task of the dataset).
    let user = (2..20)
        .find(|&u| {
            let t = p.issue_auth(u, NOW_MS);
            unviewed(&mut p, &t.access_token).len() >= 6
        })
        .expect("a user with tasks not viewed");
    let token = p.issue_auth(user, NOW_MS).access_token;
    let before = unviewed(&mut p, &token);
    let viewed = p.view_tasks(user, 4, 2);
    assert_eq!(viewed.len(), 4);
    let after = unviewed(&mut p, &token);
    let want: Vec<(u64, String)> = before
        .iter()
        .filter(|(id, _)| !viewed.contains(id))
        .cloned()
        .collect();
    assert_eq!(
        after, want,
        "the others still not viewed, CHANGED_DATE included"
    );
    // Asking for more than there are views every task never viewed (the ones not viewed
    // among them too), then there is nothing left.
    let rest = p.view_tasks(user, 1_000, 2);
    assert!(want.iter().all(|(id, _)| rest.contains(id)), "{rest:?}");
    assert!(unviewed(&mut p, &token).is_empty());
    assert!(p.view_tasks(user, 5, 1).is_empty());
}
