//! Tests of the refresh planner against a simulated portal state: the refreshed list must
//! equal a full load of the same state, within the request counts of issue 15.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use super::*;
use crate::report::id_ranges::IdRange;
use crate::report::params::encode;
use crate::report::task::Priority;

const T0: i64 = 1_760_000_000;
const OFFSET_MIN: i32 = 180;
/// When the snapshots of these tests were read: after every task's CHANGED_DATE.
const AS_OF: i64 = T0 + 200_000;

fn task(id: u64, changed: i64, title: &str) -> Task {
    let mut t = Task::from_status_fields(
        TaskId(id),
        title.to_string(),
        Priority::Medium,
        Some("2"),
        None,
    );
    t.changed = PortalTime::new(changed, OFFSET_MIN);
    t
}

/// The portal's state: every visible task by ID.
type State = BTreeMap<u64, Task>;

fn in_range(state: &State, range: IdRange) -> Vec<&Task> {
    match range.hi {
        Some(hi) => state.range(range.lo..=hi).map(|(_, t)| t).collect(),
        None => state.range(range.lo..).map(|(_, t)| t).collect(),
    }
}

fn answer(state: &State, ask: Ask, newest: Option<PortalTime>) -> Answer {
    let since = newest.map(|t| t.unix() - SAFETY_MARGIN_S);
    let (matching, size, page): (Vec<&Task>, usize, u32) = match ask {
        Ask::Changed { page } => (
            state
                .values()
                .filter(|t| match since {
                    Some(s) => t.changed.is_some_and(|c| c.unix() >= s),
                    None => true,
                })
                .collect(),
            50,
            page,
        ),
        Ask::Count { range } => (in_range(state, range), 1, 1),
        Ask::Rows { range, page } => (in_range(state, range), 50, page),
        Ask::Overdue { page } => (due(state, MetaStatus::Overdue, AS_OF), 50, page),
        Ask::AlmostOverdue { page } => (due(state, MetaStatus::AlmostOverdue, AS_OF), 50, page),
        Ask::UnviewedCount => (unviewed(state), 1, 1),
        Ask::Unviewed { page } => (unviewed(state), 50, page),
    };
    let total = matching.len() as u64;
    let rows = matching
        .into_iter()
        .rev()
        .skip((page as usize - 1) * size)
        .take(size)
        .cloned()
        .collect();
    Answer { total, rows }
}

/// The tasks with meta status `meta` whose deadline is not before `from` less the margin.
fn due(state: &State, meta: MetaStatus, from: i64) -> Vec<&Task> {
    state
        .values()
        .filter(|t| {
            t.meta == Some(meta) && t.deadline.is_some_and(|d| d.unix() >= from - DUE_MARGIN_S)
        })
        .collect()
}

fn unviewed(state: &State) -> Vec<&Task> {
    state
        .values()
        .filter(|t| t.meta == Some(MetaStatus::Unviewed))
        .collect()
}

/// Runs a whole refresh of `snapshot` (read at [`AS_OF`]) against `state`, meta statuses
/// included; the merged list and the requests.
fn refresh(snapshot: &[Task], state: &State, offset: u64) -> (Vec<Task>, usize) {
    let ids: Vec<TaskId> = snapshot.iter().map(|t| t.id).collect();
    let newest = newest_changed(snapshot);
    let meta = MetaWatch::of(snapshot, AS_OF);
    let (mut run, mut asks) = Refresh::start_counts_allowed(&ids, newest, offset, Some(meta))
        .expect("a snapshot to refresh");
    let mut requests = 0;
    while !asks.is_empty() {
        requests += requests_for(asks.len());
        let answers = asks.iter().map(|a| answer(state, *a, newest)).collect();
        asks = run.next(&asks, answers);
        assert!(requests < 1_000, "the refresh does not end");
    }
    assert!(run.is_complete());
    (run.merge(snapshot.to_vec()), requests)
}

fn full_load(state: &State) -> Vec<Task> {
    state.values().rev().cloned().collect()
}

