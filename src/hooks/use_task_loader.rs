//! `use_task_loader`: drives the loading engine ([`load_tasks`]) for one source and keeps
//! what the view needs — the shared task table and a [`LoadState`] reducer.
//!
//! On mount, a snapshot stored by an earlier visit (issue 15) is shown at once and brought up
//! to date in the background: by the incremental refresh (`report::refresh_run`) when it can
//! be exact, otherwise by a full load whose rows replace the snapshot only when it is
//! complete. Every complete load or refresh is stored again. Reload is a full load as before.
//! Reading, storing, planning and merging run in the snapshot worker
//! (`crate::snapshot_client`), started only on a reopen (the user's key is in
//! `BX24.userOption`) or to store a complete load; the refresh's requests go through this
//! engine (`report::refresh_run::relay`).
//!
//! Every run has a generation number. Starting afresh while a run is active cancels that run
//! and starts the new one at once (Reload during a load starts over); whatever the old run
//! still reports — rows, progress, its outcome — is dropped, so it can never push rows into
//! the new run's table.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Interval;
use yew::prelude::*;

use crate::hooks::dom;
use crate::report::codec::encode_tasks;
use crate::report::loader::LoadNotice;
use crate::report::loader::{
    load_tasks, CancelFlag, LoadConfig, LoadEvent, LoadOutcome, ResumePoint,
};
use crate::report::names::{resolve_names, TaskRefs};
use crate::report::query::TaskTable;
use crate::report::refresh_run::{relay, RelayEnd, Step};
use crate::report::snapshot::{Stored, USER_OPTION_KEY};
use crate::report::snapshot_msg::{Reply, Request, SaveRequest};
use crate::report::task::Task;
use crate::report::transport::{Clock, Transport};
use crate::snapshot_client::SnapshotWorker;
use crate::state::TableRef;

mod load_state;

pub use load_state::{LoadAction, LoadState, NamesStatus};

/// Waits at least this long get a "retrying in N s" countdown, ticked every second.
const COUNTDOWN_FROM_MS: u32 = 2_000;

/// The loader of one source, as [`use_task_loader`] gives it.
#[derive(Clone)]
pub struct TaskLoader {
    /// The rows (shared; pages are appended in place).
    pub table: Rc<RefCell<TaskTable>>,
    /// Status, notices and table revision.
    pub state: UseReducerHandle<LoadState>,
    /// Loads everything afresh; a running load is cancelled and replaced.
    pub start: Callback<()>,
    /// Continues a cancelled or failed load where it stopped (nothing while one runs).
    pub resume: Callback<()>,
    /// Stops the running load (it can be resumed).
    pub cancel: Callback<()>,
}

impl TaskLoader {
    /// The table at its current revision (for props).
    pub fn table_ref(&self) -> TableRef {
        TableRef::new(Rc::clone(&self.table))
    }
}

/// The current run, kept across renders.
#[derive(Default)]
struct Run {
    generation: u64,
    running: bool,
    cancel: CancelFlag,
    resume: Option<ResumePoint>,
    started_at: f64,
    first_rows_marked: bool,
    /// A footer notice found before the first run (storage unavailable).
    pending_notice: Option<LoadNotice>,
}

/// The stored snapshot of this visit (issue 15).
#[derive(Default)]
struct SnapshotSlot {
    /// The portal (member id, else domain); empty outside a portal (nothing is stored).
    portal: String,
    /// The user's key option text (`BX24.userOption`); empty before the first save.
    option: String,
    /// The snapshot worker, once started.
    worker: Option<Rc<SnapshotWorker>>,
    /// The snapshot shown on opening (for "changed since your last visit" and a retry).
    shown: Option<Rc<Stored>>,
    /// Rows of a full load running behind the shown snapshot.
    background: Option<Vec<Task>>,
}

