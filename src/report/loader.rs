//! The loading engine: loads every task of the portal through a [`Transport`], streaming the
//! rows page by page to the caller.
//!
//! Request 1 is a single `task.item.list` call (`>ID 0`, ID descending): its 50 rows are
//! shown after one round trip and its `total` sizes the plan. The rest comes in `batch` calls
//! of up to 50 chained keyset pages (`<ID` = the previous page's last ID, resolved by the
//! portal), sized from each command's `result_total` so the load ends without an extra
//! request: N tasks take at most `ceil(N / 2500) + 2` HTTP requests. Every page is validated
//! ([`crate::report::validate`]); pages after a short, failed or invalid one are dropped and
//! the load resumes from the last valid cursor, so the result is exact even while tasks are
//! added and deleted, and a seen-set guarantees no duplicate ever reaches the caller.
//!
//! The portal's counts are a plan, not a proof (`docs/platform/limits-and-paging.md`): a range
//! ends on a short page, or on a full page whose count says nothing is left only while the rows
//! loaded agree with the count announced by request 1; otherwise paging goes on below the
//! cursor until a short page, and a wrong announcement is reported as a
//! [`LoadNotice::TotalMismatch`].
//!
//! Requests are paced by a client-side leaky bucket ([`crate::report::limiter`]); failures go
//! through the retry policy ([`crate::report::retry`]); every request has a timeout longer than
//! the portal's own 60 s cut-off, and a batch that times out (or gets a 504) is sent again
//! with half as many commands, down to one, before it counts as a failure; a shared
//! [`CancelFlag`] stops the loop between requests and during waits. A stopped load returns a
//! [`ResumePoint`] from which a later call continues without re-loading anything. If the
//! portal no longer has `task.item.list`, the same data is loaded through `tasks.task.list`.
//!
//! Pure: no browser APIs; time and I/O come through [`Clock`] and [`Transport`].

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::rc::Rc;

use crate::report::limiter::{BucketConfig, LeakyBucket};
use crate::report::load_error::{LoadError, LoadErrorKind};
use crate::report::params::{encode, encode_batch};
use crate::report::planner::{
    list_params, plan_keyset_batch, ListFilter, Range, MAX_BATCH, MAX_PAGE_SIZE,
};
use crate::report::retry::{
    classify, Decision, ErrorClass, Failure, Jitter, RetryPolicy, RetryState, WaitReason,
};
use crate::report::task::{Task, TaskId};
use crate::report::transport::{Clock, HttpReply, Transport, TransportError};
use crate::report::validate::{check_chain, check_page, Window};
use crate::report::wire::{
    decode_list_batch_reply, decode_list_reply, parse_wire_row, MalformedRow, ReplyError,
    RestError, TaskApi, WireRow,
};
use futures_util::future::{select, Either};

#[cfg(feature = "page-numbers")]
#[path = "page_numbers.rs"]
mod page_numbers;
#[cfg(feature = "page-numbers")]
pub use page_numbers::Strategy;

#[cfg(test)]
#[path = "load_faults.rs"]
pub(crate) mod faults;
#[cfg(test)]
#[path = "load_tests.rs"]
mod tests;

/// Loader settings.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadConfig {
    /// How pages after the first are requested (the benchmark's choice; the app always
    /// uses chained keyset pages).
    #[cfg(feature = "page-numbers")]
    pub strategy: Strategy,
    /// Rows per page (the portal serves at most 50). Keep 50 in production: `tasks.task.list`
    /// (the fallback) always serves 50, and fewer only costs more requests.
    pub page_size: u32,
    /// Commands per batch (the portal runs at most 50).
    pub batch_size: u32,
    /// Timeout of one HTTP request: longer than the portal's own 60 s cut-off plus the
    /// network, so a slow answer is not given up while the portal still works on it.
    pub request_timeout_ms: u32,
    /// The client-side leaky bucket (standard 50 / 2 per s, Enterprise 250 / 5 per s).
    pub bucket: BucketConfig,
    /// Retry numbers.
    pub retry: RetryPolicy,
    /// Seed of the back-off jitter.
    pub jitter_seed: u64,
}

impl Default for LoadConfig {
    fn default() -> Self {
        Self {
            #[cfg(feature = "page-numbers")]
            strategy: Strategy::ChainedKeyset,
            page_size: MAX_PAGE_SIZE,
            batch_size: MAX_BATCH,
            request_timeout_ms: REQUEST_TIMEOUT_MS,
            bucket: BucketConfig::STANDARD,
            retry: RetryPolicy::default(),
            jitter_seed: 0x5EED,
        }
    }
}