/// Asserts two task lists are equal, naming the first difference (not printing 100 000 rows).
fn same(got: &[Task], want: &[Task]) {
    let diff = got.iter().zip(want).position(|(a, b)| a != b);
    if let Some(i) = diff {
        panic!("row {i}: got {:?}, want {:?}", got[i], want[i]);
    }
    assert_eq!(got.len(), want.len(), "same rows, different lengths");
}

fn portal(n: u64) -> State {
    (1..=n)
        .map(|id| (id, task(id, T0 + id as i64, &format!("task {id}"))))
        .collect()
}

/// A deterministic spread of `k` IDs from 1..=n (seeded by `salt`).
fn spread(n: u64, k: u64, salt: u64) -> Vec<u64> {
    (0..k).map(|i| 1 + (i * n / k + salt * 7_919) % n).collect()
}

fn encode_uri(s: &str) -> String {
    crate::report::params::encode_uri_component(s)
}

/// A snapshot of `state` taken while `hidden` were invisible to the user.
fn snapshot_without(state: &State, hidden: &[u64]) -> Vec<Task> {
    full_load(state)
        .into_iter()
        .filter(|t| !hidden.contains(&t.id.0))
        .collect()
}

#[test]
fn round_one_fits_one_batch_and_filters_as_documented() {
    let state = portal(100_000);
    let snapshot = full_load(&state);
    let ids: Vec<TaskId> = snapshot.iter().map(|t| t.id).collect();
    let newest = PortalTime::new(T0, OFFSET_MIN);
    let (run, asks) = Refresh::start(&ids, newest, 0, None).unwrap();
    assert_eq!(asks.len(), MAX_BATCH as usize);
    let changed = encode(&run.command(asks[0], "c".into()).params);
    let since = PortalTime::new(T0 - SAFETY_MARGIN_S, OFFSET_MIN)
        .unwrap()
        .iso();
    assert!(since.ends_with("+03:00"), "{since}");
    assert!(
        changed.contains(&format!(
            "[{}]={}",
            encode_uri(">=CHANGED_DATE"),
            encode_uri(&since)
        )),
        "{changed}"
    );
    // The IDs beyond the snapshot: open-ended, 50 rows.
    let tail = encode(&run.command(asks[1], "t".into()).params);
    assert!(
        tail.contains(&format!("[{}]=100001", encode_uri(">=ID"))),
        "{tail}"
    );
    assert!(!tail.contains(&encode_uri("<=ID")), "{tail}");
    assert!(tail.contains("[nPageSize]=50"), "{tail}");
    let count = encode(&run.command(asks[2], "p".into()).params);
    assert!(
        count.contains(&format!("[{}]=1", encode_uri(">=ID"))),
        "{count}"
    );
    assert!(count.contains(&encode_uri("<=ID")), "{count}");
    assert!(count.contains("[nPageSize]=1"), "{count}");
    assert!(count.contains("[ID]=desc"), "{count}");
}

#[test]
fn nothing_changed_at_100_000_stays_within_three_requests() {
    let state = portal(100_000);
    let snapshot = full_load(&state);
    let (merged, requests) = refresh(&snapshot, &state, 0);
    same(&merged, &full_load(&state));
    // The safety margin brings back the tasks of the last two minutes: in this portal one
    // task changed per second, so 121 rows = 3 pages, the last two in a second batch.
    assert_eq!(requests, 2);
}

#[test]
fn nothing_to_refresh_from_or_too_many_gaps_means_a_full_load() {
    assert!(Refresh::start(&[], PortalTime::new(T0, 0), 0, None).is_none());
    assert!(Refresh::start(&[TaskId(1)], None, 0, None).is_none());
    let sparse: Vec<TaskId> = (1..=1_000).map(|i| TaskId(i * 3)).collect();
    let at = PortalTime::new(T0, 0);
    assert!(Refresh::start(&sparse, at, 0, None).is_none());
    assert!(Refresh::start_counts_allowed(&sparse, at, 0, None).is_some());
    let gaps: Vec<TaskId> = (1..=1_000).filter(|i| i % 50 != 0).map(TaskId).collect();
    assert!(
        Refresh::start(&gaps, at, 0, None).is_some(),
        "19 gaps: exact"
    );
}