/// Runs the engine and turns what it says into [`LoadAction`]s.
struct Driver {
    transport: Rc<dyn Transport>,
    clock: Rc<dyn Clock>,
    table: Rc<RefCell<TaskTable>>,
    dispatch: UseReducerDispatcher<LoadState>,
    run: RefCell<Run>,
    snapshot: Rc<RefCell<SnapshotSlot>>,
}

/// The portal (member id, else domain) and the user's key option text (empty when there is
/// none); `None` outside a portal or without the `snapshot` feature (the report then works as
/// before issue 15).
fn portal_and_key() -> Option<(String, String)> {
    if !cfg!(feature = "snapshot") {
        return None;
    }
    let auth = crate::bx24::auth().ok()?;
    let portal = if auth.member_id.is_empty() {
        auth.domain
    } else {
        auth.member_id
    };
    let option = crate::bx24::user_option(USER_OPTION_KEY)
        .ok()
        .flatten()
        .unwrap_or_default();
    (!portal.is_empty()).then_some((portal, option))
}

/// The local `HH:MM` of unix second `secs`.
fn local_hhmm(secs: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(secs as f64 * 1000.0));
    format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
}

fn unix_now_s() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

impl Driver {
    /// On mount: shows the stored snapshot and refreshes it, or loads afresh. Without the
    /// user's key (a first open) the worker is not started: nothing can be stored yet.
    fn open(self: &Rc<Self>) {
        let Some((portal, option)) = portal_and_key() else {
            self.start(true);
            return;
        };
        let reading = !option.is_empty();
        {
            let mut slot = self.snapshot.borrow_mut();
            slot.portal.clone_from(&portal);
            slot.option.clone_from(&option);
        }
        let worker = if reading { self.worker() } else { None };
        let Some(worker) = worker else {
            self.start(true);
            return;
        };
        let this = Rc::clone(self);
        yew::platform::spawn_local(async move {
            let reply = worker.ask(&Request::Open { portal, option }).await;
            if this.run.borrow().generation > 0 {
                return; // Reload was pressed meanwhile.
            }
            match reply {
                Reply::Snapshot {
                    saved_at_s,
                    refreshes,
                    tasks,
                } => this.show_snapshot(Rc::new(Stored {
                    saved_at_s,
                    refreshes,
                    tasks,
                })),
                Reply::Unavailable { .. } => {
                    this.dispatch_later_notice(LoadNotice::SnapshotUnavailable);
                    this.start(true);
                }
                _ => this.start(true),
            }
        });
    }

    /// The snapshot worker, started on first use; `None` when the browser refuses.
    fn worker(&self) -> Option<Rc<SnapshotWorker>> {
        let mut slot = self.snapshot.borrow_mut();
        if slot.worker.is_none() {
            slot.worker = SnapshotWorker::start().map(Rc::new);
        }
        slot.worker.clone()
    }

    /// A footer notice for the next run (the store is opened before the first one).
    fn dispatch_later_notice(&self, notice: LoadNotice) {
        self.run.borrow_mut().pending_notice = Some(notice);
    }