/// The default request timeout: the portal's 60 s per request plus 15 s of network.
pub const REQUEST_TIMEOUT_MS: u32 = 75_000;

/// A shared flag that stops a running load (checked between requests and during waits,
/// and while a request is in flight).
#[derive(Clone, Debug, Default)]
pub struct CancelFlag(Rc<Cell<bool>>);

impl CancelFlag {
    /// A flag that is not set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks the load to stop.
    pub fn cancel(&self) {
        self.0.set(true);
    }

    /// True once [`CancelFlag::cancel`] was called (until [`CancelFlag::reset`]).
    pub fn is_cancelled(&self) -> bool {
        self.0.get()
    }

    /// Clears the flag (before a resumed run).
    pub fn reset(&self) {
        self.0.set(false);
    }
}

/// Something the UI may want to say in its footer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadNotice {
    /// The portal has no `from` (`ERROR_METHOD_NOT_FOUND`); tasks are loaded through `to`.
    MethodFallback {
        /// The method that is gone (`task.item.list`).
        from: &'static str,
        /// The method used instead (`tasks.task.list`).
        to: &'static str,
    },
    /// Rows without a usable ID were received and left out.
    MalformedRows {
        /// How many in this page.
        count: usize,
        /// Why the first of them was rejected.
        example: String,
    },
    /// Rows already loaded came again and were dropped.
    DuplicatesDropped {
        /// How many in this page.
        count: usize,
    },
    /// The portal's first answer announced `announced` tasks, but the finished load has
    /// `loaded` (a wrong count, or tasks added or deleted while loading).
    TotalMismatch {
        /// `total` of request 1.
        announced: usize,
        /// Tasks delivered.
        loaded: usize,
    },
    /// Batches kept timing out, so they were made smaller (`commands` per batch from now on).
    BatchReduced {
        /// Commands per batch after the reduction.
        commands: u32,
    },
    /// The browser's storage cannot keep the snapshot (blocked third-party storage, private
    /// mode, quota): every open is a full load (issue 15).
    SnapshotUnavailable,
    /// The tasks gone since the snapshot shown on opening (`report::snapshot::since_visit`;
    /// the new and changed ones are marked in the table, `TaskTable::mark_since_visit`).
    SinceLastVisit {
        /// Tasks gone since: ID and last known title.
        gone: Rc<[(TaskId, String)]>,
    },
}

/// What the loader tells the caller while it runs.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadEvent {
    /// New rows (one page; never a task already delivered).
    Rows(Vec<Task>),
    /// After every answered request.
    Progress {
        /// Tasks delivered so far (also across a resume).
        loaded: usize,
        /// The expected number of tasks, once known.
        total: Option<usize>,
        /// HTTP requests sent so far (also across a resume).
        requests: u32,
    },
    /// The loader waits `ms` before the next request.
    Waiting {
        /// Why.
        reason: WaitReason,
        /// How long.
        ms: u32,
    },
    /// Something worth telling the user.
    Notice(LoadNotice),
}

/// How a load ended.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadOutcome {
    /// Every task was delivered.
    Complete {
        /// Tasks delivered (also across resumes).
        loaded: usize,
        /// HTTP requests sent (also across resumes).
        requests: u32,
        /// Rows without a usable ID that were left out.
        malformed: usize,
        /// Rows dropped as duplicates by the last-line seen-set.
        duplicates: usize,
    },
    /// The [`CancelFlag`] was set; pass `resume` to continue.
    Cancelled {
        /// Where to continue.
        resume: ResumePoint,
    },
    /// Loading stopped on an error; pass `resume` to retry from where it stopped.
    Failed {
        /// What went wrong.
        error: LoadError,
        /// Where to continue.
        resume: ResumePoint,
    },
}

#[derive(Clone, Debug, PartialEq)]
enum Stage {
    /// Nothing loaded yet: the first single call is next.
    Start,
    /// ID ranges still to load (keyset).
    Ranges(Vec<Range>),
    /// Everything loaded.
    Done,
}

/// Where a stopped load continues: what is left and what was already delivered (so
/// nothing is loaded or delivered twice). Opaque; pass it back to [`load_tasks`].
#[derive(Clone, Debug, PartialEq)]
pub struct ResumePoint {
    api: TaskApi,
    stage: Stage,
    seen: HashSet<TaskId>,
    requests: u32,
    malformed: usize,
    duplicates: usize,
    total: Option<usize>,
    fallback_noticed: bool,
}