#[test]
fn a_portal_that_lost_all_tasks_shows_none() {
    let snapshot = full_load(&portal(10_000));
    let (merged, requests) = refresh(&snapshot, &State::new(), 0);
    assert!(merged.is_empty(), "{} left", merged.len());
    assert_eq!(requests, 1);
}

#[test]
fn ids_far_beyond_the_snapshot_are_found_even_with_old_dates() {
    let mut state = portal(5_000);
    let snapshot = full_load(&state);
    for id in (1_000_000..1_000_070).chain([2_000_000]) {
        state.insert(id, task(id, T0 - 86_400, "old, revealed"));
    }
    let (merged, requests) = refresh(&snapshot, &state, 0);
    same(&merged, &full_load(&state));
    assert_eq!(requests, 2, "71 rows beyond: two pages");
}

#[test]
fn an_interior_deletion_and_reveal_in_the_same_range_are_found() {
    let mut state = portal(10_000);
    // 5 000 was hidden from the user when the snapshot was taken and is revealed now
    // (its CHANGED_DATE did not move); 5 010 of the same range is deleted: equal count,
    // equal edges. The gap read finds the reveal, so the count shows the deletion.
    let snapshot = snapshot_without(&state, &[5_000]);
    state.remove(&5_010);
    let (merged, requests) = refresh(&snapshot, &state, 0);
    same(&merged, &full_load(&state));
    assert!(requests <= 3, "{requests}");
}

#[test]
fn a_revealed_block_larger_than_a_page_is_read_whole() {
    let state = portal(10_000);
    let hidden: Vec<u64> = (4_000..4_130).collect();
    let snapshot = snapshot_without(&state, &hidden);
    let (merged, requests) = refresh(&snapshot, &state, 0);
    same(&merged, &full_load(&state));
    assert_eq!(requests, 2);
}

/// What a user who sees every third of 30 000 tasks sees, and a snapshot of it: more
/// gaps than [`GAP_LIMIT`], so the refresh works by counts alone.
fn sparse_portal() -> (State, Vec<Task>) {
    let state: State = portal(30_000)
        .into_iter()
        .filter(|(id, _)| id % 3 == 0)
        .collect();
    let snapshot = full_load(&state);
    (state, snapshot)
}

#[test]
fn without_gap_reads_an_interior_pair_is_the_documented_gap() {
    let (mut state, snapshot) = sparse_portal();
    let hidden_then = state.remove(&15_000).unwrap();
    let snapshot: Vec<Task> = snapshot.into_iter().filter(|t| t.id.0 != 15_000).collect();
    state.insert(15_000, hidden_then);
    state.remove(&15_030);
    let (merged, _) = refresh(&snapshot, &state, 0);
    // Same count, same largest ID, no CHANGED_DATE moved: not seen (incremental-refresh.md).
    assert!(merged != full_load(&state));
    // A refresh with moved boundaries splits the pair apart and finds it.
    let ids: Vec<u64> = snapshot.iter().map(|t| t.id.0).rev().collect();
    let offset = (1..200)
        .find(|&o| {
            // Round one's other commands: the changed-since page, the three meta-status
            // queries and the read beyond the largest ID.
            first_ranges(&ids, 5, o)
                .iter()
                .any(|r| r.contains(15_000) != r.contains(15_030))
        })
        .unwrap();
    let (merged, _) = refresh(&snapshot, &state, offset);
    same(&merged, &full_load(&state));
}

#[test]
fn without_gap_reads_deletions_and_changes_are_found() {
    let (mut state, snapshot) = sparse_portal();
    for id in spread(30_000, 30, 4) {
        state.remove(&(id - id % 3 + 3));
    }
    for id in spread(30_000, 30, 9) {
        let id = id - id % 3 + 3;
        if state.contains_key(&id) {
            state.insert(id, task(id, T0 + 90_000, "changed"));
        }
    }
    let (merged, requests) = refresh(&snapshot, &state, 0);
    same(&merged, &full_load(&state));
    println!("30 deletions + changes over 10 000 tasks, counts alone: {requests} requests");
    assert!(requests <= 6, "{requests}");
}