    /// Shows `stored` at once and brings it up to date in the background.
    fn show_snapshot(self: &Rc<Self>, stored: Rc<Stored>) {
        let (generation, cancel) = self.next_run(true);
        {
            let mut table = self.table.borrow_mut();
            table.clear();
            table.push_page(stored.tasks.clone());
        }
        self.snapshot.borrow_mut().shown = Some(Rc::clone(&stored));
        let (loaded, revision) = {
            let t = self.table.borrow();
            (t.len(), t.revision())
        };
        self.dispatch.dispatch(LoadAction::Started {
            generation,
            fresh: true,
            loaded,
            revision,
        });
        self.flush_notice(generation);
        self.dispatch.dispatch(LoadAction::Snapshot {
            generation,
            loaded,
            revision,
            as_of: local_hhmm(stored.saved_at_s),
        });
        dom::perf_mark("task-report:snapshot-rows");
        let Some(worker) = self.worker() else {
            return;
        };
        let this = Rc::clone(self);
        yew::platform::spawn_local(async move {
            let config = LoadConfig::default();
            // The worker plans and merges; this engine sends its batches.
            let refreshed: Rc<RefCell<Option<Vec<Task>>>> = Rc::default();
            let end = relay(
                this.transport.as_ref(),
                this.clock.as_ref(),
                &config,
                &cancel,
                |answer| {
                    let (worker, refreshed) = (Rc::clone(&worker), Rc::clone(&refreshed));
                    let offset = stored.refreshes;
                    async move {
                        let request = match answer {
                            None => Request::Refresh { offset },
                            Some(body) => Request::Answer { body },
                        };
                        match worker.ask(&request).await {
                            Reply::Send(body) => Step::Send(body),
                            Reply::Done(tasks) => {
                                *refreshed.borrow_mut() = Some(tasks);
                                Step::Done
                            }
                            Reply::Stuck => Step::Stuck,
                            _ => Step::FullLoadNeeded,
                        }
                    }
                },
            )
            .await;
            if !this.is_current(generation) {
                return;
            }
            match end {
                RelayEnd::Done { requests } => {
                    this.run.borrow_mut().running = false;
                    let tasks = refreshed.take().unwrap_or_default();
                    this.replace_rows(generation, tasks, requests, stored.refreshes + 1, true);
                    this.resolve_names(generation, &config, &cancel).await;
                }
                RelayEnd::FullLoadNeeded => {
                    this.run.borrow_mut().running = false;
                    this.snapshot.borrow_mut().background = Some(Vec::new());
                    this.start(true);
                }
                RelayEnd::Failed { error, .. } => this.finish_refresh(generation, Some(error)),
                RelayEnd::Cancelled => this.finish_refresh(generation, None),
            }
        });
    }

    /// A refresh that stopped: the snapshot stays; Retry refreshes again.
    fn finish_refresh(&self, generation: u64, error: Option<crate::report::load_error::LoadError>) {
        self.run.borrow_mut().running = false;
        let loaded = self.table.borrow().len();
        self.dispatch.dispatch(LoadAction::Stopped {
            generation,
            loaded,
            error,
        });
    }

    /// Puts the complete `tasks` on screen in place of the snapshot, marks what changed
    /// since it, reports the run done and stores them (`refreshed`: they are the list the
    /// worker refreshed and holds; the tasks gone come with the save's answer).
    fn replace_rows(
        &self,
        generation: u64,
        tasks: Vec<Task>,
        requests: u32,
        refreshes: u64,
        refreshed: bool,
    ) {
        let shown = self.snapshot.borrow_mut().shown.take();
        {
            let mut table = self.table.borrow_mut();
            table.clear();
            table.push_page(tasks);
            // New and changed tasks: a counter that filters them and a mark in their row.
            #[cfg(feature = "snapshot")]
            if let Some(before) = &shown {
                table.mark_since_visit(&before.tasks);
            }
        }
        let (loaded, revision) = {
            let t = self.table.borrow();
            (t.len(), t.revision())
        };
        self.dispatch.dispatch(LoadAction::Rows {
            generation,
            revision,
        });
        let started_at = self.run.borrow().started_at;
        dom::perf_mark("task-report:loaded");
        self.dispatch.dispatch(LoadAction::Done {
            generation,
            loaded,
            requests,
            elapsed_ms: (self.clock.now_ms() - started_at).max(0.0) as u32,
        });
        self.save(generation, refreshes, shown.is_some(), refreshed);
    }