impl ResumePoint {
    /// Nothing loaded yet: `api` at `stage`.
    fn fresh(api: TaskApi, stage: Stage) -> Self {
        ResumePoint {
            api,
            stage,
            seen: HashSet::new(),
            requests: 0,
            malformed: 0,
            duplicates: 0,
            total: None,
            fallback_noticed: false,
        }
    }

    /// Tasks delivered before the stop.
    pub fn loaded(&self) -> usize {
        self.seen.len()
    }

    /// HTTP requests sent before the stop.
    pub fn requests(&self) -> u32 {
        self.requests
    }

    /// The list method in use.
    pub fn api(&self) -> TaskApi {
        self.api
    }

    /// True if the load had not delivered its first page yet.
    pub fn at_start(&self) -> bool {
        self.stage == Stage::Start
    }
}

/// Loads every task the user can see, streaming rows and progress to `on_event`.
///
/// `resume`: `None` starts afresh (everything is fetched again); `Some` continues a
/// cancelled or failed load without re-delivering anything. The strategy of `config`
/// applies to a fresh run; a resumed run always continues with keyset ranges.
///
/// Never panics and always ends: every wait and retry is bounded.
pub async fn load_tasks(
    transport: &dyn Transport,
    clock: &dyn Clock,
    config: &LoadConfig,
    resume: Option<ResumePoint>,
    cancel: &CancelFlag,
    on_event: &mut dyn FnMut(LoadEvent),
) -> LoadOutcome {
    let load = resume.unwrap_or_else(|| ResumePoint::fresh(TaskApi::ItemList, Stage::Start));
    let batch_cap = config.batch_size.clamp(1, MAX_BATCH);
    let engine = Engine::new(transport, clock, config, cancel, on_event, load, batch_cap);
    match engine.run().await {
        Ok(()) => {
            let load = engine.st.into_inner().load;
            LoadOutcome::Complete {
                loaded: load.seen.len(),
                requests: load.requests,
                malformed: load.malformed,
                duplicates: load.duplicates,
            }
        }
        Err(stop) => {
            let resume = engine.st.into_inner().load;
            match stop {
                Stop::Cancelled => LoadOutcome::Cancelled { resume },
                Stop::Failed(error) => LoadOutcome::Failed { error, resume },
                Stop::SwitchMethod(err) => LoadOutcome::Failed {
                    error: method_unavailable(&err),
                    resume,
                },
                // Handled where batches are sent; a single call never reports it.
                Stop::TooHeavy(_) => LoadOutcome::Failed {
                    error: LoadError::new(LoadErrorKind::Timeout),
                    resume,
                },
            }
        }
    }
}

/// One request outside a load (the name resolution after it, `crate::report::names`), with
/// the same pacing, timeout, retry policy and token refresh as the load's own requests.
/// `Ok` holds the decoded answer; `Err(None)` means cancelled. The second value counts the
/// HTTP requests sent (retries included).
pub async fn request_once<T>(
    transport: &dyn Transport,
    clock: &dyn Clock,
    config: &LoadConfig,
    cancel: &CancelFlag,
    method: &str,
    body: &str,
    decode: fn(&HttpReply) -> Result<T, ReplyError>,
) -> (Result<T, Option<LoadError>>, u32) {
    let mut ignore = |_: LoadEvent| {};
    let load = ResumePoint {
        fallback_noticed: true,
        ..ResumePoint::fresh(TaskApi::TaskList, Stage::Done)
    };
    let engine = Engine::new(transport, clock, config, cancel, &mut ignore, load, 1);
    let result = match engine.request(method, body, decode, false).await {
        Ok(answer) => Ok(answer),
        Err(Stop::Cancelled) => Err(None),
        Err(Stop::Failed(error)) => Err(Some(error)),
        Err(Stop::SwitchMethod(err)) => Err(Some(method_unavailable(&err))),
        Err(Stop::TooHeavy(_)) => Err(Some(LoadError::new(LoadErrorKind::Timeout))),
    };
    let requests = engine.st.borrow().load.requests;
    (result, requests)
}

/// [`request_once`] for a `batch` of `commands` (`halt=0`): the name resolution and the
/// incremental refresh send theirs this way.
pub async fn request_batch<T>(
    transport: &dyn Transport,
    clock: &dyn Clock,
    config: &LoadConfig,
    cancel: &CancelFlag,
    commands: &[crate::report::params::BatchCommand],
    decode: fn(&HttpReply) -> Result<T, ReplyError>,
) -> (Result<T, Option<LoadError>>, u32) {
    let body = encode_batch(false, commands);
    request_once(transport, clock, config, cancel, "batch", &body, decode).await
}

