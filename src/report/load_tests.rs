//! Loader tests against the `b24-portal` model behind a faulty wire, on virtual time (see
//! `load_faults.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use super::faults::{block_on, Faults, FaultyTransport, Mutations, VirtualClock};
use super::*;

struct Run {
    outcome: LoadOutcome,
    events: Vec<LoadEvent>,
    rows: Vec<Task>,
}

impl Run {
    fn ids(&self) -> Vec<u64> {
        self.rows.iter().map(|t| t.id.0).collect()
    }

    fn requests(&self) -> u32 {
        match &self.outcome {
            LoadOutcome::Complete { requests, .. } => *requests,
            other => panic!("not complete: {other:?}"),
        }
    }

    fn resume(self) -> ResumePoint {
        match self.outcome {
            LoadOutcome::Cancelled { resume } | LoadOutcome::Failed { resume, .. } => resume,
            LoadOutcome::Complete { .. } => panic!("completed"),
        }
    }

    fn error(&self) -> &LoadError {
        match &self.outcome {
            LoadOutcome::Failed { error, .. } => error,
            other => panic!("not failed: {other:?}"),
        }
    }
}

fn run_hooked(
    portal: &FaultyTransport,
    clock: &VirtualClock,
    config: &LoadConfig,
    resume: Option<ResumePoint>,
    cancel: &CancelFlag,
    mut hook: impl FnMut(&LoadEvent),
) -> Run {
    let mut events = Vec::new();
    let outcome = {
        let mut cb = |e: LoadEvent| {
            hook(&e);
            events.push(e);
        };
        block_on(
            clock,
            load_tasks(portal, clock, config, resume, cancel, &mut cb),
        )
    };
    let rows = events
        .iter()
        .filter_map(|e| match e {
            LoadEvent::Rows(rows) => Some(rows.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    Run {
        outcome,
        events,
        rows,
    }
}

fn run(portal: &FaultyTransport, clock: &VirtualClock, config: &LoadConfig) -> Run {
    run_hooked(portal, clock, config, None, &CancelFlag::new(), |_| {})
}

fn budget(n: usize) -> u32 {
    u32::try_from(n.div_ceil(2500) + 2).unwrap()
}

fn faults() -> Faults {
    Faults {
        enforce_bucket: true,
        op_block_s: 5,
        ..Faults::default()
    }
}

/// existed-throughout ⊆ result ⊆ initial ∪ inserted; no duplicates; every row as served.
fn assert_exact(portal: &FaultyTransport, rows: &[Task], malformed: &BTreeSet<u64>) {
    let ids: Vec<u64> = rows.iter().map(|t| t.id.0).collect();
    let got: BTreeSet<u64> = ids.iter().copied().collect();
    assert_eq!(got.len(), ids.len(), "duplicate IDs delivered");
    let deleted = portal.deleted();
    let inserted = portal.inserted();
    let throughout: BTreeSet<u64> = portal
        .initial()
        .iter()
        .filter(|id| !deleted.contains(id) && !malformed.contains(id))
        .copied()
        .collect();
    let missing: Vec<_> = throughout.difference(&got).take(10).collect();
    assert!(
        missing.is_empty(),
        "missing tasks that existed throughout: {missing:?}"
    );
    let extra: Vec<_> = got
        .iter()
        .filter(|id| !portal.initial().contains(id) && !inserted.contains(id))
        .take(10)
        .collect();
    assert!(extra.is_empty(), "tasks that never existed: {extra:?}");
    assert!(got.is_disjoint(malformed));
    // Every row exactly as the model serves it.
    let truth = portal.truth();
    for t in rows {
        assert_eq!(Some(t), truth.get(&t.id.0));
    }
}

fn none() -> BTreeSet<u64> {
    BTreeSet::new()
}

// ------------------------------------------------------------------ requests and streaming

#[test]
fn request_budget_without_faults() {
    for (n, expected) in [
        (0, 1),
        (1, 1),
        (49, 1),
        (50, 1),
        (51, 2),
        (2550, 2),
        (2551, 3),
        (5050, 3),
        (7777, 5),
        (100_000, 41),
    ] {
        let clock = VirtualClock::default();
        let portal = FaultyTransport::new(&clock, n, faults(), 1);
        let r = run(&portal, &clock, &LoadConfig::default());
        assert_exact(&portal, &r.rows, &none());
        assert_eq!(r.rows.len(), n);
        assert_eq!(r.requests(), expected, "N = {n}");
        assert_eq!(portal.requests(), expected);
        assert!(r.requests() <= budget(n), "N = {n}");
        assert!(
            !r.events
                .iter()
                .any(|e| matches!(e, LoadEvent::Waiting { .. })),
            "N = {n}: no waits expected"
        );
        let last_progress = r.events.iter().rev().find_map(|e| match e {
            LoadEvent::Progress {
                loaded,
                total,
                requests,
            } => Some((*loaded, *total, *requests)),
            _ => None,
        });
        assert_eq!(last_progress, Some((n, Some(n), expected)));
    }
}

#[test]
fn first_request_is_a_single_call_then_chained_batches() {
    let clock = VirtualClock::default();
    let portal = FaultyTransport::new(&clock, 3000, faults(), 1);
    let r = run(&portal, &clock, &LoadConfig::default());
    assert_exact(&portal, &r.rows, &none());
    let log = portal.log();
    assert_eq!(log[0].method, "task.item.list");
    assert_eq!(
        log[0].body,
        "0[ID]=desc&1[%3EID]=0&2[NAV_PARAMS][nPageSize]=50&2[NAV_PARAMS][iNumPage]=1&3[0]=ID&3[1]=TITLE&3[2]=PRIORITY&3[3]=STATUS&3[4]=REAL_STATUS&3[5]=RESPONSIBLE_ID&3[6]=CREATED_BY&3[7]=GROUP_ID&3[8]=DEADLINE&3[9]=CREATED_DATE&3[10]=CHANGED_DATE&3[11]=CLOSED_DATE&3[12]=TIME_ESTIMATE&3[13]=TIME_SPENT_IN_LOGS"
    );
    assert_eq!(log[1].method, "batch");
    // The batch continues below the 50th newest task of the model (its IDs have gaps).
    let fiftieth = portal.initial().iter().rev().nth(49).unwrap();
    assert!(log[1].body.starts_with(&format!(
        "halt=1&cmd[p0]=task.item.list%3F0%5BID%5D%3Ddesc%261%5B%253CID%5D%3D{fiftieth}%262"
    )));
    assert!(log[1].body.contains("cmd[p1]=task.item.list%3F0%5BID%5D%3Ddesc%261%5B%253CID%5D%3D%2524result%255Bp0%255D%255B49%255D%255BID%255D"));
    // 2950 rows left → a full batch of 50, then 450 → 9 commands.
    assert_eq!(log[1].body.matches("cmd[").count(), 50);
    assert_eq!(log[2].body.matches("cmd[").count(), 9);
    assert_eq!(log.len(), 3);
}

#[test]
fn rows_stream_page_by_page_newest_first() {
    let clock = VirtualClock::default();
    let portal = FaultyTransport::new(&clock, 5000, faults(), 1);
    let mut seen_at = Vec::new();
    let r = run_hooked(
        &portal,
        &clock,
        &LoadConfig::default(),
        None,
        &CancelFlag::new(),
        |e| {
            if let LoadEvent::Rows(rows) = e {
                seen_at.push((portal.requests(), rows.len()));
            }
        },
    );
    assert_exact(&portal, &r.rows, &none());
    // The first page arrives after exactly one request, with the 50 newest tasks.
    assert_eq!(seen_at[0], (1, 50));
    let first: Vec<u64> = match &r.events.iter().find(|e| matches!(e, LoadEvent::Rows(_))) {
        Some(LoadEvent::Rows(rows)) => rows.iter().map(|t| t.id.0).collect(),
        _ => panic!(),
    };
    let newest: Vec<u64> = portal.initial().iter().rev().take(50).copied().collect();
    assert_eq!(first, newest);
    // One Rows event per page.
    assert_eq!(seen_at.len(), 100);
    assert!(seen_at.iter().all(|&(_, n)| n == 50));
    // Progress carries a total from the first answer on.
    let first_progress = r.events.iter().find_map(|e| match e {
        LoadEvent::Progress {
            loaded,
            total,
            requests,
        } => Some((*loaded, *total, *requests)),
        _ => None,
    });
    assert_eq!(first_progress, Some((50, Some(5000), 1)));
}

#[test]
fn fresh_run_refetches_everything() {
    let clock = VirtualClock::default();
    let portal = FaultyTransport::new(&clock, 600, faults(), 1);
    let a = run(&portal, &clock, &LoadConfig::default());
    let b = run(&portal, &clock, &LoadConfig::default());
    assert_eq!(a.ids(), b.ids());
    assert_eq!(a.requests(), 2);
    assert_eq!(b.requests(), 2);
    assert_eq!(portal.requests(), 4);
}

#[test]
fn small_batches_are_paced_by_the_bucket() {
    let clock = VirtualClock::default();
    let portal = FaultyTransport::new(&clock, 3000, faults(), 1);
    let config = LoadConfig {
        batch_size: 1,
        ..LoadConfig::default()
    };
    let r = run(&portal, &clock, &config);
    assert_exact(&portal, &r.rows, &none());
    assert_eq!(r.requests(), 60);
    // 50 in a burst, then 2 per second; the portal never had to refuse one.
    assert!(portal.log().iter().all(|l| l.status == 200));
    assert!(clock.now() >= 4_500, "{}", clock.now());
    assert!(r.events.iter().any(|e| matches!(
        e,
        LoadEvent::Waiting {
            reason: WaitReason::Pacing,
            ..
        }
    )));
}

#[test]
fn enterprise_pacing_on_a_standard_portal_recovers_from_503() {
    let clock = VirtualClock::default();
    let portal = FaultyTransport::new(&clock, 4000, faults(), 1);
    let config = LoadConfig {
        batch_size: 1,
        bucket: BucketConfig::ENTERPRISE,
        ..LoadConfig::default()
    };
    let r = run(&portal, &clock, &config);
    assert_exact(&portal, &r.rows, &none());
    assert!(portal.log().iter().any(|l| l.status == 503));
}

// ------------------------------------------------------------------ faults

fn assert_complete_exact(portal: &FaultyTransport, r: &Run) {
    assert!(
        matches!(r.outcome, LoadOutcome::Complete { .. }),
        "{:?}",
        r.outcome
    );
    assert_exact(portal, &r.rows, &none());
}

#[test]
fn survives_503_storms() {
    for seed in 0..3 {
        let clock = VirtualClock::default();
        let portal = FaultyTransport::new(
            &clock,
            12_000,
            Faults {
                p_503: 0.2,
                ..faults()
            },
            seed,
        );
        let r = run(
            &portal,
            &clock,
            &LoadConfig {
                jitter_seed: seed,
                ..LoadConfig::default()
            },
        );
        assert_complete_exact(&portal, &r);
        assert!(
            r.events.iter().any(|e| matches!(
                e,
                LoadEvent::Waiting {
                    reason: WaitReason::QueryLimit { .. },
                    ..
                }
            )) || portal.log().iter().all(|l| l.status != 503)
        );
    }
}

/// The operating limit blocks the list method. As documented, the 429 (or the failed batch
/// command) names no reset; the wait ends at the `operating_reset_at` of the last successful
/// answer. Blocked at request 1 (a single call) there is none yet: the policy's default
/// minute. Blocked at request 2 (a batch), request 1's answer named the end of the model's
/// 10-minute window.
#[test]
fn waits_for_operation_limit_reset_and_says_so() {
    for (at, reset_s, waited_s, refused) in [(1, None, 60.0, 1), (2, Some(600.0), 600.0, 0)] {
        let clock = VirtualClock::default();
        let portal = FaultyTransport::new(
            &clock,
            10_000,
            Faults {
                op_429_at: Some(at),
                ..faults()
            },
            1,
        );
        let r = run(&portal, &clock, &LoadConfig::default());
        assert_complete_exact(&portal, &r);
        let waits: Vec<_> = r
            .events
            .iter()
            .filter_map(|e| match e {
                LoadEvent::Waiting {
                    reason: WaitReason::OperationLimit { reset_at },
                    ms,
                } => Some((*reset_at, *ms)),
                _ => None,
            })
            .collect();
        assert_eq!(waits.len(), 1, "{waits:?}");
        assert_eq!(
            waits[0].0,
            reset_s.map(|s| super::faults::UNIX_ORIGIN_S + s)
        );
        assert!(clock.now() as f64 >= waited_s * 1000.0);
        // One request was refused (a 429, or a batch answered 200 whose command failed):
        // the loader waited.
        assert_eq!(
            portal.log().iter().filter(|l| l.status == 429).count(),
            refused
        );
        assert_eq!(r.requests(), 1 + 4 + 1, "request {at} blocked");
    }
}

#[test]
fn refreshes_expired_tokens() {
    let clock = VirtualClock::default();
    let portal = FaultyTransport::new(
        &clock,
        12_000,
        Faults {
            token_ttl: Some(3),
            ..faults()
        },
        1,
    );
    let config = LoadConfig {
        batch_size: 10,
        ..LoadConfig::default()
    };
    let r = run(&portal, &clock, &config);
    assert_complete_exact(&portal, &r);
    // 1 + 24 data requests, the token expiring after every 3: each expiry costs one
    // refused request, one refresh and the retry.
    let refused = portal.log().iter().filter(|l| l.status == 401).count();
    assert_eq!(u32::try_from(refused).unwrap(), portal.refreshes());
    assert_eq!(portal.refreshes(), 8);
    assert_eq!(r.requests(), 25 + 8);
}

#[test]
fn failed_refresh_is_an_auth_error() {
    let clock = VirtualClock::default();
    let portal = FaultyTransport::new(
        &clock,
        300,
        Faults {
            token_ttl: Some(0),
            refresh_fails: true,
            ..faults()
        },
        1,
    );
    let r = run(&portal, &clock, &LoadConfig::default());
    assert_eq!(r.error().kind, LoadErrorKind::AuthFailed);
}

#[test]
fn token_still_invalid_after_refresh_is_an_auth_error() {
    let clock = VirtualClock::default();
    let portal = FaultyTransport::new(
        &clock,
        300,
        Faults {
            hard: Some((401, "expired_token")),
            ..faults()
        },
        1,
    );
    let r = run(&portal, &clock, &LoadConfig::default());
    assert_eq!(r.error().kind, LoadErrorKind::AuthFailed);
    assert_eq!(portal.requests(), 2);
    assert_eq!(portal.refreshes(), 1);
}

#[test]
fn survives_5xx_and_dropped_connections() {
    for seed in 0..3 {
        let clock = VirtualClock::default();
        let portal = FaultyTransport::new(
            &clock,
            12_000,
            Faults {
                p_5xx: 0.1,
                p_drop: 0.1,
                ..faults()
            },
            seed,
        );
        let r = run(
            &portal,
            &clock,
            &LoadConfig {
                jitter_seed: seed,
                ..LoadConfig::default()
            },
        );
        assert_complete_exact(&portal, &r);
    }
}

#[test]
fn times_out_a_hung_request() {
    let clock = VirtualClock::default();
    let portal = FaultyTransport::new(
        &clock,
        5000,
        Faults {
            hang_at: vec![2],
            ..faults()
        },
        1,
    );
    let r = run(&portal, &clock, &LoadConfig::default());
    assert_complete_exact(&portal, &r);
    // Not given up before the portal's own 60 s cut-off.
    assert!(clock.now() >= 60_000);
    // The hung batch (50 commands) is sent again as batches of 25, not counted as a failure.
    assert!(r
        .events
        .contains(&LoadEvent::Notice(LoadNotice::BatchReduced {
            commands: 25
        })));
    assert!(!r.events.iter().any(|e| matches!(
        e,
        LoadEvent::Waiting {
            reason: WaitReason::Retry { .. },
            ..
        }
    )));
    // 1 + the hung batch + 4 batches of 25 pages for the other 4 950 tasks.
    assert_eq!(portal.requests(), 6);
}

/// One command that keeps hanging: halved down to one command, then an ordinary failure
/// with bounded retries.
#[test]
fn a_single_hanging_command_fails_as_a_timeout() {
    let clock = VirtualClock::default();
    let portal = FaultyTransport::new(
        &clock,
        5000,
        Faults {
            heavy_above: Some(0),
            ..faults()
        },
        1,
    );
    let r = run(&portal, &clock, &LoadConfig::default());
    assert_eq!(r.error().kind, LoadErrorKind::Timeout);
    let reduced: Vec<u32> = r
        .events
        .iter()
        .filter_map(|e| match e {
            LoadEvent::Notice(LoadNotice::BatchReduced { commands }) => Some(*commands),
            _ => None,
        })
        .collect();
    assert_eq!(reduced, [25, 12, 6, 3, 1]);
    // The first page, 5 batches refused as too heavy (50, 25, 12, 6, 3 commands), then the
    // single command once and in its 6 retries.
    assert_eq!(portal.requests(), 1 + 5 + 7);
}

#[test]
fn retries_a_malformed_answer() {
    let clock = VirtualClock::default();
    let portal = FaultyTransport::new(
        &clock,
        5000,
        Faults {
            malformed_at: vec![1, 3],
            ..faults()
        },
        1,
    );
    let r = run(&portal, &clock, &LoadConfig::default());
    assert_complete_exact(&portal, &r);
    assert_eq!(portal.requests(), 5);
}

#[test]
fn exact_while_tasks_are_inserted_and_deleted() {
    for seed in 0..4 {
        let clock = VirtualClock::default();
        let mutate = Mutations {
            every: 1,
            insert: 7,
            delete: 40,
        };
        let portal = FaultyTransport::new(
            &clock,
            12_000,
            Faults {
                mutate: Some(mutate),
                ..faults()
            },
            seed,
        );
        let r = run(&portal, &clock, &LoadConfig::default());
        assert_complete_exact(&portal, &r);
        assert!(!portal.deleted().is_empty() && !portal.inserted().is_empty());
        assert!(r.requests() <= budget(12_000));
    }
}

#[test]
fn everything_at_once() {
    for seed in 0..6 {
        let clock = VirtualClock::default();
        let f = Faults {
            p_503: 0.2,
            op_429_at: Some(4),
            token_ttl: Some(3),
            p_5xx: 0.1,
            p_drop: 0.1,
            hang_at: vec![6],
            malformed_at: vec![8],
            mutate: Some(Mutations {
                every: 2,
                insert: 3,
                delete: 25,
            }),
            ..faults()
        };
        let portal = FaultyTransport::new(&clock, 12_000, f, seed);
        let r = run(
            &portal,
            &clock,
            &LoadConfig {
                jitter_seed: seed,
                ..LoadConfig::default()
            },
        );
        assert_complete_exact(&portal, &r);
        assert!(
            clock.now() < 30 * 60 * 1000,
            "took {} ms of virtual time",
            clock.now()
        );
    }
}

#[test]
fn persistent_server_errors_fail_bounded() {
    let clock = VirtualClock::default();
    let portal = FaultyTransport::new(
        &clock,
        100,
        Faults {
            p_5xx: 1.0,
            ..faults()
        },
        1,
    );
    let r = run(&portal, &clock, &LoadConfig::default());
    assert_eq!(r.error().kind, LoadErrorKind::Server(500));
    assert_eq!(portal.requests(), 1 + RetryPolicy::default().max_retries);

    let clock = VirtualClock::default();
    let portal = FaultyTransport::new(
        &clock,
        100,
        Faults {
            hang_always: true,
            ..faults()
        },
        1,
    );
    let r = run(&portal, &clock, &LoadConfig::default());
    assert_eq!(r.error().kind, LoadErrorKind::Timeout);

    let clock = VirtualClock::default();
    let portal = FaultyTransport::new(
        &clock,
        100,
        Faults {
            p_503: 1.0,
            ..faults()
        },
        1,
    );
    let r = run(&portal, &clock, &LoadConfig::default());
    assert_eq!(r.error().kind, LoadErrorKind::RateLimited);
}

#[test]
fn hard_errors_stop_with_their_kind() {
    let cases = [
        (401, "insufficient_scope", LoadErrorKind::MissingScope),
        (403, "insufficient_scope", LoadErrorKind::MissingScope),
        (403, "ACCESS_DENIED", LoadErrorKind::AccessDenied),
        (401, "NO_AUTH_FOUND", LoadErrorKind::AuthFailed),
        (401, "INVALID_CREDENTIALS", LoadErrorKind::AuthFailed),
        (401, "user_access_error", LoadErrorKind::AccessDenied),
        (400, "ERROR_CORE", LoadErrorKind::Other("ERROR_CORE".into())),
        (
            400,
            "SOMETHING_NEW",
            LoadErrorKind::Other("SOMETHING_NEW".into()),
        ),
    ];
    for (status, code, kind) in cases {
        let clock = VirtualClock::default();
        let portal = FaultyTransport::new(
            &clock,
            100,
            Faults {
                hard: Some((status, code)),
                ..faults()
            },
            1,
        );
        let r = run(&portal, &clock, &LoadConfig::default());
        let e = r.error();
        assert_eq!(e.kind, kind, "{code}");
        assert_eq!(e.code.as_deref(), Some(code));
        assert_eq!(e.status, Some(status));
        assert_eq!(portal.requests(), 1, "{code} must not be retried");
        if code == "insufficient_scope" {
            assert!(e
                .to_string()
                .contains("The app needs the Tasks (task) permission"));
        }
    }
}

// ------------------------------------------------------------------ batch sub-call errors

#[test]
fn sub_call_rate_limit_resumes_from_the_failing_page() {
    let clock = VirtualClock::default();
    let portal = FaultyTransport::new(
        &clock,
        10_000,
        Faults {
            sub_error: vec![
                (2, 7, "QUERY_LIMIT_EXCEEDED"),
                (3, 0, "OPERATION_TIME_LIMIT"),
            ],
            ..faults()
        },
        1,
    );
    let r = run(&portal, &clock, &LoadConfig::default());
    assert_complete_exact(&portal, &r);
    assert!(r.events.iter().any(|e| matches!(
        e,
        LoadEvent::Waiting {
            reason: WaitReason::QueryLimit { attempt: 1 },
            ..
        }
    )));
    assert!(r.events.iter().any(|e| matches!(
        e,
        LoadEvent::Waiting {
            reason: WaitReason::OperationLimit { reset_at: Some(_) },
            ..
        }
    )));
    // Request 2 carried 7 good pages; request 3 starts below the last of them.
    let log = portal.log();
    let cursor = 350 + 50; // rows delivered before request 3
    let expected = portal
        .initial()
        .iter()
        .rev()
        .nth(cursor - 1)
        .copied()
        .unwrap();
    assert!(
        log[2].body.starts_with(&format!(
            "halt=1&cmd[p0]=task.item.list%3F0%5BID%5D%3Ddesc%261%5B%253CID%5D%3D{expected}%26"
        )),
        "{}",
        &log[2].body[..120]
    );
}

#[test]
fn hard_sub_call_error_fails_with_resume_point() {
    let clock = VirtualClock::default();
    let portal = FaultyTransport::new(
        &clock,
        10_000,
        Faults {
            sub_error: vec![(2, 10, "ERROR_CORE")],
            ..faults()
        },
        1,
    );
    let first = run(&portal, &clock, &LoadConfig::default());
    assert_eq!(
        first.error().kind,
        LoadErrorKind::Other("ERROR_CORE".into())
    );
    assert_eq!(first.rows.len(), 50 + 10 * 50);
    let rows_before = first.rows.clone();
    let resume = first.resume();
    assert_eq!(resume.loaded(), 550);
    portal.set_faults(faults());
    let second = run_hooked(
        &portal,
        &clock,
        &LoadConfig::default(),
        Some(resume),
        &CancelFlag::new(),
        |_| {},
    );
    assert!(
        matches!(second.outcome, LoadOutcome::Complete { loaded: 10_000, .. }),
        "{:?}",
        second.outcome
    );
    let mut all = rows_before;
    all.extend(second.rows.iter().cloned());
    assert_exact(&portal, &all, &none());
    // Nothing re-loaded: the resumed run never asks for the first page again.
    assert!(portal.log()[3..].iter().all(|l| l.method == "batch"));
}

// ------------------------------------------------------------------ cancel and resume

#[test]
fn cancel_then_resume_loads_the_rest_exactly_once() {
    let clock = VirtualClock::default();
    let portal = FaultyTransport::new(
        &clock,
        12_000,
        Faults {
            mutate: Some(Mutations {
                every: 1,
                insert: 2,
                delete: 10,
            }),
            ..faults()
        },
        3,
    );
    let cancel = CancelFlag::new();
    let mut pages = 0;
    let first = run_hooked(
        &portal,
        &clock,
        &LoadConfig::default(),
        None,
        &cancel,
        |e| {
            if matches!(e, LoadEvent::Rows(_)) {
                pages += 1;
                if pages == 60 {
                    cancel.cancel();
                }
            }
        },
    );
    let delivered_first = first.rows.clone();
    let resume = first.resume();
    assert!(resume.loaded() >= 60 * 50 - 500);
    let requests_first = portal.requests();
    cancel.reset();
    let second = run_hooked(
        &portal,
        &clock,
        &LoadConfig::default(),
        Some(resume),
        &cancel,
        |_| {},
    );
    let LoadOutcome::Complete {
        loaded, requests, ..
    } = second.outcome
    else {
        panic!("{:?}", second.outcome)
    };
    let mut all = delivered_first;
    all.extend(second.rows.iter().cloned());
    assert_eq!(loaded, all.len());
    assert_eq!(requests, portal.requests());
    assert!(portal.requests() - requests_first <= 4);
    assert_exact(&portal, &all, &none());
}

#[test]
fn cancel_during_a_long_wait_returns_promptly() {
    let clock = VirtualClock::default();
    let portal = FaultyTransport::new(
        &clock,
        3000,
        Faults {
            op_429_at: Some(2),
            op_block_s: 500,
            ..faults()
        },
        1,
    );
    let cancel = CancelFlag::new();
    let r = run_hooked(
        &portal,
        &clock,
        &LoadConfig::default(),
        None,
        &cancel,
        |e| {
            if matches!(
                e,
                LoadEvent::Waiting {
                    reason: WaitReason::OperationLimit { .. },
                    ..
                }
            ) {
                cancel.cancel();
            }
        },
    );
    assert!(matches!(r.outcome, LoadOutcome::Cancelled { .. }));
    assert!(clock.now() < 1_000, "{}", clock.now());
    assert_eq!(r.rows.len(), 50);
}

#[test]
fn cancel_aborts_a_hung_request() {
    let clock = VirtualClock::default();
    let portal = FaultyTransport::new(
        &clock,
        3000,
        Faults {
            hang_always: true,
            ..faults()
        },
        1,
    );
    let cancel = CancelFlag::new();
    let c = cancel.clone();
    let clock2 = clock.clone();
    let mut cb = |_e: LoadEvent| {};
    let config = LoadConfig::default();
    let outcome = block_on(&clock, async {
        let load = load_tasks(&portal, &clock, &config, None, &cancel, &mut cb);
        let stopper = async move {
            clock2.sleep(1_000).await;
            c.cancel();
            std::future::pending::<()>().await;
        };
        match select(Box::pin(load), Box::pin(stopper)).await {
            Either::Left((outcome, _)) => outcome,
            Either::Right(_) => unreachable!(),
        }
    });
    assert!(matches!(outcome, LoadOutcome::Cancelled { .. }));
    assert!(clock.now() < 2_000);
}

// ------------------------------------------------------------------ deprecation

#[test]
fn falls_back_to_tasks_task_list() {
    for n in [0, 40, 2550, 7000] {
        let clock = VirtualClock::default();
        let portal = FaultyTransport::new(
            &clock,
            n,
            Faults {
                disabled: vec!["task.item.list"],
                ..faults()
            },
            1,
        );
        let r = run(&portal, &clock, &LoadConfig::default());
        assert_complete_exact(&portal, &r);
        assert_eq!(r.rows.len(), n);
        assert!(r
            .events
            .contains(&LoadEvent::Notice(LoadNotice::MethodFallback {
                from: "task.item.list",
                to: "tasks.task.list"
            })));
        assert!(r.requests() <= budget(n) + 1);
        let log = portal.log();
        assert_eq!(log[0].method, "task.item.list");
        assert_eq!(log[1].method, "tasks.task.list");
        assert_eq!(
            log[1].body,
            "order[ID]=desc&filter[%3EID]=0&select[0]=ID&select[1]=TITLE&select[2]=PRIORITY&select[3]=STATUS&select[4]=REAL_STATUS&select[5]=RESPONSIBLE_ID&select[6]=CREATED_BY&select[7]=GROUP_ID&select[8]=DEADLINE&select[9]=CREATED_DATE&select[10]=CHANGED_DATE&select[11]=CLOSED_DATE&select[12]=TIME_ESTIMATE&select[13]=TIME_SPENT_IN_LOGS"
        );
        if n > 2550 {
            assert!(log[2]
                .body
                .contains("%2524result%255Bp0%255D%255Btasks%255D%255B49%255D%255Bid%255D"));
        }
    }
}

#[test]
fn no_list_method_at_all() {
    let clock = VirtualClock::default();
    let portal = FaultyTransport::new(&clock, 10, faults(), 1);
    // The model loses `task.item.list` between two loads: the next load falls back.
    portal.set_faults(Faults {
        disabled: vec!["task.item.list"],
        ..faults()
    });
    let config = LoadConfig::default();
    let r = run(&portal, &clock, &config);
    assert!(matches!(r.outcome, LoadOutcome::Complete { .. }));
    assert_exact(&portal, &r.rows, &none());
    // A model without either list method: both answer 404, the load stops after trying each.
    let portal = FaultyTransport::new(
        &clock,
        10,
        Faults {
            disabled: vec!["task.item.list", "tasks.task.list"],
            ..faults()
        },
        1,
    );
    let r = run(&portal, &clock, &config);
    assert_eq!(r.error().kind, LoadErrorKind::MethodUnavailable);
    assert_eq!(portal.requests(), 2);
    assert!(portal.log().iter().all(|l| l.status == 404));
}

// ------------------------------------------------------------------ malformed rows

#[test]
fn rows_without_id_are_counted_not_lost() {
    let clock = VirtualClock::default();
    let portal = FaultyTransport::new(&clock, 6000, faults(), 1);
    let newest: Vec<u64> = portal.initial().iter().rev().copied().collect();
    // One in the middle of a page, one at index 49 of a page (its reference breaks the
    // chain), one in the first page.
    let corrupt: BTreeSet<u64> = [newest[10], newest[1000 + 49], newest[3333]]
        .into_iter()
        .collect();
    for &id in &corrupt {
        portal.corrupt(id);
    }
    let r = run(&portal, &clock, &LoadConfig::default());
    let LoadOutcome::Complete {
        malformed,
        duplicates,
        ..
    } = r.outcome
    else {
        panic!("{:?}", r.outcome)
    };
    assert_eq!(malformed, 3);
    assert_eq!(duplicates, 0);
    assert_exact(&portal, &r.rows, &corrupt);
    assert_eq!(r.rows.len(), 6000 - 3);
    assert!(r.events.iter().any(|e| matches!(
        e,
        LoadEvent::Notice(LoadNotice::MalformedRows { count: 1, .. })
    )));
}

// ------------------------------------------------------------------ page-number strategy

#[cfg(feature = "page-numbers")]
#[test]
fn page_numbers_strategy_without_faults() {
    for in_flight in [1, 3] {
        for (n, expected) in [
            (0, 1),
            (50, 1),
            (51, 2),
            (2550, 2),
            (7777, 5),
            (100_000, 41),
        ] {
            if n == 100_000 && in_flight == 1 {
                continue;
            }
            let clock = VirtualClock::default();
            let portal = FaultyTransport::new(&clock, n, faults(), 1);
            let config = LoadConfig {
                strategy: Strategy::PageNumbers { in_flight },
                ..LoadConfig::default()
            };
            let r = run(&portal, &clock, &config);
            assert_complete_exact(&portal, &r);
            assert_eq!(r.requests(), expected, "N = {n}, in flight {in_flight}");
        }
    }
    let clock = VirtualClock::default();
    let portal = FaultyTransport::new(&clock, 200, faults(), 1);
    let config = LoadConfig {
        strategy: Strategy::PageNumbers { in_flight: 2 },
        ..LoadConfig::default()
    };
    run(&portal, &clock, &config);
    let log = portal.log();
    assert!(
        // Pages numbered below the newest task of the model (its IDs have gaps).
        log[1].body.starts_with(&format!(
            "halt=0&cmd[n2]=task.item.list%3F0%5BID%5D%3Ddesc%261%5B%253C%253DID%5D%3D{}%262",
            portal.initial().iter().next_back().unwrap()
        )),
        "{}",
        log[1].body
    );
}

#[cfg(feature = "page-numbers")]
#[test]
fn page_numbers_strategy_is_exact_under_mutations_and_faults() {
    for seed in 0..3 {
        let clock = VirtualClock::default();
        let f = Faults {
            p_503: 0.1,
            p_5xx: 0.05,
            token_ttl: Some(3),
            sub_error: vec![(2, 3, "QUERY_LIMIT_EXCEEDED")],
            mutate: Some(Mutations {
                every: 1,
                insert: 5,
                delete: 30,
            }),
            ..faults()
        };
        let portal = FaultyTransport::new(&clock, 12_000, f, seed);
        let config = LoadConfig {
            strategy: Strategy::PageNumbers { in_flight: 3 },
            jitter_seed: seed,
            ..LoadConfig::default()
        };
        let r = run(&portal, &clock, &config);
        assert_complete_exact(&portal, &r);
    }
}

#[cfg(feature = "page-numbers")]
#[test]
fn page_numbers_cancel_resumes_as_keyset() {
    let clock = VirtualClock::default();
    let portal = FaultyTransport::new(&clock, 20_000, faults(), 1);
    let config = LoadConfig {
        strategy: Strategy::PageNumbers { in_flight: 2 },
        ..LoadConfig::default()
    };
    let cancel = CancelFlag::new();
    let mut pages = 0;
    let first = run_hooked(&portal, &clock, &config, None, &cancel, |e| {
        if matches!(e, LoadEvent::Rows(_)) {
            pages += 1;
            if pages == 120 {
                cancel.cancel();
            }
        }
    });
    let mut all = first.rows.clone();
    let resume = first.resume();
    cancel.reset();
    let second = run_hooked(&portal, &clock, &config, Some(resume), &cancel, |_| {});
    assert!(
        matches!(second.outcome, LoadOutcome::Complete { loaded: 20_000, .. }),
        "{:?}",
        second.outcome
    );
    all.extend(second.rows);
    assert_exact(&portal, &all, &none());
}

// ------------------------------------------------------------------ the portal's counts

fn notices(r: &Run) -> Vec<LoadNotice> {
    r.events
        .iter()
        .filter_map(|e| match e {
            LoadEvent::Notice(n) => Some(n.clone()),
            _ => None,
        })
        .collect()
}

fn mismatch(r: &Run) -> Option<(usize, usize)> {
    notices(r).into_iter().find_map(|n| match n {
        LoadNotice::TotalMismatch { announced, loaded } => Some((announced, loaded)),
        _ => None,
    })
}

/// A portal whose `total` is lower than the truth: every task is still loaded, by paging
/// on below the cursor until a short page, and the footer is told the count was off.
#[test]
fn a_total_lower_than_the_truth_does_not_truncate() {
    type TotalAs = fn(u64) -> u64;
    let cases: [(TotalAs, &str); 4] = [
        (|t| t * 8 / 10, "80 %"),
        (|t| t * 3 / 10, "30 %"),
        (|t| t.min(40), "40"),
        (|_| 0, "0"),
    ];
    for (total_as, name) in cases {
        let clock = VirtualClock::default();
        let portal = FaultyTransport::new(
            &clock,
            10_000,
            Faults {
                total_as: Some(total_as),
                ..faults()
            },
            1,
        );
        let r = run(&portal, &clock, &LoadConfig::default());
        assert_complete_exact(&portal, &r);
        assert_eq!(r.rows.len(), 10_000, "total {name}");
        let announced = usize::try_from(total_as(10_000)).unwrap();
        assert_eq!(mismatch(&r), Some((announced, 10_000)), "total {name}");
        // Once more tasks are loaded than announced, the counts size nothing: whole batches
        // until the short page, so a wrong count costs at most one request.
        assert!(
            r.requests() <= budget(10_000) + 1,
            "total {name}: {} requests",
            r.requests()
        );
    }
}

/// A `total` higher than the truth: the short page ends the load; the footer says so.
#[test]
fn a_total_higher_than_the_truth_ends_on_the_short_page() {
    let clock = VirtualClock::default();
    let portal = FaultyTransport::new(
        &clock,
        10_000,
        Faults {
            total_as: Some(|t| t * 12 / 10),
            ..faults()
        },
        1,
    );
    let r = run(&portal, &clock, &LoadConfig::default());
    assert_complete_exact(&portal, &r);
    assert_eq!(mismatch(&r), Some((12_000, 10_000)));
    assert!(r.requests() <= budget(12_000));
}

/// Honest counts: no probing beyond the budget and no mismatch notice, also when the
/// task count is a multiple of the page and batch sizes.
#[test]
fn honest_totals_end_without_a_probe_or_a_notice() {
    for n in [50, 2550, 5050, 10_000] {
        let clock = VirtualClock::default();
        let portal = FaultyTransport::new(&clock, n, faults(), 1);
        let r = run(&portal, &clock, &LoadConfig::default());
        assert_complete_exact(&portal, &r);
        assert_eq!(mismatch(&r), None, "{n}");
        // The first page, then full batches of 2 500 tasks: no request only to see the end.
        let batches = u32::try_from((n - 50).div_ceil(2500)).unwrap();
        assert_eq!(r.requests(), 1 + batches, "{n}");
    }
}

/// Batches of more than 12 commands time out (or get a 504): the loader halves them until
/// they pass and loads everything without a failure counted.
#[test]
fn heavy_batches_are_halved_until_they_pass() {
    for heavy_504 in [false, true] {
        let clock = VirtualClock::default();
        let portal = FaultyTransport::new(
            &clock,
            10_000,
            Faults {
                heavy_above: Some(12),
                heavy_504,
                ..faults()
            },
            1,
        );
        let r = run(&portal, &clock, &LoadConfig::default());
        assert_complete_exact(&portal, &r);
        let reduced: Vec<LoadNotice> = notices(&r)
            .into_iter()
            .filter(|n| matches!(n, LoadNotice::BatchReduced { .. }))
            .collect();
        assert_eq!(
            reduced,
            [
                LoadNotice::BatchReduced { commands: 25 },
                LoadNotice::BatchReduced { commands: 12 }
            ],
            "504: {heavy_504}"
        );
        assert!(!r.events.iter().any(|e| matches!(
            e,
            LoadEvent::Waiting {
                reason: WaitReason::Retry { .. },
                ..
            }
        )));
        // 1 + 2 refused batches + ceil(9 950 / 600) batches of 12 pages.
        assert_eq!(r.requests(), 1 + 2 + 17, "504: {heavy_504}");
    }
}

/// A batch command that keeps answering `expired_token` (while the batch itself is
/// answered) gets the one refresh a single call gets, then the load stops.
#[test]
fn a_batch_command_expiring_for_ever_refreshes_once() {
    let clock = VirtualClock::default();
    let portal = FaultyTransport::new(
        &clock,
        5000,
        Faults {
            sub_error_always: Some((0, "expired_token")),
            ..faults()
        },
        1,
    );
    let r = run(&portal, &clock, &LoadConfig::default());
    assert_eq!(r.error().kind, LoadErrorKind::AuthFailed);
    assert_eq!(portal.refreshes(), 1);
    assert_eq!(portal.requests(), 3);
}

/// A top-level expiry and a batch command's expiry share one refresh: after the refresh a
/// batch command still refusing the token stops the load.
#[test]
fn a_batch_command_expiry_after_a_refresh_stops() {
    let clock = VirtualClock::default();
    let portal = FaultyTransport::new(
        &clock,
        5000,
        Faults {
            token_ttl: Some(1),
            sub_error: vec![(3, 0, "expired_token")],
            ..faults()
        },
        1,
    );
    let r = run(&portal, &clock, &LoadConfig::default());
    // Request 1 answers, request 2 gets 401 (the token's one use is spent), the refresh,
    // request 3 answers but its first command says expired_token: a second refresh is not
    // taken.
    assert_eq!(r.error().kind, LoadErrorKind::AuthFailed);
    assert_eq!(portal.refreshes(), 1);
}

/// Pages that repeat a row and have rows out of order: each task once, the repeats
/// reported, no failure, no extra request.
#[test]
fn repeated_and_unordered_rows_are_dropped_with_a_notice() {
    let clock = VirtualClock::default();
    let portal = FaultyTransport::new(
        &clock,
        10_000,
        Faults {
            messy_pages_at: vec![1, 2, 3],
            ..faults()
        },
        1,
    );
    let r = run(&portal, &clock, &LoadConfig::default());
    assert_complete_exact(&portal, &r);
    let dropped: usize = notices(&r)
        .iter()
        .map(|n| match n {
            LoadNotice::DuplicatesDropped { count } => *count,
            _ => 0,
        })
        .sum();
    // Page 1 and the 100 pages of requests 2 and 3 each repeat one row.
    assert_eq!(dropped, 101);
    match r.outcome {
        LoadOutcome::Complete { duplicates, .. } => assert_eq!(duplicates, 101),
        ref other => panic!("{other:?}"),
    }
    assert!(r.requests() <= budget(10_000) + 1);
}