#[test]
fn a_missing_answer_is_asked_again() {
    let mut state = portal(2_000);
    let snapshot = full_load(&state);
    state.remove(&777);
    let ids: Vec<TaskId> = snapshot.iter().map(|t| t.id).collect();
    let newest = newest_changed(&snapshot);
    let (mut run, asks) = Refresh::start(&ids, newest, 0, None).unwrap();
    let mut answers: Vec<Answer> = asks.iter().map(|a| answer(&state, *a, newest)).collect();
    answers.truncate(asks.len() - 5);
    let mut asks_next = run.next(&asks, answers);
    assert!(asks_next.ends_with(&asks[asks.len() - 5..]));
    while !asks_next.is_empty() {
        let answers = asks_next
            .iter()
            .map(|a| answer(&state, *a, newest))
            .collect();
        asks_next = run.next(&asks_next, answers);
    }
    same(&run.merge(snapshot), &full_load(&state));
}

#[test]
fn the_mixed_case_at_100_000_equals_a_full_load() {
    let n = 100_000;
    let mut state = portal(n);
    // 20 revealed: invisible when the snapshot was taken, visible now with old dates.
    let snapshot = snapshot_without(&state, &spread(n, 20, 3));
    let now = T0 + n as i64 + 3_600;
    for id in spread(n, 100, 1) {
        state.insert(id, task(id, now, "changed"));
    }
    for id in n + 1..=n + 100 {
        state.insert(id, task(id, now, "new"));
    }
    // 100 deleted and 20 hidden from the user.
    for id in spread(n, 100, 2).into_iter().chain(spread(n, 20, 5)) {
        state.remove(&id);
    }
    let (merged, requests) = refresh(&snapshot, &state, 0);
    println!("mixed case at 100 000: {requests} requests");
    same(&merged, &full_load(&state));
    // Issue 15 asks for at most 10; counts cannot do it (incremental-refresh.md, "Cost").
    assert!(requests <= 21, "{requests}");
}

#[test]
fn a_few_deletions_cost_a_few_requests() {
    let n = 100_000;
    let mut state = portal(n);
    let snapshot = full_load(&state);
    for id in spread(n, 10, 4) {
        state.remove(&id);
    }
    let (merged, requests) = refresh(&snapshot, &state, 0);
    same(&merged, &full_load(&state));
    println!("10 deletions at 100 000: {requests} requests");
    assert!(requests <= 6, "{requests}");
}

/// `portal(n)` where the user has not viewed every seventh task, and tasks 1 000..1 040 fall
/// due 5 hours after the snapshot was read (pending, no meta status then).
fn portal_with_meta(n: u64) -> State {
    let mut state = portal(n);
    for (id, t) in state.iter_mut() {
        if id % 7 == 0 {
            t.meta = Some(MetaStatus::Unviewed);
        }
        if (1_000..1_040).contains(id) {
            t.deadline = PortalTime::new(AS_OF + 5 * 3_600, OFFSET_MIN);
        }
    }
    state
}

#[test]
fn viewed_tasks_lose_their_mark_and_passed_deadlines_become_overdue() {
    let mut state = portal_with_meta(10_000);
    let snapshot = full_load(&state);
    // Since: the user viewed 25 tasks, 10 deadlines passed and 10 came within a day. None of
    // it moves CHANGED_DATE; a full load now shows it.
    for id in spread(10_000, 25, 3) {
        if let Some(t) = state.get_mut(&(id - id % 7 + 7)) {
            t.meta = None;
        }
    }
    for id in 1_000..1_010 {
        state.get_mut(&id).unwrap().meta = Some(MetaStatus::Overdue);
    }
    for id in 1_010..1_020 {
        state.get_mut(&id).unwrap().meta = Some(MetaStatus::AlmostOverdue);
    }
    let (merged, requests) = refresh(&snapshot, &state, 0);
    same(&merged, &full_load(&state));
    assert!(merged.iter().any(|t| t.meta == Some(MetaStatus::Overdue)));
    // Round one, the changed-since pages, then the "not viewed" list (1 404 tasks).
    assert_eq!(requests, 3);
}