/// Why the engine stopped early.
#[derive(Debug)]
enum Stop {
    Cancelled,
    Failed(LoadError),
    /// `ERROR_METHOD_NOT_FOUND` for the list method.
    SwitchMethod(RestError),
    /// A batch timed out, got a 504 or an answer too large: send it again smaller.
    TooHeavy(Failure),
}

/// True for the failures a smaller batch can avoid: a timeout, a gateway timeout (504),
/// an answer over the size cap.
fn too_heavy(failure: &Failure) -> bool {
    match failure {
        Failure::Transport(TransportError::Timeout | TransportError::TooLarge { .. }) => true,
        Failure::Malformed { status, .. } => *status == 504,
        Failure::Rest(err) => err.status == 504,
        _ => false,
    }
}

fn method_unavailable(err: &RestError) -> LoadError {
    LoadError::new(LoadErrorKind::MethodUnavailable)
        .with_code(&err.code, &err.description)
        .with_status(err.status)
}

/// A running load: what is loaded and left ([`ResumePoint`], handed back when it stops)
/// plus what only lives as long as one run (pacing, back-off, batch size).
struct State {
    load: ResumePoint,
    bucket: LeakyBucket,
    jitter: Jitter,
    retry: RetryState,
    /// Most commands per batch: halved after a batch timed out (never grows back in a load).
    batch_cap: u32,
    /// `operating_reset_at` of the last successful answer: where an `OPERATION_TIME_LIMIT`
    /// wait ends (`docs/platform/errors.md`: the documented answer to that error).
    operating_reset_at: Option<f64>,
}

/// One parsed page: its rows and their IDs.
struct Page {
    rows: Vec<Result<Task, MalformedRow>>,
    ids: Vec<Option<TaskId>>,
}

impl Page {
    fn from_rows(rows: &[WireRow], api: TaskApi) -> Self {
        let rows: Vec<_> = rows.iter().map(|row| parse_wire_row(row, api)).collect();
        let ids = rows.iter().map(|r| r.as_ref().ok().map(|t| t.id)).collect();
        Self { rows, ids }
    }
}

/// The length of a cancel-check slice while waiting.
const CANCEL_POLL_MS: u32 = 250;

struct Engine<'a> {
    transport: &'a dyn Transport,
    clock: &'a dyn Clock,
    config: &'a LoadConfig,
    cancel: &'a CancelFlag,
    page_size: u32,
    on_event: RefCell<&'a mut dyn FnMut(LoadEvent)>,
    st: RefCell<State>,
}

impl<'a> Engine<'a> {
    /// An engine with a fresh bucket, jitter and retry state around `load`.
    fn new(
        transport: &'a dyn Transport,
        clock: &'a dyn Clock,
        config: &'a LoadConfig,
        cancel: &'a CancelFlag,
        on_event: &'a mut dyn FnMut(LoadEvent),
        load: ResumePoint,
        batch_cap: u32,
    ) -> Self {
        Engine {
            transport,
            clock,
            config,
            cancel,
            page_size: config.page_size.clamp(1, MAX_PAGE_SIZE),
            on_event: RefCell::new(on_event),
            st: RefCell::new(State {
                bucket: LeakyBucket::new(config.bucket),
                jitter: Jitter::new(config.jitter_seed),
                retry: RetryState::default(),
                load,
                batch_cap,
                operating_reset_at: None,
            }),
        }
    }

    fn emit(&self, event: LoadEvent) {
        let mut cb = self.on_event.borrow_mut();
        (*cb)(event);
    }

    fn page_len(&self) -> usize {
        usize::try_from(self.page_size).unwrap_or(50)
    }

    async fn run(&self) -> Result<(), Stop> {
        loop {
            if self.cancel.is_cancelled() {
                return Err(Stop::Cancelled);
            }
            let stage = self.st.borrow().load.stage.clone();
            match stage {
                Stage::Done => {
                    self.check_announced_total();
                    return Ok(());
                }
                Stage::Start => self.first_page().await?,
                Stage::Ranges(ranges) if ranges.is_empty() => {
                    self.st.borrow_mut().load.stage = Stage::Done
                }
                Stage::Ranges(ranges) => self.keyset_batch(ranges).await?,
            }
        }
    }

    // ---- one HTTP request with pacing, timeout, cancel and the retry policy ----

    /// Sleeps `ms` in slices, checking the cancel flag.
    async fn wait(&self, ms: u32) -> Result<(), Stop> {
        let mut left = ms;
        while left > 0 {
            if self.cancel.is_cancelled() {
                return Err(Stop::Cancelled);
            }
            let slice = left.min(CANCEL_POLL_MS);
            self.clock.sleep(slice).await;
            left -= slice;
        }
        if self.cancel.is_cancelled() {
            return Err(Stop::Cancelled);
        }
        Ok(())
    }

