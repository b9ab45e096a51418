//! The retry policy: what to do after a failed request (`docs/platform/errors.md`, "What
//! clients are told to do"). Pure: the caller passes the failure, the counters, a seedable
//! jitter source and the current Unix time, and gets a [`Decision`] back.
//!
//! * `503 QUERY_LIMIT_EXCEEDED` → back off with an increasing, bounded delay;
//! * `429 OPERATION_TIME_LIMIT` → wait until `operating_reset_at` (or a default) and say so;
//! * `401 expired_token` / `invalid_token` → refresh the token, then retry once;
//! * 5xx, network errors, timeouts, malformed answers → bounded exponential back-off with
//!   jitter;
//! * `ERROR_METHOD_NOT_FOUND` → the caller may switch to `tasks.task.list`;
//! * anything else (`insufficient_scope`, `ACCESS_DENIED`, `ERROR_CORE`, unknown codes) → stop.

use crate::report::load_error::{LoadError, LoadErrorKind};
use crate::report::transport::TransportError;
use crate::report::wire::RestError;
use b24_prims::SplitMix64;

/// A small seedable pseudo-random source for back-off jitter: the shared SplitMix64
/// ([`b24_prims::SplitMix64`], the same generator the portal model uses).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Jitter(SplitMix64);

impl Jitter {
    /// A source starting from `seed` (same seed, same sequence).
    pub fn new(seed: u64) -> Self {
        Self(SplitMix64::new(seed))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// A uniform value in `0..=max`.
    pub fn below_or_eq(&mut self, max: u32) -> u32 {
        let r = self.next_u64() % (u64::from(max) + 1);
        u32::try_from(r).unwrap_or(max)
    }

    /// A uniform float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        self.0.unit()
    }
}

/// Why the loader is waiting (shown to the user).
#[derive(Clone, Debug, PartialEq)]
pub enum WaitReason {
    /// Client-side pacing by the leaky bucket.
    Pacing,
    /// The portal answered `QUERY_LIMIT_EXCEEDED`; `attempt` counts consecutive ones.
    QueryLimit {
        /// 1 for the first consecutive rejection.
        attempt: u32,
    },
    /// The portal blocked the method (`OPERATION_TIME_LIMIT`) until `reset_at`.
    OperationLimit {
        /// Unix seconds when the block lifts, if the portal said so.
        reset_at: Option<f64>,
    },
    /// Back-off before retrying after a transient failure of `kind`.
    Retry {
        /// 1 for the first retry.
        attempt: u32,
        /// What failed.
        kind: LoadErrorKind,
    },
}

/// A failed attempt, as the policy sees it.
#[derive(Clone, Debug, PartialEq)]
pub enum Failure {
    /// The portal answered with an error (whole call, or one batch command with status 0).
    Rest(RestError),
    /// No HTTP answer at all.
    Transport(TransportError),
    /// An answer that is not the expected JSON.
    Malformed {
        /// HTTP status.
        status: u16,
        /// What was wrong.
        detail: String,
    },
    /// A well-formed answer that did not advance the load (invalid page, broken chain).
    NoProgress(String),
}

/// How the policy classifies a portal error code.
#[derive(Clone, Debug, PartialEq)]
pub enum ErrorClass {
    /// `QUERY_LIMIT_EXCEEDED`.
    QueryLimit,
    /// `OPERATION_TIME_LIMIT`.
    OperationLimit,
    /// `expired_token`, `invalid_token`: refresh and retry once.
    Token,
    /// `ERROR_METHOD_NOT_FOUND`.
    MethodNotFound,
    /// Worth retrying (server-side trouble).
    Transient(LoadErrorKind),
    /// Not worth retrying.
    Hard(LoadErrorKind),
}

