//! `use_task_loader`: drives the loading engine ([`load_tasks`]) for one source and keeps
//! what the view needs — the shared task table and a [`LoadState`] reducer.
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
use crate::report::loader::{
    load_tasks, CancelFlag, LoadConfig, LoadEvent, LoadOutcome, ResumePoint,
};
use crate::report::names::{resolve_names, TaskRefs};
use crate::report::query::TaskTable;
use crate::report::transport::{Clock, Transport};
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
}

/// Runs the engine and turns what it says into [`LoadAction`]s.
struct Driver {
    transport: Rc<dyn Transport>,
    clock: Rc<dyn Clock>,
    table: Rc<RefCell<TaskTable>>,
    dispatch: UseReducerDispatcher<LoadState>,
    run: RefCell<Run>,
}

impl Driver {
    /// Starts a run: afresh (`fresh`, or when there is nothing to resume) or from the
    /// resume point. A fresh start replaces a running load; a resume waits for none.
    fn start(self: &Rc<Self>, fresh: bool) {
        let (generation, resume, cancel) = {
            let mut run = self.run.borrow_mut();
            let fresh = fresh || run.resume.is_none();
            if run.running {
                if !fresh {
                    return;
                }
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
            (run.generation, run.resume.take(), run.cancel.clone())
        };
        let fresh = resume.is_none();
        if fresh {
            self.table.borrow_mut().clear();
            dom::perf_mark("task-report:load-start");
        }
        self.dispatch.dispatch(LoadAction::Started {
            generation,
            fresh,
            loaded: self.table.borrow().len(),
            revision: self.table.borrow().revision(),
        });
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
        let loaded = self.table.borrow().len();
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
            })
        })
    };
    let driver: Rc<Driver> = Rc::clone(&driver);
    {
        let driver = Rc::clone(&driver);
        use_effect_with((), move |_| {
            driver.start(true);
            move || driver.cancel()
        });
    }
    let callbacks = use_memo((), {
        let driver = Rc::clone(&driver);
        move |_| {
            let (a, b, c) = (Rc::clone(&driver), Rc::clone(&driver), driver);
            (
                Callback::from(move |()| a.start(true)),
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