    /// Resolves once the cancel flag is set (polling it every slice).
    async fn cancelled(&self) {
        while !self.cancel.is_cancelled() {
            self.clock.sleep(CANCEL_POLL_MS).await;
        }
    }

    /// One POST raced against the timeout and the cancel flag.
    async fn send(
        &self,
        method: &str,
        body: &str,
    ) -> Result<Result<HttpReply, TransportError>, Stop> {
        let timeout = self.config.request_timeout_ms.max(1);
        let post = self.transport.post(method, body, timeout);
        let timer = self.clock.sleep(timeout);
        let cancel = Box::pin(self.cancelled());
        match select(post, select(timer, cancel)).await {
            Either::Left((reply, _)) => Ok(reply),
            Either::Right((Either::Left(_), _)) => Ok(Err(TransportError::Timeout)),
            Either::Right((Either::Right(_), _)) => Err(Stop::Cancelled),
        }
    }

    /// Sends one request until it yields a decoded answer, following the retry policy.
    /// `shrinkable`: a batch that may be sent again smaller; a failure [`too_heavy`] returns
    /// [`Stop::TooHeavy`] at once instead of being retried as it is.
    ///
    /// A decoded answer does not clear the token-refresh counter: the caller does, once it
    /// knows the answer carried no `expired_token` (a batch command may).
    async fn request<T>(
        &self,
        method: &str,
        body: &str,
        decode: fn(&HttpReply) -> Result<T, ReplyError>,
        shrinkable: bool,
    ) -> Result<T, Stop> {
        loop {
            if self.cancel.is_cancelled() {
                return Err(Stop::Cancelled);
            }
            let delay = {
                let mut st = self.st.borrow_mut();
                let now = self.clock.now_ms();
                let delay = st.bucket.delay_ms(now);
                // Reserve the slot now so concurrent requests queue behind it.
                st.bucket.record(now);
                delay
            };
            if delay > 0 {
                self.emit(LoadEvent::Waiting {
                    reason: WaitReason::Pacing,
                    ms: delay,
                });
                self.wait(delay).await?;
            }
            self.st.borrow_mut().load.requests += 1;
            let failure = match self.send(method, body).await? {
                Ok(reply) => match decode(&reply) {
                    Ok(answer) => return Ok(answer),
                    Err(ReplyError::Rest(err)) => Failure::Rest(err),
                    Err(ReplyError::Malformed { status, detail }) => {
                        Failure::Malformed { status, detail }
                    }
                },
                Err(err) => Failure::Transport(err),
            };
            if shrinkable && too_heavy(&failure) {
                return Err(Stop::TooHeavy(failure));
            }
            self.handle_failure(failure).await?;
        }
    }

    /// After a batch of `sent` commands was too heavy: the next batches carry half as many
    /// (down to one); a single command that is still too heavy is an ordinary failure.
    async fn shrink_batches(&self, sent: usize, failure: Failure) -> Result<(), Stop> {
        let sent = u32::try_from(sent).unwrap_or(MAX_BATCH);
        if sent <= 1 {
            return self.handle_failure(failure).await;
        }
        let commands = (sent / 2).max(1);
        self.st.borrow_mut().batch_cap = commands;
        self.emit(LoadEvent::Notice(LoadNotice::BatchReduced { commands }));
        Ok(())
    }

