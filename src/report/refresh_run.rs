//! Runs the incremental refresh of [`crate::report::refresh`] against the portal, in two
//! halves that the app keeps on two threads (issue 15):
//!
//! - [`RefreshRun`] plans and merges: it gives the body of each `batch` to send (up to 50
//!   `task.item.list` commands), reads what it answered and, at the end, merges the answers
//!   into the snapshot. In the app it runs in the snapshot worker (`snapshot/`), which holds
//!   the snapshot, so the planner's code is not in the first load.
//! - [`relay`] sends each batch through the engine's [`request_once`] (pacing, timeout,
//!   retries, token refresh) on the page's thread and hands the answer back, as the body of
//!   a `batch` reply ([`BatchAnswer::reply_body`]).
//!
//! The result is all or nothing: a refresh that fails or is cancelled gives no task list, so
//! nothing half-refreshed is shown as refreshed or stored. [`refresh_snapshot`] joins both
//! halves in one place (the native tests run the same steps the app's two threads run).

use std::future::Future;

use crate::report::load_error::{LoadError, LoadErrorKind};
use crate::report::loader::{request_once, CancelFlag, LoadConfig};
use crate::report::params::{encode_batch, BatchCommand};
use crate::report::planner::MAX_BATCH;
use crate::report::refresh::{newest_changed, Answer, Ask, MetaWatch, Refresh};
use crate::report::task::{Task, TaskId};
use crate::report::transport::HttpReply;
use crate::report::transport::{Clock, Transport};
use crate::report::wire::{
    decode_batch_reply, decode_list_batch_reply, parse_wire_row, BatchAnswer, ReplyError, TaskApi,
};

/// Rounds after which a refresh that still has commands without an answer gives up.
const MAX_ROUNDS: u32 = 40;

const BATCH: usize = MAX_BATCH as usize;

/// What the planning half asks of the relay next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Send this `batch` body and hand back the answer.
    Send(String),
    /// The refresh is complete (the planner holds the refreshed list).
    Done,
    /// The snapshot has nothing to refresh from (no task or no `CHANGED_DATE`): load fully.
    FullLoadNeeded,
    /// Commands kept going unanswered for [`MAX_ROUNDS`] rounds.
    Stuck,
}

/// How a refresh ended, as the relay sees it.
#[derive(Debug)]
pub enum RelayEnd {
    /// Complete; the planner holds the refreshed list.
    Done {
        /// HTTP requests sent (retries included).
        requests: u32,
    },
    /// Load fully instead.
    FullLoadNeeded,
    /// The refresh stopped on an error (the snapshot stays as it was).
    Failed {
        /// Why.
        error: LoadError,
        /// HTTP requests sent.
        requests: u32,
    },
    /// Cancelled.
    Cancelled,
}

/// How a refresh ended ([`refresh_snapshot`]).
#[derive(Debug)]
pub enum RefreshEnd {
    /// The refreshed list (ID descending), equal to what a full load would give now.
    Done {
        /// The tasks.
        tasks: Vec<Task>,
        /// HTTP requests sent (retries included).
        requests: u32,
    },
    /// Without a list: load fully, failed or cancelled (never [`RelayEnd::Done`]).
    Stopped(RelayEnd),
}

/// [`decode_batch_reply`], with the first failed command's error as the answer's: a batch
/// answers 200 even when its commands fail (`docs/platform/batch.md`), and the engine's retry
/// policy must see an `OPERATION_TIME_LIMIT` (wait), an `expired_token` (refresh) or a hard
/// error (stop) there too; the batch is then sent again whole. (The name resolution decodes
/// its batches into the same type: one copy of the engine's request loop serves both.)
fn decode_refresh_batch(reply: &HttpReply) -> Result<BatchAnswer, ReplyError> {
    let batch = decode_batch_reply(reply)?;
    match batch.first_error() {
        Some(error) => Err(ReplyError::Rest(error)),
        None => Ok(batch),
    }
}

/// Sends the batches `step` asks for until it is done; `step` gets `None` first, then the
/// answer to the batch it asked for (as a `batch` reply body).
pub async fn relay<F: Future<Output = Step>>(
    transport: &dyn Transport,
    clock: &dyn Clock,
    config: &LoadConfig,
    cancel: &CancelFlag,
    mut step: impl FnMut(Option<String>) -> F,
) -> RelayEnd {
    let mut requests = 0;
    let mut answer = None;
    loop {
        let body = match step(answer.take()).await {
            Step::Send(body) => body,
            Step::Done => return RelayEnd::Done { requests },
            Step::FullLoadNeeded => return RelayEnd::FullLoadNeeded,
            Step::Stuck => {
                return RelayEnd::Failed {
                    error: LoadError::new(LoadErrorKind::BadAnswer)
                        .with_detail("the incremental refresh did not converge"),
                    requests,
                }
            }
        };
        let (result, sent) = request_once(
            transport,
            clock,
            config,
            cancel,
            "batch",
            &body,
            decode_refresh_batch,
        )
        .await;
        requests += sent;
        match result {
            Ok(batch) => answer = Some(batch.reply_body()),
            Err(None) => return RelayEnd::Cancelled,
            Err(Some(error)) => return RelayEnd::Failed { error, requests },
        }
    }
}