#[test]
fn nothing_viewed_and_no_deadline_passed_costs_no_request_more() {
    let state = portal_with_meta(100_000);
    let snapshot = full_load(&state);
    let (merged, requests) = refresh(&snapshot, &state, 0);
    same(&merged, &full_load(&state));
    assert_eq!(requests, 2);
}

#[test]
fn a_viewed_task_and_a_new_unviewed_one_do_not_cancel_out() {
    let mut state = portal_with_meta(5_000);
    let snapshot = full_load(&state);
    state.get_mut(&700).unwrap().meta = None;
    let mut new = task(5_001, AS_OF + 60, "new, not viewed");
    new.meta = Some(MetaStatus::Unviewed);
    state.insert(5_001, new);
    let (merged, _) = refresh(&snapshot, &state, 0);
    same(&merged, &full_load(&state));
    assert_eq!(merged.iter().find(|t| t.id.0 == 700).unwrap().meta, None);
}

#[test]
fn the_due_queries_ask_from_an_hour_before_the_snapshot_and_the_latest_almost_overdue() {
    let snapshot = full_load(&portal(1_000));
    let ids: Vec<TaskId> = snapshot.iter().map(|t| t.id).collect();
    let meta = MetaWatch {
        as_of_s: AS_OF,
        almost_overdue_after_s: AS_OF + 80_000,
        unviewed: vec![7],
    };
    let (run, asks) = Refresh::start(&ids, newest_changed(&snapshot), 0, Some(meta)).unwrap();
    assert_eq!(
        asks[1..4],
        [
            Ask::Overdue { page: 1 },
            Ask::AlmostOverdue { page: 1 },
            Ask::UnviewedCount
        ]
    );
    assert_eq!(requests_for(asks.len()), 1);
    let deadline = |ask, from: i64| {
        let q = encode(&run.command(ask, "d".into()).params);
        let from = PortalTime::new(from - 3_600, OFFSET_MIN).unwrap().iso();
        assert!(
            q.contains(&format!(
                "[{}]={}",
                encode_uri(">=DEADLINE"),
                encode_uri(&from)
            )),
            "{q}"
        );
        q
    };
    assert!(deadline(asks[1], AS_OF).contains("[STATUS][0]=-1"));
    assert!(deadline(asks[2], AS_OF + 80_000).contains("[STATUS][0]=-3"));
    let count = encode(&run.command(asks[3], "u".into()).params);
    assert!(count.contains("[STATUS][0]=-2"), "{count}");
    assert!(count.contains("[nPageSize]=1"), "{count}");
}

#[test]
fn the_meta_watch_holds_the_stored_marks() {
    let mut snapshot = full_load(&portal_with_meta(100));
    assert_eq!(
        MetaWatch::of(&snapshot, AS_OF).almost_overdue_after_s,
        AS_OF
    );
    for (t, at) in snapshot.iter_mut().zip([AS_OF + 500, AS_OF + 90]) {
        t.meta = Some(MetaStatus::AlmostOverdue);
        t.deadline = PortalTime::new(at, OFFSET_MIN);
    }
    let watch = MetaWatch::of(&snapshot, AS_OF);
    assert_eq!(watch.as_of_s, AS_OF);
    assert_eq!(watch.almost_overdue_after_s, AS_OF + 500);
    // Every seventh of 1..=100 not viewed (tasks 100 and 99, now almost overdue, were not).
    let mut unviewed = watch.unviewed;
    unviewed.sort_unstable();
    assert_eq!(unviewed, (1..=14).map(|i| i * 7).collect::<Vec<u64>>());
}
