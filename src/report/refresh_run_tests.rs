//! The refresh against the portal model behind the loader's wire (`load_faults.rs`): after
//! changes to the portal, snapshot + refresh equals a fresh full load; a fault stops it
//! without a result.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::report::loader::faults::{block_on, Faults, FaultyTransport, VirtualClock};
use crate::report::loader::{load_tasks, LoadEvent, LoadOutcome};
use crate::report::task::MetaStatus;

const ADMIN: u64 = 1;

fn faults() -> Faults {
    Faults {
        enforce_bucket: true,
        ..Faults::default()
    }
}

/// A full load as the app does it: every row, ID descending.
fn full_load(portal: &FaultyTransport, clock: &VirtualClock) -> Vec<Task> {
    let mut rows = Vec::new();
    let outcome = {
        let mut on = |e: LoadEvent| {
            if let LoadEvent::Rows(r) = e {
                rows.extend(r);
            }
        };
        block_on(
            clock,
            load_tasks(
                portal,
                clock,
                &LoadConfig::default(),
                None,
                &CancelFlag::new(),
                &mut on,
            ),
        )
    };
    assert!(
        matches!(outcome, LoadOutcome::Complete { .. }),
        "{outcome:?}"
    );
    rows.sort_by_key(|t| std::cmp::Reverse(t.id.0));
    rows
}

/// Asserts equal lists, naming the first differences (not printing 10 000 rows).
fn same(got: &[Task], want: &[Task]) {
    let ids = |v: &[Task]| {
        v.iter()
            .map(|t| t.id.0)
            .collect::<std::collections::BTreeSet<_>>()
    };
    let (g, w) = (ids(got), ids(want));
    let extra: Vec<_> = g.difference(&w).take(5).collect();
    let missing: Vec<_> = w.difference(&g).take(5).collect();
    assert!(
        extra.is_empty() && missing.is_empty(),
        "extra {extra:?}, missing {missing:?}"
    );
    if let Some((a, b)) = got.iter().zip(want).find(|(a, b)| a != b) {
        panic!("row differs: got {a:?}, want {b:?}");
    }
}

/// Refreshes `snapshot`, read just now.
fn refresh(portal: &FaultyTransport, clock: &VirtualClock, snapshot: Vec<Task>) -> RefreshEnd {
    refresh_as_of(portal, clock, snapshot, clock.unix_now_s() as i64)
}

fn refresh_as_of(
    portal: &FaultyTransport,
    clock: &VirtualClock,
    snapshot: Vec<Task>,
    as_of_s: i64,
) -> RefreshEnd {
    block_on(
        clock,
        refresh_snapshot(
            portal,
            clock,
            &LoadConfig::default(),
            &CancelFlag::new(),
            snapshot,
            0,
            as_of_s,
        ),
    )
}

fn now_ms(clock: &VirtualClock) -> u64 {
    (clock.unix_now_s() * 1000.0) as u64
}

#[test]
fn after_every_kind_of_change_the_refresh_equals_a_full_load() {
    let clock = VirtualClock::default();
    let portal = FaultyTransport::with_ids(&clock, 10_000, faults(), 1, true);
    // 20 tasks hidden from the user when the snapshot is taken, revealed later.
    portal.model().borrow_mut().hide_tasks(ADMIN, 20, 3);
    let snapshot = full_load(&portal, &clock);
    let before = portal.requests();
    {
        let mut m = portal.model().borrow_mut();
        let at = now_ms(&clock);
        m.update_tasks(100, at);
        m.insert_tasks(100, at);
        m.delete_tasks(100);
        m.reveal_tasks(ADMIN, 20, 5);
        m.hide_tasks(ADMIN, 20, 7);
    }
    let RefreshEnd::Done { tasks, requests } = refresh(&portal, &clock, snapshot) else {
        panic!("refresh failed");
    };
    assert_eq!(requests, portal.requests() - before);
    println!("mixed changes over 10 000 tasks: {requests} requests");
    let fresh = full_load(&portal, &clock);
    same(&tasks, &fresh);
    assert!(requests <= 15, "{requests}");
}