    /// Applies the retry policy to a failure: waits, refreshes the token, or stops.
    async fn handle_failure(&self, mut failure: Failure) -> Result<(), Stop> {
        let decision = {
            let mut st = self.st.borrow_mut();
            let st = &mut *st;
            if let Failure::Rest(err) = &mut failure {
                if err.code.eq_ignore_ascii_case("QUERY_LIMIT_EXCEEDED") {
                    st.bucket.saturate(self.clock.now_ms());
                }
                if classify(err) == ErrorClass::OperationLimit && err.operating_reset_at.is_none() {
                    // The first retry waits for the reset the last successful answer named;
                    // once that has passed, the policy's default wait.
                    let now = self.clock.unix_now_s();
                    err.operating_reset_at = st.operating_reset_at.filter(|&at| at > now);
                }
            }
            self.config.retry.decide(
                &mut st.retry,
                &failure,
                &mut st.jitter,
                self.clock.unix_now_s(),
            )
        };
        match decision {
            Decision::Wait { ms, reason } => {
                self.emit(LoadEvent::Waiting { reason, ms });
                self.wait(ms).await
            }
            Decision::RefreshAuth => {
                let timeout = self.config.request_timeout_ms.max(1);
                let refresh = self.transport.refresh_auth();
                let timer = self.clock.sleep(timeout);
                let cancel = Box::pin(self.cancelled());
                let result = match select(refresh, select(timer, cancel)).await {
                    Either::Left((result, _)) => result,
                    Either::Right((Either::Left(_), _)) => Err(TransportError::Timeout),
                    Either::Right((Either::Right(_), _)) => return Err(Stop::Cancelled),
                };
                result.map_err(|e| {
                    let detail = match e {
                        TransportError::Network(m) | TransportError::Unavailable(m) => m,
                        TransportError::Timeout => "token refresh timed out".into(),
                        TransportError::TooLarge { .. } => "token refresh answer too large".into(),
                    };
                    Stop::Failed(LoadError::new(LoadErrorKind::AuthFailed).with_detail(detail))
                })
            }
            Decision::SwitchMethod => match failure {
                Failure::Rest(err) => Err(Stop::SwitchMethod(err)),
                _ => Err(Stop::Failed(LoadError::new(
                    LoadErrorKind::MethodUnavailable,
                ))),
            },
            Decision::Fail(error) => Err(Stop::Failed(error)),
        }
    }

    /// Switches to `tasks.task.list` after `ERROR_METHOD_NOT_FOUND`, or stops if that is
    /// what failed.
    fn switch_method(&self, err: &RestError) -> Result<(), Stop> {
        let mut st = self.st.borrow_mut();
        if st.load.api != TaskApi::ItemList {
            return Err(Stop::Failed(method_unavailable(err)));
        }
        st.load.api = TaskApi::TaskList;
        let notice = !st.load.fallback_noticed;
        st.load.fallback_noticed = true;
        drop(st);
        if notice {
            self.emit(LoadEvent::Notice(LoadNotice::MethodFallback {
                from: TaskApi::ItemList.method(),
                to: TaskApi::TaskList.method(),
            }));
        }
        Ok(())
    }

    // ---- delivering rows ----

    /// Delivers the rows of an accepted page. Rows without ID after the page's last usable
    /// ID are not counted when `more_follows` (the next request starts above them and will
    /// see them again).
    fn deliver(&self, page: Page, more_follows: bool) {
        let last_valid = page.ids.iter().rposition(Option::is_some);
        let mut tasks = Vec::with_capacity(page.rows.len());
        let mut malformed = 0usize;
        let mut example = None;
        let mut duplicates = 0usize;
        {
            let mut st = self.st.borrow_mut();
            for (i, row) in page.rows.into_iter().enumerate() {
                match row {
                    Ok(task) => {
                        if st.load.seen.insert(task.id) {
                            tasks.push(task);
                        } else {
                            duplicates += 1;
                        }
                    }
                    Err(bad) => {
                        let trailing = last_valid.is_none_or(|l| i > l);
                        if !(trailing && more_follows) {
                            malformed += 1;
                            example.get_or_insert(bad.reason);
                        }
                    }
                }
            }
            st.load.malformed += malformed;
            st.load.duplicates += duplicates;
        }
        if !tasks.is_empty() {
            self.emit(LoadEvent::Rows(tasks));
        }
        if let Some(example) = example {
            self.emit(LoadEvent::Notice(LoadNotice::MalformedRows {
                count: malformed,
                example,
            }));
        }
        if duplicates > 0 {
            self.emit(LoadEvent::Notice(LoadNotice::DuplicatesDropped {
                count: duplicates,
            }));
        }
    }

    fn progress(&self) {
        let event = {
            let st = self.st.borrow();
            let loaded = st.load.seen.len();
            let total = match &st.load.stage {
                Stage::Done => Some(loaded),
                Stage::Ranges(ranges) => ranges
                    .iter()
                    .map(|r| r.estimate)
                    .sum::<Option<usize>>()
                    .map(|rest| loaded + rest)
                    .or(st.load.total.map(|t| t.max(loaded))),
                Stage::Start => st.load.total,
            };
            LoadEvent::Progress {
                loaded,
                total,
                requests: st.load.requests,
            }
        };
        self.emit(event);
    }

    // ---- the portal's counts ----

    /// True when a range whose last page was full may end because the portal's count says
    /// nothing is left below it: no other range is pending and the tasks loaded agree with
    /// the count request 1 announced. A portal that counts wrong (or tasks added or deleted
    /// while loading) fails this, and the range is probed once more instead of being cut.
    fn count_confirms_end(&self, others_pending: bool) -> bool {
        let st = self.st.borrow();
        !others_pending && st.load.total == Some(st.load.seen.len())
    }