    /// Stores the table as the user's snapshot (after a complete load or refresh; `compare`:
    /// a snapshot was shown, and the answer says which of its tasks are gone). The first save
    /// starts the worker and keeps the key material it makes in `BX24.userOption`.
    fn save(&self, generation: u64, refreshes: u64, compare: bool, refreshed: bool) {
        let (portal, option) = {
            let slot = self.snapshot.borrow();
            (slot.portal.clone(), slot.option.clone())
        };
        if !cfg!(feature = "snapshot") || portal.is_empty() {
            return;
        }
        // The time its rows were read from: the start of the run (the refresh of meta
        // statuses counts from it, `report::refresh::MetaWatch`), shown as "as of".
        let elapsed_s = (self.clock.now_ms() - self.run.borrow().started_at).max(0.0) / 1000.0;
        let request = Request::Save(SaveRequest {
            portal,
            option,
            saved_at_s: unix_now_s() - elapsed_s.ceil() as i64,
            refreshes,
            compare,
            tasks: if refreshed {
                Vec::new()
            } else {
                encode_tasks(self.table.borrow().tasks())
            },
        });
        let worker = self.worker();
        let dispatch = self.dispatch.clone();
        let notice = move |notice| dispatch.dispatch(LoadAction::Notice { generation, notice });
        let snapshot = Rc::clone(&self.snapshot);
        yew::platform::spawn_local(async move {
            let reply = match worker {
                Some(worker) => worker.ask(&request).await,
                None => Reply::None,
            };
            let (option, gone) = match reply {
                Reply::Saved { option, gone } => (option, gone),
                Reply::Unavailable { option, gone } => {
                    notice(LoadNotice::SnapshotUnavailable);
                    (option, gone)
                }
                _ => {
                    notice(LoadNotice::SnapshotUnavailable);
                    (String::new(), Vec::new())
                }
            };
            if !option.is_empty() && crate::bx24::set_user_option(USER_OPTION_KEY, &option).is_ok()
            {
                snapshot.borrow_mut().option = option;
            }
            if compare {
                notice(LoadNotice::SinceLastVisit { gone: gone.into() });
            }
        });
    }

    /// Starts a new generation: cancels a running one; gives its number and cancel flag.
    fn next_run(&self, fresh: bool) -> (u64, CancelFlag) {
        let mut run = self.run.borrow_mut();
        if run.running {
            run.cancel.cancel();
        }
        run.generation += 1;
        run.running = true;
        run.cancel = CancelFlag::new();
        if fresh {
            run.resume = None;
            run.first_rows_marked = false;
            run.started_at = self.clock.now_ms();
        }
        (run.generation, run.cancel.clone())
    }

    /// Dispatches the notice kept for the first run, if any.
    fn flush_notice(&self, generation: u64) {
        let notice = self.run.borrow_mut().pending_notice.take();
        if let Some(notice) = notice {
            self.dispatch
                .dispatch(LoadAction::Notice { generation, notice });
        }
    }

    /// Starts a run: afresh (`fresh`, or when there is nothing to resume) or from the
    /// resume point. A fresh start replaces a running load; a resume waits for none.
    fn start(self: &Rc<Self>, fresh: bool) {
        let retry_refresh = {
            let run = self.run.borrow();
            !fresh && !run.running && run.resume.is_none()
        };
        let shown = self.snapshot.borrow().shown.clone();
        if let (true, true, Some(shown)) = (cfg!(feature = "snapshot"), retry_refresh, shown) {
            self.snapshot.borrow_mut().background = None;
            self.show_snapshot(shown);
            return;
        }
        let fresh = fresh || self.run.borrow().resume.is_none();
        if !fresh && self.run.borrow().running {
            return;
        }
        let (generation, cancel) = self.next_run(fresh);
        let resume = self.run.borrow_mut().resume.take();
        let fresh = resume.is_none();
        let behind = self.snapshot.borrow().background.is_some();
        if fresh && !behind {
            self.table.borrow_mut().clear();
            dom::perf_mark("task-report:load-start");
        }
        self.dispatch.dispatch(LoadAction::Started {
            generation,
            fresh,
            loaded: self.table.borrow().len(),
            revision: self.table.borrow().revision(),
        });
        self.flush_notice(generation);
        let shown_at = self.snapshot.borrow().shown.as_ref().map(|s| s.saved_at_s);
        if let (true, Some(at)) = (behind, shown_at) {
            self.dispatch.dispatch(LoadAction::Snapshot {
                generation,
                loaded: self.table.borrow().len(),
                revision: self.table.borrow().revision(),
                as_of: local_hhmm(at),
            });
        }
        let this = Rc::clone(self);
        yew::platform::spawn_local(async move {
            let config = LoadConfig::default();
            // Ticks the "retrying in N s" text down during a long wait; dropped (stopped) by
            // the next event and when the run ends.
            let mut countdown: Option<Interval> = None;
            let mut on_event = |event: LoadEvent| {
                if !matches!(event, LoadEvent::Notice(_)) {
                    countdown = None;
                }
                if this.is_current(generation) {
                    countdown = this.on_event(generation, event).or(countdown.take());
                }
            };
            let outcome = load_tasks(
                this.transport.as_ref(),
                this.clock.as_ref(),
                &config,
                resume,
                &cancel,
                &mut on_event,
            )
            .await;
            drop(countdown);
            let complete = matches!(outcome, LoadOutcome::Complete { .. });
            this.finish(generation, outcome);
            if complete && this.is_current(generation) {
                this.resolve_names(generation, &config, &cancel).await;
            }
        });
    }