/// Classifies a portal error by its code (case-insensitively) and HTTP status.
pub fn classify(err: &RestError) -> ErrorClass {
    let code = err.code.to_ascii_uppercase();
    match code.as_str() {
        "QUERY_LIMIT_EXCEEDED" => ErrorClass::QueryLimit,
        "OPERATION_TIME_LIMIT" => ErrorClass::OperationLimit,
        "EXPIRED_TOKEN" | "INVALID_TOKEN" => ErrorClass::Token,
        "ERROR_METHOD_NOT_FOUND" => ErrorClass::MethodNotFound,
        "INSUFFICIENT_SCOPE" => ErrorClass::Hard(LoadErrorKind::MissingScope),
        "ACCESS_DENIED" | "USER_ACCESS_ERROR" => ErrorClass::Hard(LoadErrorKind::AccessDenied),
        "NO_AUTH_FOUND" | "INVALID_CREDENTIALS" | "INVALID_REQUEST" => {
            ErrorClass::Hard(LoadErrorKind::AuthFailed)
        }
        "INTERNAL_SERVER_ERROR" | "ERROR_UNEXPECTED_ANSWER" => {
            ErrorClass::Transient(LoadErrorKind::Server(err.status))
        }
        "ERROR_CORE" => ErrorClass::Hard(LoadErrorKind::Other(err.code.clone())),
        _ if err.status >= 500 => ErrorClass::Transient(LoadErrorKind::Server(err.status)),
        _ => ErrorClass::Hard(LoadErrorKind::Other(err.code.clone())),
    }
}

/// The numbers of the policy.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Consecutive transient failures (5xx, network, timeout, malformed) retried before
    /// giving up.
    pub max_retries: u32,
    /// First back-off delay for transient failures (doubles each time).
    pub base_delay_ms: u32,
    /// Longest back-off delay.
    pub max_delay_ms: u32,
    /// Consecutive `QUERY_LIMIT_EXCEEDED` answers retried before giving up.
    pub max_rate_limit_retries: u32,
    /// First delay after `QUERY_LIMIT_EXCEEDED` (doubles each time, up to `max_delay_ms`).
    pub rate_limit_base_ms: u32,
    /// Consecutive `OPERATION_TIME_LIMIT` waits before giving up.
    pub max_operation_waits: u32,
    /// Wait after `OPERATION_TIME_LIMIT` when the answer has no `operating_reset_at`.
    pub default_operation_wait_ms: u32,
    /// Longest wait for an operating-limit reset (the portal's window is 10 minutes).
    pub max_operation_wait_ms: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 6,
            base_delay_ms: 500,
            max_delay_ms: 30_000,
            max_rate_limit_retries: 12,
            rate_limit_base_ms: 1_000,
            max_operation_waits: 4,
            default_operation_wait_ms: 60_000,
            max_operation_wait_ms: 600_000,
        }
    }
}

/// Consecutive-failure counters (reset by [`RetryState::progress`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RetryState {
    transient: u32,
    rate: u32,
    operation: u32,
    auth: u32,
}

impl RetryState {
    /// The load advanced: every counter but the token refresh's starts again (that one
    /// only after an answer without a token error, see [`RetryState::answered`], so a batch
    /// command that keeps answering `expired_token` cannot refresh without end).
    pub fn progress(&mut self) {
        *self = Self {
            auth: self.auth,
            ..Self::default()
        };
    }

    /// An answer had no token error anywhere (a single call, or a batch and every one of its
    /// commands): the token refresh may be used again.
    pub fn answered(&mut self) {
        self.auth = 0;
    }
}

/// What to do after a failure.
#[derive(Clone, Debug, PartialEq)]
pub enum Decision {
    /// Wait `ms`, then retry the same step.
    Wait {
        /// How long.
        ms: u32,
        /// Why (for the user).
        reason: WaitReason,
    },
    /// Refresh the access token, then retry the same step.
    RefreshAuth,
    /// The list method does not exist: the caller may switch to the other one.
    SwitchMethod,
    /// Stop.
    Fail(LoadError),
}

impl RetryPolicy {
    /// `base · 2^(n-1)` capped at `max_delay_ms`, then "equal jitter": half fixed, half random.
    pub fn backoff_ms(&self, base_ms: u32, attempt: u32, jitter: &mut Jitter) -> u32 {
        let exp = attempt.saturating_sub(1).min(20);
        let full = u64::from(base_ms)
            .saturating_mul(1u64 << exp)
            .min(u64::from(self.max_delay_ms));
        let full = u32::try_from(full).unwrap_or(self.max_delay_ms);
        let half = full / 2;
        half + jitter.below_or_eq(full - half)
    }