    /// False once more tasks were loaded than request 1 announced: that portal's counts
    /// (its `total`s) are too low to size batches or to end a range.
    fn counts_trusted(&self) -> bool {
        let st = self.st.borrow();
        st.load
            .total
            .is_some_and(|total| st.load.seen.len() <= total)
    }

    /// The estimate of a range whose count said "nothing left" but was not confirmed: a
    /// portal whose counts are too low gets a whole batch below the cursor, otherwise one
    /// page is enough to see the end.
    fn probe_estimate(&self) -> Option<usize> {
        self.counts_trusted().then_some(0)
    }

    /// At the end of a load: says so when request 1 announced another number of tasks.
    fn check_announced_total(&self) {
        let notice = {
            let st = self.st.borrow();
            let loaded = st.load.seen.len();
            st.load
                .total
                .filter(|&announced| announced != loaded)
                .map(|announced| LoadNotice::TotalMismatch { announced, loaded })
        };
        if let Some(notice) = notice {
            self.emit(LoadEvent::Notice(notice));
        }
    }

    // ---- request 1 ----

    async fn first_page(&self) -> Result<(), Stop> {
        loop {
            let api = self.st.borrow().load.api;
            let body = encode(&list_params(api, &ListFilter::all(), 1, self.page_size));
            let answer = match self
                .request(api.method(), &body, decode_list_reply, false)
                .await
            {
                Ok(answer) => answer,
                Err(Stop::SwitchMethod(err)) => {
                    self.switch_method(&err)?;
                    continue;
                }
                Err(stop) => return Err(stop),
            };
            // A single call answered: the token works.
            {
                let mut st = self.st.borrow_mut();
                st.retry.answered();
                st.operating_reset_at = answer.operating_reset_at.or(st.operating_reset_at);
            }
            let page = Page::from_rows(&answer.rows, api);
            let check = match check_page(&Window::ALL, &page.ids, self.page_len()) {
                Ok(check) => check,
                Err(fault) => {
                    self.handle_failure(Failure::NoProgress(fault.to_string()))
                        .await?;
                    continue;
                }
            };
            let Some(last) = check.cursor() else {
                if check.full {
                    // 50 rows and not one usable ID: nothing to continue from.
                    self.handle_failure(Failure::NoProgress("a full page without IDs".into()))
                        .await?;
                    continue;
                }
                self.deliver(page, false);
                self.st.borrow_mut().load.stage = Stage::Done;
                self.progress();
                return Ok(());
            };
            let total = answer.total.and_then(|t| usize::try_from(t).ok());
            let mut remaining = total.map(|t| t.saturating_sub(check.rows));
            self.st.borrow_mut().load.total = total;
            self.deliver(page, check.full);
            let mut done = !check.full;
            if check.full && remaining == Some(0) {
                done = self.count_confirms_end(false);
                if !done {
                    remaining = self.probe_estimate();
                }
            }
            {
                let mut st = self.st.borrow_mut();
                st.retry.progress();
                // For either strategy, what is left is "everything below page 1" until the
                // page-number pass has run.
                st.load.stage = if done {
                    Stage::Done
                } else {
                    Stage::Ranges(vec![Range {
                        below: last,
                        above: TaskId(0),
                        estimate: remaining,
                    }])
                };
            }
            self.progress();
            #[cfg(feature = "page-numbers")]
            if let (Strategy::PageNumbers { in_flight }, false) = (&self.config.strategy, done) {
                return self.page_numbers(&check, answer.total, *in_flight).await;
            }
            return Ok(());
        }
    }

    // ---- keyset chains ----