    /// After a complete load: asks the portal for the names of the loaded tasks' people and
    /// projects (one extra request for a typical portal) and hands them to the state. A
    /// failure keeps the rows and is reported as [`NamesStatus::Failed`].
    async fn resolve_names(&self, generation: u64, config: &LoadConfig, cancel: &CancelFlag) {
        let tasks: Vec<TaskRefs> = self
            .table
            .borrow()
            .tasks()
            .iter()
            .map(TaskRefs::of)
            .collect();
        self.dispatch
            .dispatch(LoadAction::NamesStarted { generation });
        let resolution = resolve_names(
            self.transport.as_ref(),
            self.clock.as_ref(),
            config,
            cancel,
            &tasks,
        )
        .await;
        if resolution.cancelled || !self.is_current(generation) {
            return;
        }
        self.dispatch.dispatch(LoadAction::Names {
            generation,
            directory: Rc::new(resolution.directory),
            error: resolution.error,
        });
    }

    fn is_current(&self, generation: u64) -> bool {
        self.run.borrow().generation == generation
    }

    /// Applies one event of the current run; gives the countdown of a long wait.
    fn on_event(&self, generation: u64, event: LoadEvent) -> Option<Interval> {
        if !cfg!(feature = "snapshot") {
        } else if let Some(buffer) = self.snapshot.borrow_mut().background.as_mut() {
            // A full load behind the shown snapshot: rows wait for the end; the status
            // keeps saying "as of".
            match event {
                LoadEvent::Rows(rows) => buffer.extend(rows),
                LoadEvent::Notice(notice) => self
                    .dispatch
                    .dispatch(LoadAction::Notice { generation, notice }),
                LoadEvent::Progress { .. } | LoadEvent::Waiting { .. } => {}
            }
            return None;
        }
        match event {
            LoadEvent::Rows(rows) => {
                self.table.borrow_mut().push_page(rows);
                let revision = self.table.borrow().revision();
                self.dispatch.dispatch(LoadAction::Rows {
                    generation,
                    revision,
                });
                let mut run = self.run.borrow_mut();
                if !run.first_rows_marked {
                    run.first_rows_marked = true;
                    dom::perf_mark("task-report:first-rows");
                }
                None
            }
            LoadEvent::Progress {
                loaded,
                total,
                requests,
            } => {
                self.dispatch.dispatch(LoadAction::Progress {
                    generation,
                    loaded,
                    total,
                    requests,
                });
                None
            }
            LoadEvent::Waiting { reason, ms } => {
                let loaded = self.table.borrow().len();
                let countdown = (ms >= COUNTDOWN_FROM_MS).then(|| {
                    let (dispatch, clock) = (self.dispatch.clone(), Rc::clone(&self.clock));
                    let (reason, deadline) = (reason.clone(), clock.now_ms() + f64::from(ms));
                    Interval::new(1_000, move || {
                        dispatch.dispatch(LoadAction::Waiting {
                            generation,
                            loaded,
                            reason: reason.clone(),
                            ms: (deadline - clock.now_ms()).max(0.0) as u32,
                        });
                    })
                });
                self.dispatch.dispatch(LoadAction::Waiting {
                    generation,
                    loaded,
                    reason,
                    ms,
                });
                countdown
            }
            LoadEvent::Notice(notice) => {
                self.dispatch
                    .dispatch(LoadAction::Notice { generation, notice });
                None
            }
        }
    }