    /// Decides what to do after `failure`, updating the counters.
    pub fn decide(
        &self,
        state: &mut RetryState,
        failure: &Failure,
        jitter: &mut Jitter,
        unix_now_s: f64,
    ) -> Decision {
        match failure {
            Failure::Rest(err) => match classify(err) {
                ErrorClass::QueryLimit => {
                    state.rate += 1;
                    if state.rate > self.max_rate_limit_retries {
                        return Decision::Fail(rest_error(LoadErrorKind::RateLimited, err));
                    }
                    Decision::Wait {
                        ms: self.backoff_ms(self.rate_limit_base_ms, state.rate, jitter),
                        reason: WaitReason::QueryLimit {
                            attempt: state.rate,
                        },
                    }
                }
                ErrorClass::OperationLimit => {
                    state.operation += 1;
                    let reset_at = err.operating_reset_at;
                    if state.operation > self.max_operation_waits {
                        return Decision::Fail(rest_error(
                            LoadErrorKind::OperationLimit { reset_at },
                            err,
                        ));
                    }
                    let ms = match reset_at {
                        Some(at) => {
                            // One extra second so the bucket has surely dropped out. Not
                            // `clamp`: it panics when the configured ceiling is below 1 s (and
                            // its check links the float formatting code into the wasm).
                            let ms = ((at - unix_now_s) * 1000.0 + 1000.0)
                                .min(f64::from(self.max_operation_wait_ms))
                                .max(1000.0);
                            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                            let ms = ms.ceil() as u32;
                            ms
                        }
                        None => self.default_operation_wait_ms,
                    };
                    Decision::Wait {
                        ms,
                        reason: WaitReason::OperationLimit { reset_at },
                    }
                }
                ErrorClass::Token => {
                    state.auth += 1;
                    if state.auth > 1 {
                        Decision::Fail(rest_error(LoadErrorKind::AuthFailed, err))
                    } else {
                        Decision::RefreshAuth
                    }
                }
                ErrorClass::MethodNotFound => Decision::SwitchMethod,
                ErrorClass::Transient(kind) => {
                    self.transient(state, kind, jitter, || rest_error_details(err))
                }
                ErrorClass::Hard(kind) => Decision::Fail(rest_error(kind, err)),
            },
            Failure::Transport(TransportError::Unavailable(msg)) => {
                Decision::Fail(LoadError::new(LoadErrorKind::Unavailable).with_detail(msg.clone()))
            }
            Failure::Transport(TransportError::Network(msg)) => {
                self.transient(state, LoadErrorKind::Network, jitter, || {
                    LoadError::new(LoadErrorKind::Network).with_detail(msg.clone())
                })
            }
            Failure::Transport(TransportError::TooLarge { limit_bytes }) => Decision::Fail(
                LoadError::new(LoadErrorKind::TooLarge)
                    .with_detail(format!("the answer exceeded {limit_bytes} bytes")),
            ),
            Failure::Transport(TransportError::Timeout) => {
                self.transient(state, LoadErrorKind::Timeout, jitter, || {
                    LoadError::new(LoadErrorKind::Timeout)
                })
            }
            Failure::Malformed { status, detail } => {
                let kind = if *status >= 500 {
                    LoadErrorKind::Server(*status)
                } else {
                    LoadErrorKind::BadAnswer
                };
                self.transient(state, kind.clone(), jitter, || {
                    LoadError::new(kind.clone())
                        .with_status(*status)
                        .with_detail(detail.clone())
                })
            }
            Failure::NoProgress(detail) => {
                self.transient(state, LoadErrorKind::BadAnswer, jitter, || {
                    LoadError::new(LoadErrorKind::BadAnswer).with_detail(detail.clone())
                })
            }
        }
    }

    fn transient(
        &self,
        state: &mut RetryState,
        kind: LoadErrorKind,
        jitter: &mut Jitter,
        error: impl FnOnce() -> LoadError,
    ) -> Decision {
        state.transient += 1;
        if state.transient > self.max_retries {
            let mut e = error();
            e.kind = kind;
            return Decision::Fail(e);
        }
        Decision::Wait {
            ms: self.backoff_ms(self.base_delay_ms, state.transient, jitter),
            reason: WaitReason::Retry {
                attempt: state.transient,
                kind,
            },
        }
    }
}

