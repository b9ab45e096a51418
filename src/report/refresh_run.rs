//! Runs the incremental refresh of [`crate::report::refresh`] against the portal: every round
//! goes out as `batch` calls of up to 50 `task.item.list` commands through
//! [`request_batch`] (the engine's pacing, timeout, retries and token refresh). The result is
//! all or nothing: a refresh that fails or is cancelled gives no task list, so nothing
//! half-refreshed is shown as refreshed or stored.

use crate::report::load_error::{LoadError, LoadErrorKind};
use crate::report::loader::{request_batch, CancelFlag, LoadConfig};
use crate::report::params::BatchCommand;
use crate::report::planner::MAX_BATCH;
use crate::report::refresh::{newest_changed, Answer, Refresh};
use crate::report::task::{Task, TaskId};
use crate::report::transport::HttpReply;
use crate::report::transport::{Clock, Transport};
use crate::report::wire::{
    decode_list_batch_reply, parse_wire_row, ListBatch, ReplyError, TaskApi,
};

/// Rounds after which a refresh that still has commands without an answer gives up.
const MAX_ROUNDS: u32 = 40;

/// How a refresh ended.
#[derive(Debug)]
pub enum RefreshEnd {
    /// The refreshed list (ID descending), equal to what a full load would give now.
    Done {
        /// The tasks.
        tasks: Vec<Task>,
        /// HTTP requests sent (retries included).
        requests: u32,
    },
    /// The snapshot has nothing to refresh from (no task or no `CHANGED_DATE`): load fully.
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

/// [`decode_list_batch_reply`], with the first failed command's error as the answer's: a
/// batch answers 200 even when its commands fail (`docs/platform/batch.md`), and the engine's
/// retry policy must see an `OPERATION_TIME_LIMIT` (wait), an `expired_token` (refresh) or a
/// hard error (stop) there too; the batch is then sent again whole.
fn decode_refresh_batch(reply: &HttpReply) -> Result<ListBatch, ReplyError> {
    let batch = decode_list_batch_reply(reply)?;
    match batch.first_error() {
        Some(error) => Err(ReplyError::Rest(error)),
        None => Ok(batch),
    }
}

/// Refreshes `snapshot` (a complete earlier load) against the portal; `offset` moves the
/// range boundaries (pass the number of refreshes since the last full load).
pub async fn refresh_snapshot(
    transport: &dyn Transport,
    clock: &dyn Clock,
    config: &LoadConfig,
    cancel: &CancelFlag,
    snapshot: Vec<Task>,
    offset: u64,
) -> RefreshEnd {
    let ids: Vec<TaskId> = snapshot.iter().map(|t| t.id).collect();
    let Some((mut run, mut asks)) = Refresh::start(&ids, newest_changed(&snapshot), offset) else {
        return RefreshEnd::FullLoadNeeded;
    };
    let mut requests = 0;
    let mut rounds = 0;
    while !asks.is_empty() {
        rounds += 1;
        if rounds > MAX_ROUNDS {
            return RefreshEnd::Failed {
                error: LoadError::new(LoadErrorKind::BadAnswer)
                    .with_detail("the incremental refresh did not converge"),
                requests,
            };
        }
        let mut answers = Vec::with_capacity(asks.len());
        let mut answered_all = true;
        for chunk in asks.chunks(MAX_BATCH as usize) {
            let commands: Vec<BatchCommand> = chunk
                .iter()
                .enumerate()
                .map(|(i, ask)| run.command(*ask, format!("r{i}")))
                .collect();
            let (result, sent) = request_batch(
                transport,
                clock,
                config,
                cancel,
                &commands,
                decode_refresh_batch,
            )
            .await;
            requests += sent;
            let batch = match result {
                Ok(batch) => batch,
                Err(None) => return RefreshEnd::Cancelled,
                Err(Some(error)) => return RefreshEnd::Failed { error, requests },
            };
            // Answers are read in order up to the first command without one; the rest of
            // the round is asked again (`Refresh::next`).
            for command in &commands {
                if !answered_all {
                    break;
                }
                let member = batch.member(&command.key);
                match (member.rows, member.total, member.error) {
                    (Some(rows), Some(total), None) => answers.push(Answer {
                        total,
                        rows: rows
                            .iter()
                            .filter_map(|r| parse_wire_row(r, TaskApi::ItemList).ok())
                            .collect(),
                    }),
                    _ => answered_all = false,
                }
            }
        }
        asks = run.next(&asks, answers);
    }
    RefreshEnd::Done {
        tasks: run.merge(snapshot),
        requests,
    }
}

#[cfg(test)]
#[path = "refresh_run_tests.rs"]
mod tests;