    /// Ends a run: its outcome counts only if no newer run replaced it.
    fn finish(&self, generation: u64, outcome: LoadOutcome) {
        let mut run = self.run.borrow_mut();
        if run.generation != generation {
            return;
        }
        run.running = false;
        let behind = if cfg!(feature = "snapshot") {
            self.snapshot.borrow_mut().background.take()
        } else {
            None
        };
        if let Some(rows) = behind {
            drop(run);
            match outcome {
                LoadOutcome::Complete { requests, .. } => {
                    self.replace_rows(generation, rows, requests, 0, false);
                }
                // The snapshot stays; Retry refreshes it again (see `start`).
                LoadOutcome::Cancelled { .. } => self.finish_refresh(generation, None),
                LoadOutcome::Failed { error, .. } => {
                    self.finish_refresh(generation, Some(error));
                }
            }
            return;
        }
        let loaded = self.table.borrow().len();
        let complete = matches!(outcome, LoadOutcome::Complete { .. });
        let action = match outcome {
            LoadOutcome::Complete { requests, .. } => {
                dom::perf_mark("task-report:loaded");
                LoadAction::Done {
                    generation,
                    loaded,
                    requests,
                    elapsed_ms: (self.clock.now_ms() - run.started_at).max(0.0) as u32,
                }
            }
            LoadOutcome::Cancelled { resume } => {
                run.resume = Some(resume);
                LoadAction::Stopped {
                    generation,
                    loaded,
                    error: None,
                }
            }
            LoadOutcome::Failed { error, resume } => {
                run.resume = Some(resume);
                LoadAction::Stopped {
                    generation,
                    loaded,
                    error: Some(error),
                }
            }
        };
        drop(run);
        self.dispatch.dispatch(action);
        if complete {
            self.save(generation, 0, false, false);
        }
    }

    /// Reload: a full load on screen, as without a snapshot.
    fn reload(self: &Rc<Self>) {
        {
            let mut slot = self.snapshot.borrow_mut();
            slot.shown = None;
            slot.background = None;
        }
        self.start(true);
    }

    fn cancel(&self) {
        self.run.borrow().cancel.cancel();
    }
}

/// Loads the tasks of `transport` once mounted (and cancels on unmount). The transport and
/// clock of the first render are used for the component's lifetime (key the component by
/// its source).
#[hook]
pub fn use_task_loader(transport: Rc<dyn Transport>, clock: Rc<dyn Clock>) -> TaskLoader {
    let state = use_reducer(LoadState::default);
    let driver = {
        let dispatch = state.dispatcher();
        use_memo((), move |_| {
            Rc::new(Driver {
                transport,
                clock,
                table: Rc::new(RefCell::new(TaskTable::new())),
                dispatch,
                run: RefCell::new(Run::default()),
                snapshot: Rc::default(),
            })
        })
    };
    let driver: Rc<Driver> = Rc::clone(&driver);
    {
        let driver = Rc::clone(&driver);
        use_effect_with((), move |_| {
            driver.open();
            move || driver.cancel()
        });
    }
    let callbacks = use_memo((), {
        let driver = Rc::clone(&driver);
        move |_| {
            let (a, b, c) = (Rc::clone(&driver), Rc::clone(&driver), driver);
            (
                Callback::from(move |()| a.reload()),
                Callback::from(move |()| b.start(false)),
                Callback::from(move |()| c.cancel()),
            )
        }
    });
    let (start, resume, cancel) = (*callbacks).clone();
    TaskLoader {
        table: Rc::clone(&driver.table),
        state,
        start,
        resume,
        cancel,
    }
}