fn rest_error(kind: LoadErrorKind, err: &RestError) -> LoadError {
    LoadError::new(kind)
        .with_code(&err.code, &err.description)
        .with_status(err.status)
}

fn rest_error_details(err: &RestError) -> LoadError {
    rest_error(LoadErrorKind::Server(err.status), err)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn rest(status: u16, code: &str) -> Failure {
        Failure::Rest(RestError {
            status,
            code: code.into(),
            description: String::new(),
            operating_reset_at: None,
        })
    }

    #[test]
    fn jitter_is_deterministic_and_bounded() {
        let mut a = Jitter::new(7);
        let mut b = Jitter::new(7);
        for _ in 0..100 {
            let x = a.below_or_eq(10);
            assert_eq!(x, b.below_or_eq(10));
            assert!(x <= 10);
            let u = a.unit();
            assert!((0.0..1.0).contains(&u));
            b.unit();
        }
        assert_ne!(Jitter::new(1).next_u64(), Jitter::new(2).next_u64());
    }

    #[test]
    fn transient_backoff_grows_with_jitter_and_is_bounded() {
        let p = RetryPolicy::default();
        let mut s = RetryState::default();
        let mut j = Jitter::new(1);
        let mut last_cap = 0;
        for attempt in 1..=p.max_retries {
            match p.decide(&mut s, &rest(500, "INTERNAL_SERVER_ERROR"), &mut j, 0.0) {
                Decision::Wait { ms, reason } => {
                    let cap = (500u32 << (attempt - 1)).min(30_000);
                    assert!(ms >= cap / 2 && ms <= cap, "attempt {attempt}: {ms}");
                    assert!(cap >= last_cap);
                    last_cap = cap;
                    assert_eq!(
                        reason,
                        WaitReason::Retry {
                            attempt,
                            kind: LoadErrorKind::Server(500)
                        }
                    );
                }
                other => panic!("{other:?}"),
            }
        }
        let Decision::Fail(e) = p.decide(
            &mut s,
            &Failure::Transport(TransportError::Timeout),
            &mut j,
            0.0,
        ) else {
            panic!()
        };
        assert_eq!(e.kind, LoadErrorKind::Timeout);
        s.progress();
        assert!(matches!(
            p.decide(
                &mut s,
                &Failure::Transport(TransportError::Network("reset".into())),
                &mut j,
                0.0
            ),
            Decision::Wait { .. }
        ));
    }

    #[test]
    fn query_limit_backs_off_increasingly_then_fails() {
        let p = RetryPolicy::default();
        let mut s = RetryState::default();
        let mut j = Jitter::new(3);
        let mut caps = Vec::new();
        for _ in 0..p.max_rate_limit_retries {
            let Decision::Wait {
                ms,
                reason: WaitReason::QueryLimit { attempt },
            } = p.decide(&mut s, &rest(503, "QUERY_LIMIT_EXCEEDED"), &mut j, 0.0)
            else {
                panic!()
            };
            let cap = (1000u64 << (attempt - 1).min(20)).min(30_000);
            assert!(u64::from(ms) >= cap / 2 && u64::from(ms) <= cap);
            caps.push(cap);
        }
        assert!(caps.windows(2).all(|w| w[0] <= w[1]));
        let Decision::Fail(e) = p.decide(&mut s, &rest(503, "QUERY_LIMIT_EXCEEDED"), &mut j, 0.0)
        else {
            panic!()
        };
        assert_eq!(e.kind, LoadErrorKind::RateLimited);
        assert_eq!(e.status, Some(503));
    }

    #[test]
    fn operation_limit_waits_until_reset() {
        let p = RetryPolicy::default();
        let mut s = RetryState::default();
        let mut j = Jitter::new(0);
        let f = Failure::Rest(RestError {
            status: 429,
            code: "OPERATION_TIME_LIMIT".into(),
            description: String::new(),
            operating_reset_at: Some(1005.0),
        });
        assert_eq!(
            p.decide(&mut s, &f, &mut j, 1000.0),
            Decision::Wait {
                ms: 6000,
                reason: WaitReason::OperationLimit {
                    reset_at: Some(1005.0)
                }
            }
        );
        assert_eq!(
            p.decide(&mut s, &rest(429, "OPERATION_TIME_LIMIT"), &mut j, 1000.0),
            Decision::Wait {
                ms: 60_000,
                reason: WaitReason::OperationLimit { reset_at: None }
            }
        );
    }

    #[test]
    fn operation_limit_wait_is_at_least_a_second_and_at_most_the_ceiling() {
        let mut j = Jitter::new(0);
        let f = |reset_at| {
            Failure::Rest(RestError {
                status: 429,
                code: "OPERATION_TIME_LIMIT".into(),
                description: String::new(),
                operating_reset_at: Some(reset_at),
            })
        };
        let mut wait_ms = |p: &RetryPolicy, reset_at| match p.decide(
            &mut RetryState::default(),
            &f(reset_at),
            &mut j,
            1000.0,
        ) {
            Decision::Wait { ms, .. } => ms,
            other => panic!("{other:?}"),
        };
        let p = RetryPolicy::default();
        // A reset time in the past still waits a second; a far one waits the ceiling.
        assert_eq!(wait_ms(&p, 900.0), 1000);
        assert_eq!(wait_ms(&p, 1_000_000.0), 600_000);
        // A ceiling configured below one second is not a crash: the one second wins.
        let short = RetryPolicy {
            max_operation_wait_ms: 500,
            ..RetryPolicy::default()
        };
        assert_eq!(wait_ms(&short, 1005.0), 1000);
    }

    #[test]
    fn token_refresh_once_then_fail() {
        let p = RetryPolicy::default();
        let mut s = RetryState::default();
        let mut j = Jitter::new(0);
        assert_eq!(
            p.decide(&mut s, &rest(401, "expired_token"), &mut j, 0.0),
            Decision::RefreshAuth
        );
        let Decision::Fail(e) = p.decide(&mut s, &rest(401, "invalid_token"), &mut j, 0.0) else {
            panic!()
        };
        assert_eq!(e.kind, LoadErrorKind::AuthFailed);
        s.answered();
        assert_eq!(
            p.decide(&mut s, &rest(401, "expired_token"), &mut j, 0.0),
            Decision::RefreshAuth
        );
    }

    #[test]
    fn hard_errors_and_fallback() {
        let p = RetryPolicy::default();
        let mut j = Jitter::new(0);
        let cases = [
            (401, "insufficient_scope", LoadErrorKind::MissingScope),
            (403, "ACCESS_DENIED", LoadErrorKind::AccessDenied),
            (401, "user_access_error", LoadErrorKind::AccessDenied),
            (401, "NO_AUTH_FOUND", LoadErrorKind::AuthFailed),
            (401, "INVALID_CREDENTIALS", LoadErrorKind::AuthFailed),
            (400, "ERROR_CORE", LoadErrorKind::Other("ERROR_CORE".into())),
            (500, "ERROR_CORE", LoadErrorKind::Other("ERROR_CORE".into())),
            (400, "WHATEVER", LoadErrorKind::Other("WHATEVER".into())),
        ];
        for (status, code, kind) in cases {
            let mut s = RetryState::default();
            match p.decide(&mut s, &rest(status, code), &mut j, 0.0) {
                Decision::Fail(e) => {
                    assert_eq!(e.kind, kind, "{code}");
                    assert_eq!(e.code.as_deref(), Some(code));
                }
                other => panic!("{code}: {other:?}"),
            }
        }
        let mut s = RetryState::default();
        assert_eq!(
            p.decide(&mut s, &rest(404, "ERROR_METHOD_NOT_FOUND"), &mut j, 0.0),
            Decision::SwitchMethod
        );
        assert!(matches!(
            p.decide(
                &mut s,
                &Failure::Transport(TransportError::Unavailable("no auth".into())),
                &mut j,
                0.0
            ),
            Decision::Fail(LoadError {
                kind: LoadErrorKind::Unavailable,
                ..
            })
        ));
        // Unknown codes with a 5xx status are retried.
        assert!(matches!(
            p.decide(&mut s, &rest(502, "BAD_GATEWAY"), &mut j, 0.0),
            Decision::Wait { .. }
        ));
    }
}
