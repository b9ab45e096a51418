//! [`LoadState`]: how loading goes, as a reducer over the [`LoadAction`]s of the runs of
//! [`super::use_task_loader`]. Actions of a run that was replaced (an older generation) are
//! ignored.

use std::rc::Rc;

use yew::prelude::*;

use crate::report::directory::Directory;
use crate::report::load_error::LoadError;
use crate::report::loader::LoadNotice;
use crate::report::retry::WaitReason;
use crate::state::{LoadStatus, Notices};

/// How loading goes, as the view shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadState {
    /// The load status line.
    pub status: LoadStatus,
    /// Footer notices of the current load (kept across a resume, cleared by a fresh start).
    pub notices: Notices,
    /// The table's revision after the last change.
    pub revision: u64,
    /// The names of the loaded tasks' people and projects (responsible, creator, project),
    /// filled once the load is done (`crate::report::names`); empty before, and whatever
    /// was found when the resolution failed. An ID without a name shows its fallback.
    pub directory: Rc<Directory>,
    /// How the name resolution of this load went (a footer notice when it failed).
    pub names: NamesStatus,
    /// The tasks the portal announced, once known.
    total: Option<usize>,
    /// The run whose actions count; actions of other runs are ignored.
    generation: u64,
}

impl Default for LoadState {
    fn default() -> Self {
        Self {
            status: LoadStatus::Connecting,
            notices: Rc::from(Vec::new()),
            revision: 0,
            directory: Rc::new(Directory::new()),
            names: NamesStatus::Pending,
            total: None,
            generation: 0,
        }
    }
}

/// Where the name resolution of a load stands.
#[derive(Clone, Debug, PartialEq)]
pub enum NamesStatus {
    /// Not started: the load is not done yet.
    Pending,
    /// The names are being asked for.
    Resolving,
    /// Every name request was answered (IDs the portal did not name keep their fallback).
    Resolved,
    /// Names could not be loaded (the rows are complete; the footer says so).
    Failed(LoadError),
}

/// What a run reports to [`LoadState`]; each action names the run (`generation`) it is from.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadAction {
    /// A run started (`fresh`: from nothing, the table emptied).
    Started {
        /// The run.
        generation: u64,
        /// True for a fresh start, false for a resume.
        fresh: bool,
        /// Tasks in the table.
        loaded: usize,
        /// The table's revision.
        revision: u64,
    },
    /// Rows were added to the table.
    Rows {
        /// The run.
        generation: u64,
        /// The table's revision.
        revision: u64,
    },
    /// The engine's progress after a request.
    Progress {
        /// The run.
        generation: u64,
        /// Tasks delivered.
        loaded: usize,
        /// Tasks expected.
        total: Option<usize>,
        /// Requests sent.
        requests: u32,
    },
    /// The engine waits (`ms` left).
    Waiting {
        /// The run.
        generation: u64,
        /// Tasks in the table.
        loaded: usize,
        /// Why.
        reason: WaitReason,
        /// How long is left, in ms.
        ms: u32,
    },
    /// A footer notice.
    Notice {
        /// The run.
        generation: u64,
        /// What to say.
        notice: LoadNotice,
    },
    /// Every task is loaded.
    Done {
        /// The run.
        generation: u64,
        /// Tasks loaded.
        loaded: usize,
        /// Requests it took.
        requests: u32,
        /// Wall time since the fresh start, in ms.
        elapsed_ms: u32,
    },
    /// The name resolution after a complete load started.
    NamesStarted {
        /// The run.
        generation: u64,
    },
    /// The name resolution ended: the names found and why it failed, if it did.
    Names {
        /// The run.
        generation: u64,
        /// The names found.
        directory: Rc<Directory>,
        /// Why names are missing, if a request failed.
        error: Option<LoadError>,
    },
    /// The stored snapshot is on screen (`loaded` tasks, taken at `as_of`) and being
    /// brought up to date.
    Snapshot {
        /// The run.
        generation: u64,
        /// Tasks shown.
        loaded: usize,
        /// The table's revision.
        revision: u64,
        /// When it was taken, local `HH:MM`.
        as_of: String,
    },
    /// The run stopped: cancelled (`error` is `None`) or failed; it can be resumed.
    Stopped {
        /// The run.
        generation: u64,
        /// Tasks in the table.
        loaded: usize,
        /// Why it failed, if it did.
        error: Option<LoadError>,
    },
}