/// The planning half of a refresh: the snapshot, the [`Refresh`] and where the current round
/// is (which of its batches was sent, the answers read so far).
#[derive(Debug)]
pub struct RefreshRun {
    run: Refresh,
    snapshot: Vec<Task>,
    asks: Vec<Ask>,
    /// The batch of the round sent last (0-based).
    chunk: usize,
    answers: Vec<Answer>,
    /// No command of the round went unanswered so far: answers are read in order up to the
    /// first command without one; the rest of the round is asked again (`Refresh::next`).
    answered_all: bool,
    rounds: u32,
}

impl RefreshRun {
    /// Starts refreshing `snapshot` (a complete earlier load whose rows were read from unix
    /// second `as_of_s` on); `offset` moves the range boundaries (pass the number of
    /// refreshes since the last full load). `None` when the snapshot has nothing to refresh
    /// from (load fully).
    pub fn start(snapshot: Vec<Task>, offset: u64, as_of_s: i64) -> Option<Self> {
        let ids: Vec<TaskId> = snapshot.iter().map(|t| t.id).collect();
        let meta = MetaWatch::of(&snapshot, as_of_s);
        let (run, asks) = Refresh::start(&ids, newest_changed(&snapshot), offset, Some(meta))?;
        Some(Self {
            run,
            snapshot,
            asks,
            chunk: 0,
            answers: Vec::new(),
            answered_all: true,
            rounds: 1,
        })
    }

    /// The commands of batch `chunk` of the round (keys `r0`, `r1`, …).
    fn commands(&self) -> Vec<BatchCommand> {
        let from = (self.chunk * BATCH).min(self.asks.len());
        let to = (from + BATCH).min(self.asks.len());
        self.asks
            .get(from..to)
            .unwrap_or(&[])
            .iter()
            .enumerate()
            .map(|(i, ask)| self.run.command(*ask, format!("r{i}")))
            .collect()
    }

    /// What to do next: send a batch, or the end.
    pub fn step(&mut self) -> Step {
        if self.chunk * BATCH >= self.asks.len() {
            // Every batch of the round was answered: the next round.
            let answers = std::mem::take(&mut self.answers);
            self.asks = self.run.next(&self.asks, answers);
            self.chunk = 0;
            self.answered_all = true;
            if self.asks.is_empty() {
                return Step::Done;
            }
            self.rounds += 1;
        }
        if self.rounds > MAX_ROUNDS {
            return Step::Stuck;
        }
        Step::Send(encode_batch(false, &self.commands()))
    }

    /// Reads the answer to the batch [`RefreshRun::step`] gave last (a `batch` reply body).
    pub fn answer(&mut self, body: &str) {
        let reply = HttpReply {
            status: 200,
            body: body.to_string(),
        };
        let batch = decode_list_batch_reply(&reply).ok();
        for command in self.commands() {
            if !self.answered_all {
                break;
            }
            let member = batch.as_ref().map(|b| b.member(&command.key));
            match member.map(|m| (m.rows, m.total, m.error)) {
                Some((Some(rows), Some(total), None)) => self.answers.push(Answer {
                    total,
                    rows: rows
                        .iter()
                        .filter_map(|r| parse_wire_row(r, TaskApi::ItemList).ok())
                        .collect(),
                }),
                _ => self.answered_all = false,
            }
        }
        self.chunk += 1;
    }

    /// The refreshed list (ID descending), once [`RefreshRun::step`] said [`Step::Done`].
    pub fn finish(self) -> Vec<Task> {
        self.run.merge(self.snapshot)
    }
}

/// Refreshes `snapshot` (a complete earlier load, read from unix second `as_of_s` on)
/// against the portal; `offset` moves the range boundaries (pass the number of refreshes
/// since the last full load). Both halves in one place: the app runs [`relay`] on the page
/// and [`RefreshRun`] in its worker.
pub async fn refresh_snapshot(
    transport: &dyn Transport,
    clock: &dyn Clock,
    config: &LoadConfig,
    cancel: &CancelFlag,
    snapshot: Vec<Task>,
    offset: u64,
    as_of_s: i64,
) -> RefreshEnd {
    let Some(run) = RefreshRun::start(snapshot, offset, as_of_s) else {
        return RefreshEnd::Stopped(RelayEnd::FullLoadNeeded);
    };
    let run = std::cell::RefCell::new(run);
    let end = relay(transport, clock, config, cancel, |answer| {
        let mut run = run.borrow_mut();
        if let Some(body) = answer {
            run.answer(&body);
        }
        std::future::ready(run.step())
    })
    .await;
    match end {
        RelayEnd::Done { requests } => RefreshEnd::Done {
            tasks: run.into_inner().finish(),
            requests,
        },
        stopped => RefreshEnd::Stopped(stopped),
    }
}

#[cfg(test)]
#[path = "refresh_run_tests.rs"]
mod tests;