#[test]
fn nothing_changed_costs_at_most_three_requests_and_an_empty_snapshot_asks_for_a_full_load() {
    let clock = VirtualClock::default();
    let portal = FaultyTransport::with_ids(&clock, 5_000, faults(), 2, true);
    let snapshot = full_load(&portal, &clock);
    let before = portal.requests();
    let RefreshEnd::Done { tasks, requests } = refresh(&portal, &clock, snapshot.clone()) else {
        panic!("refresh failed");
    };
    assert_eq!(tasks, snapshot);
    assert!(requests <= 3, "{requests}");
    assert_eq!(portal.requests() - before, requests);
    assert!(matches!(
        refresh(&portal, &clock, Vec::new()),
        RefreshEnd::Stopped(RelayEnd::FullLoadNeeded)
    ));
}

#[test]
fn a_portal_that_lost_every_task_refreshes_to_none() {
    let clock = VirtualClock::default();
    let portal = FaultyTransport::with_ids(&clock, 300, faults(), 3, true);
    let snapshot = full_load(&portal, &clock);
    portal.model().borrow_mut().delete_tasks(300);
    let RefreshEnd::Done { tasks, .. } = refresh(&portal, &clock, snapshot) else {
        panic!("refresh failed");
    };
    assert!(tasks.is_empty());
}

#[test]
fn a_fault_that_does_not_pass_stops_the_refresh_without_a_result() {
    let clock = VirtualClock::default();
    let portal = FaultyTransport::with_ids(&clock, 2_000, faults(), 4, true);
    let snapshot = full_load(&portal, &clock);
    portal.model().borrow_mut().delete_tasks(5);
    portal.set_faults(Faults {
        hang_always: true,
        ..faults()
    });
    let end = refresh(&portal, &clock, snapshot);
    assert!(
        matches!(&end, RefreshEnd::Stopped(RelayEnd::Failed { error, .. }) if error.kind == LoadErrorKind::Timeout),
        "{end:?}"
    );
}

#[test]
fn passing_faults_still_give_the_full_load_result() {
    let clock = VirtualClock::default();
    let portal = FaultyTransport::with_ids(&clock, 4_000, faults(), 5, true);
    let snapshot = full_load(&portal, &clock);
    {
        let mut m = portal.model().borrow_mut();
        let at = now_ms(&clock);
        m.update_tasks(30, at);
        m.delete_tasks(30);
    }
    portal.set_faults(Faults {
        p_503: 0.3,
        p_5xx: 0.1,
        malformed_at: vec![portal.requests() + 2],
        token_ttl: Some(3),
        ..faults()
    });
    let RefreshEnd::Done { tasks, .. } = refresh(&portal, &clock, snapshot) else {
        panic!("refresh failed");
    };
    portal.set_faults(faults());
    same(&tasks, &full_load(&portal, &clock));
}

#[test]
fn a_snapshot_with_many_id_holes_asks_for_a_full_load() {
    // The generated portal skips IDs as old deletions do: more gaps than the refresh reads.
    let clock = VirtualClock::default();
    let portal = FaultyTransport::new(&clock, 2_000, faults(), 6);
    let snapshot = full_load(&portal, &clock);
    let before = portal.requests();
    assert!(matches!(
        refresh(&portal, &clock, snapshot),
        RefreshEnd::Stopped(RelayEnd::FullLoadNeeded)
    ));
    assert_eq!(portal.requests(), before, "decided without a request");
}