    async fn keyset_batch(&self, ranges: Vec<Range>) -> Result<(), Stop> {
        let (api, cap) = {
            let st = self.st.borrow();
            (st.load.api, st.batch_cap)
        };
        let plan = plan_keyset_batch(api, &ranges, self.page_size, cap);
        let body = encode_batch(true, &plan.commands);
        let batch = match self
            .request("batch", &body, decode_list_batch_reply, true)
            .await
        {
            Ok(batch) => batch,
            Err(Stop::TooHeavy(failure)) => {
                return self.shrink_batches(plan.commands.len(), failure).await
            }
            Err(Stop::SwitchMethod(err)) => return Err(Stop::Failed(method_unavailable(&err))),
            Err(stop) => return Err(stop),
        };
        let mut progressed = false;
        let mut failure: Option<Failure> = None;
        let mut halted = false;
        let mut left: Vec<Range> = Vec::new();
        // Ranges whose last page was full and whose count says nothing is left.
        let mut ended_by_count: Vec<Range> = Vec::new();
        let page_len = self.page_len();
        for segment in &plan.segments {
            // The planner builds one segment per entry of `ranges`, indexed into it.
            debug_assert!(segment.range < ranges.len(), "segment of an unknown range");
            let Some(range) = ranges.get(segment.range) else {
                continue;
            };
            let mut pages: Vec<Page> = Vec::new();
            let mut totals: Vec<Option<u64>> = Vec::new();
            for key in &segment.keys {
                let member = batch.member(key);
                if let Some(err) = member.error {
                    halted = true;
                    failure.get_or_insert(Failure::Rest(err));
                    break;
                }
                let Some(rows) = member.rows else {
                    if !halted {
                        failure.get_or_insert(Failure::Malformed {
                            status: 200,
                            detail: format!("no result for command {key}"),
                        });
                    }
                    break;
                };
                pages.push(Page::from_rows(rows, api));
                totals.push(member.total);
            }
            let id_lists: Vec<&[Option<TaskId>]> = pages.iter().map(|p| p.ids.as_slice()).collect();
            let verdict = check_chain(range.below, range.above, &id_lists, page_len);
            if let Some((i, fault)) = &verdict.fault {
                failure.get_or_insert(Failure::NoProgress(format!(
                    "page {}: {fault}",
                    segment
                        .keys
                        .get(*i)
                        .map_or_else(|| i.to_string(), String::clone)
                )));
            }
            let lens: Vec<usize> = id_lists.iter().map(|ids| ids.len()).collect();
            drop(id_lists);
            let accepted = verdict.accepted;
            let mut delivered = 0usize;
            let mut last_full = false;
            for (i, page) in pages.into_iter().take(accepted).enumerate() {
                let last = i + 1 == accepted;
                last_full = page.rows.len() == page_len;
                delivered += page.rows.len();
                self.deliver(page, last && !verdict.finished);
            }
            if accepted > 0 {
                progressed = true;
            }
            if verdict.finished {
                continue;
            }
            // Rows still below the cursor: the portal's count for the last accepted page
            // minus that page's rows; if it says nothing is left, the range is done.
            let estimate = if !self.counts_trusted() {
                // The portal announced fewer tasks than were already loaded: its counts
                // cannot size anything, so whole batches are asked until a short page.
                None
            } else if let Some(last) = accepted.checked_sub(1) {
                // `check_chain` accepts at most the pages it was given.
                debug_assert!(accepted <= lens.len() && accepted <= totals.len());
                let rows = lens.get(last).copied().unwrap_or(0);
                totals
                    .get(last)
                    .copied()
                    .flatten()
                    .and_then(|t| usize::try_from(t).ok())
                    .map(|t| t.saturating_sub(rows))
                    .or_else(|| range.estimate.map(|e| e.saturating_sub(delivered)))
            } else {
                range.estimate
            };
            if accepted > 0 && last_full && estimate == Some(0) {
                ended_by_count.push(Range {
                    below: verdict.cursor,
                    above: range.above,
                    estimate,
                });
                continue;
            }
            left.push(Range {
                below: verdict.cursor,
                above: range.above,
                estimate,
            });
        }
        // Ranges that did not fit into this batch stay as they were.
        let planned: HashSet<usize> = plan.segments.iter().map(|s| s.range).collect();
        left.extend(
            ranges
                .iter()
                .enumerate()
                .filter(|(i, _)| !planned.contains(i))
                .map(|(_, r)| r.clone()),
        );
        if !ended_by_count.is_empty() && !self.count_confirms_end(!left.is_empty()) {
            let estimate = self.probe_estimate();
            left.extend(ended_by_count.into_iter().map(|r| Range { estimate, ..r }));
        }
        let token_refused =
            matches!(&failure, Some(Failure::Rest(err)) if classify(err) == ErrorClass::Token);
        {
            let mut st = self.st.borrow_mut();
            if progressed {
                st.retry.progress();
            }
            if !token_refused {
                // Every command was authorised: the token refresh may be used again.
                st.retry.answered();
            }
            st.operating_reset_at = batch.operating_reset_at().or(st.operating_reset_at);
            st.load.stage = if left.is_empty() {
                Stage::Done
            } else {
                Stage::Ranges(left)
            };
        }
        self.progress();
        match failure {
            // Progress was made and the rest is only unusable pages: just continue.
            Some(Failure::NoProgress(_)) if progressed => Ok(()),
            Some(failure) => match self.handle_failure(failure).await {
                Err(Stop::SwitchMethod(err)) => self.switch_method(&err),
                other => other,
            },
            None => Ok(()),
        }
    }
}