impl LoadAction {
    fn generation(&self) -> u64 {
        match self {
            Self::Started { generation, .. }
            | Self::Rows { generation, .. }
            | Self::Progress { generation, .. }
            | Self::Waiting { generation, .. }
            | Self::Notice { generation, .. }
            | Self::Done { generation, .. }
            | Self::NamesStarted { generation }
            | Self::Snapshot { generation, .. }
            | Self::Names { generation, .. }
            | Self::Stopped { generation, .. } => *generation,
        }
    }
}

impl Reducible for LoadState {
    type Action = LoadAction;

    fn reduce(self: Rc<Self>, action: LoadAction) -> Rc<Self> {
        if let LoadAction::Started {
            generation,
            fresh,
            loaded,
            revision,
        } = action
        {
            let (notices, total, directory) = if fresh {
                (Rc::from(Vec::new()), None, Rc::new(Directory::new()))
            } else {
                (
                    Rc::clone(&self.notices),
                    self.total,
                    Rc::clone(&self.directory),
                )
            };
            return Rc::new(Self {
                status: LoadStatus::Loading {
                    loaded,
                    total,
                    requests: 0,
                },
                notices,
                revision,
                directory,
                names: NamesStatus::Pending,
                total,
                generation,
            });
        }
        if action.generation() != self.generation {
            // A run that was replaced: nothing it says counts any more.
            return self;
        }
        let mut next = (*self).clone();
        match action {
            LoadAction::Started { .. } => {}
            LoadAction::Rows { revision, .. } => next.revision = revision,
            LoadAction::Progress {
                loaded,
                total,
                requests,
                ..
            } => {
                next.total = total;
                next.status = LoadStatus::Loading {
                    loaded,
                    total,
                    requests,
                };
            }
            LoadAction::Waiting {
                loaded, reason, ms, ..
            } => {
                next.status = LoadStatus::Waiting {
                    loaded,
                    total: next.total,
                    reason,
                    ms,
                };
            }
            LoadAction::Notice { notice, .. } => {
                next.notices = self.notices.iter().cloned().chain([notice]).collect();
            }
            LoadAction::Done {
                loaded,
                requests,
                elapsed_ms,
                ..
            } => {
                next.status = LoadStatus::Done {
                    loaded,
                    requests,
                    elapsed_ms,
                };
            }
            LoadAction::Snapshot {
                loaded,
                revision,
                as_of,
                ..
            } => {
                next.revision = revision;
                next.status = LoadStatus::Refreshing { loaded, as_of };
            }
            LoadAction::NamesStarted { .. } => next.names = NamesStatus::Resolving,
            LoadAction::Names {
                directory, error, ..
            } => {
                next.directory = directory;
                next.names = error.map_or(NamesStatus::Resolved, NamesStatus::Failed);
            }
            LoadAction::Stopped { loaded, error, .. } => {
                let total = next.total;
                next.status = match error {
                    None => LoadStatus::Cancelled { loaded, total },
                    Some(error) => LoadStatus::Failed {
                        error,
                        loaded,
                        total,
                    },
                };
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::load_error::LoadErrorKind;

    fn reduce(
        state: Rc<LoadState>,
        actions: impl IntoIterator<Item = LoadAction>,
    ) -> Rc<LoadState> {
        actions.into_iter().fold(state, |s, a| s.reduce(a))
    }

    fn started(generation: u64, fresh: bool) -> LoadAction {
        LoadAction::Started {
            generation,
            fresh,
            loaded: 0,
            revision: 0,
        }
    }

    fn progress(generation: u64, loaded: usize) -> LoadAction {
        LoadAction::Progress {
            generation,
            loaded,
            total: Some(10_000),
            requests: 1,
        }
    }

    #[test]
    fn a_shown_snapshot_says_as_of_until_the_refresh_is_done() {
        let snapshot = LoadAction::Snapshot {
            generation: 1,
            loaded: 120,
            revision: 4,
            as_of: "10:42".into(),
        };
        let s = reduce(Rc::new(LoadState::default()), [started(1, true), snapshot]);
        assert_eq!(
            s.status,
            LoadStatus::Refreshing {
                loaded: 120,
                as_of: "10:42".into()
            }
        );
        assert_eq!(s.revision, 4);
        let done = reduce(
            s,
            [LoadAction::Done {
                generation: 1,
                loaded: 118,
                requests: 2,
                elapsed_ms: 300,
            }],
        );
        assert!(matches!(done.status, LoadStatus::Done { loaded: 118, .. }));
    }

    #[test]
    fn a_replaced_run_is_ignored_to_the_end() {
        let s = reduce(
            Rc::new(LoadState::default()),
            [started(1, true), progress(1, 500), started(2, true)],
        );
        assert_eq!(
            s.status,
            LoadStatus::Loading {
                loaded: 0,
                total: None,
                requests: 0
            }
        );
        // The old run's late progress, rows, notice and outcome change nothing.
        let late = reduce(
            Rc::clone(&s),
            [
                progress(1, 1_000),
                LoadAction::Rows {
                    generation: 1,
                    revision: 7,
                },
                LoadAction::Notice {
                    generation: 1,
                    notice: LoadNotice::DuplicatesDropped { count: 3 },
                },
                LoadAction::Stopped {
                    generation: 1,
                    loaded: 1_000,
                    error: None,
                },
            ],
        );
        assert!(Rc::ptr_eq(&s, &late), "a stale action must not re-render");
        // The new run's own actions count.
        let done = reduce(
            late,
            [
                progress(2, 10_000),
                LoadAction::Done {
                    generation: 2,
                    loaded: 10_000,
                    requests: 4,
                    elapsed_ms: 900,
                },
            ],
        );
        assert_eq!(
            done.status,
            LoadStatus::Done {
                loaded: 10_000,
                requests: 4,
                elapsed_ms: 900
            }
        );
    }

    #[test]
    fn waits_and_stops_carry_the_announced_total_and_notices_survive_a_resume() {
        let s = reduce(
            Rc::new(LoadState::default()),
            [
                started(1, true),
                progress(1, 500),
                LoadAction::Notice {
                    generation: 1,
                    notice: LoadNotice::BatchReduced { commands: 10 },
                },
                LoadAction::Waiting {
                    generation: 1,
                    loaded: 500,
                    reason: WaitReason::Pacing,
                    ms: 4_000,
                },
            ],
        );
        assert_eq!(
            s.status,
            LoadStatus::Waiting {
                loaded: 500,
                total: Some(10_000),
                reason: WaitReason::Pacing,
                ms: 4_000
            }
        );
        let failed = reduce(
            s,
            [LoadAction::Stopped {
                generation: 1,
                loaded: 500,
                error: Some(LoadError::new(LoadErrorKind::Network)),
            }],
        );
        assert!(matches!(
            failed.status,
            LoadStatus::Failed {
                loaded: 500,
                total: Some(10_000),
                ..
            }
        ));
        // Retry (resume) keeps the notices and the total; Reload (fresh) clears them.
        let resumed = reduce(
            Rc::clone(&failed),
            [LoadAction::Started {
                generation: 2,
                fresh: false,
                loaded: 500,
                revision: 3,
            }],
        );
        assert_eq!(resumed.notices.len(), 1);
        assert_eq!(
            resumed.status,
            LoadStatus::Loading {
                loaded: 500,
                total: Some(10_000),
                requests: 0
            }
        );
        let fresh = reduce(failed, [started(3, true)]);
        assert!(fresh.notices.is_empty());
    }

    #[test]
    fn names_arrive_after_the_load_and_a_failure_keeps_what_was_found() {
        use crate::report::task::UserId;
        let mut dir = Directory::new();
        dir.insert_person(UserId(7), "Анна Петрова");
        let dir = Rc::new(dir);
        let s = reduce(
            Rc::new(LoadState::default()),
            [started(1, true), LoadAction::NamesStarted { generation: 1 }],
        );
        assert_eq!(s.names, NamesStatus::Resolving);
        let ok = reduce(
            Rc::clone(&s),
            [LoadAction::Names {
                generation: 1,
                directory: Rc::clone(&dir),
                error: None,
            }],
        );
        assert_eq!(ok.names, NamesStatus::Resolved);
        assert_eq!(ok.directory.person(UserId(7)), Some("Анна Петрова"));
        let error = LoadError::new(LoadErrorKind::Network);
        let failed = reduce(
            s,
            [LoadAction::Names {
                generation: 1,
                directory: Rc::clone(&dir),
                error: Some(error.clone()),
            }],
        );
        assert_eq!(failed.names, NamesStatus::Failed(error));
        assert_eq!(failed.directory.people_len(), 1);
        // A late answer of a replaced run changes nothing; a fresh start forgets the names.
        let fresh = reduce(ok, [started(2, true)]);
        assert_eq!(fresh.directory.people_len(), 0);
        assert_eq!(fresh.names, NamesStatus::Pending);
        let late = reduce(
            fresh,
            [LoadAction::Names {
                generation: 1,
                directory: dir,
                error: None,
            }],
        );
        assert_eq!(late.names, NamesStatus::Pending);
    }
}