#[test]
fn a_failed_batch_command_goes_through_the_retry_policy() {
    // OPERATION_TIME_LIMIT inside a batch (HTTP 200): the refresh waits for the block to end
    // and then gives the full load's result, in a few requests (it asked again at once, 40
    // rounds, and gave up "did not converge").
    let clock = VirtualClock::default();
    let portal = FaultyTransport::with_ids(&clock, 2_000, faults(), 7, true);
    let snapshot = full_load(&portal, &clock);
    portal.model().borrow_mut().delete_tasks(5);
    portal.set_faults(Faults {
        op_429_at: Some(portal.requests() + 1),
        op_block_s: 30,
        ..faults()
    });
    let (before, started) = (portal.requests(), now_ms(&clock));
    let RefreshEnd::Done { tasks, requests } = refresh(&portal, &clock, snapshot.clone()) else {
        panic!("refresh failed");
    };
    assert!(
        now_ms(&clock) - started >= 30_000,
        "waited for the block to end"
    );
    assert_eq!(portal.requests() - before, requests);
    assert!(requests <= 6, "{requests}");
    portal.set_faults(faults());
    same(&tasks, &full_load(&portal, &clock));

    // A command the portal refuses for good stops the refresh with that error, at once.
    portal.set_faults(Faults {
        sub_error_always: Some((0, "ACCESS_DENIED")),
        ..faults()
    });
    let before = portal.requests();
    let end = refresh(&portal, &clock, snapshot);
    assert!(
        matches!(&end, RefreshEnd::Stopped(RelayEnd::Failed { error, .. }) if error.kind == LoadErrorKind::AccessDenied),
        "{end:?}"
    );
    assert_eq!(portal.requests() - before, 1);
}

fn count_meta(tasks: &[Task], meta: MetaStatus) -> usize {
    tasks.iter().filter(|t| t.meta == Some(meta)).count()
}

#[test]
fn viewed_tasks_refresh_to_what_a_full_load_shows() {
    let clock = VirtualClock::default();
    let portal = FaultyTransport::with_ids(&clock, 10_000, faults(), 4, true);
    let snapshot = full_load(&portal, &clock);
    let unviewed = count_meta(&snapshot, MetaStatus::Unviewed);
    assert!(
        unviewed > 100,
        "the administrator has tasks not viewed: {unviewed}"
    );
    let viewed = portal.model().borrow_mut().view_tasks(ADMIN, 500, 2);
    // Of the tasks opened, those the snapshot shows "not viewed" (the others are overdue,
    // closed or the administrator's own: another status wins).
    let marked = snapshot
        .iter()
        .filter(|t| viewed.contains(&t.id.0) && t.meta == Some(MetaStatus::Unviewed))
        .count();
    assert!(marked >= 20, "{marked} of {}", viewed.len());
    let before = portal.requests();
    let RefreshEnd::Done { tasks, requests } = refresh(&portal, &clock, snapshot) else {
        panic!("refresh failed");
    };
    assert_eq!(requests, portal.requests() - before);
    same(&tasks, &full_load(&portal, &clock));
    assert_eq!(count_meta(&tasks, MetaStatus::Unviewed), unviewed - marked);
    println!("{marked} viewed of {unviewed} not viewed over 10 000 tasks: {requests} requests");
}

#[test]
fn deadlines_that_pass_after_the_snapshot_refresh_to_overdue() {
    let clock = VirtualClock::default();
    // Deadlines around now: today, this week, next week.
    let now = clock.unix_now_s() as i64;
    let portal = FaultyTransport::with_reference(&clock, 10_000, faults(), 5, true, now);
    let snapshot = full_load(&portal, &clock);
    let as_of = now;
    // Three days later, nothing edited: deadlines passed, others came within a day.
    clock.pass(3 * 86_400 * 1_000);
    let fresh = full_load(&portal, &clock);
    let overdue = |v: &[Task]| count_meta(v, MetaStatus::Overdue);
    assert!(
        overdue(&fresh) > overdue(&snapshot),
        "{} -> {}",
        overdue(&snapshot),
        overdue(&fresh)
    );
    println!("overdue {} -> {}", overdue(&snapshot), overdue(&fresh));
    let before = portal.requests();
    let RefreshEnd::Done { tasks, requests } = refresh_as_of(&portal, &clock, snapshot, as_of)
    else {
        panic!("refresh failed");
    };
    assert_eq!(requests, portal.requests() - before);
    same(&tasks, &fresh);
    println!("three days on, over 10 000 tasks: {requests} requests");
}
