//! `<App>`: finds out where it runs, builds the task source, drives the loading engine and
//! hands everything to the report view.
//!
//! Sources: inside a Bitrix24 frame, REST over `fetch` with the SDK's token; outside it
//! (preview), the in-page demo portal or a live incoming webhook. All three go through the
//! same engine ([`crate::report::loader`]).

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::{Interval, Timeout};
use yew::prelude::*;

use crate::bx24::{self, Bx24Error};
use crate::components::report_page::ReportPage;
#[cfg(feature = "demo")]
use crate::demo::DemoTransport;
use crate::i18n::Lang;
use crate::net::{BrowserClock, Credentials, FetchTransport};
use crate::preview::{self, DemoSettings, OutsidePortal, PreviewBanner, WebhookUrl};
use crate::report::loader::{
    load_tasks, CancelFlag, LoadConfig, LoadEvent, LoadNotice, LoadOutcome, ResumePoint,
};
use crate::report::query::TaskTable;
use crate::report::transport::{Clock, Transport};
use crate::report::view::{SavedView, USER_OPTION_KEY};
use crate::state::{LoadStatus, Session, SourceKind, TableRef};

/// Where saved views are kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ViewStore {
    /// `BX24.userOption` (per user, in the portal).
    Portal,
    /// `sessionStorage` (preview only).
    Tab,
}

/// Everything a report session needs, built once per source.
struct Setup {
    session: Session,
    transport: Rc<dyn Transport>,
    clock: Rc<dyn Clock>,
    view: SavedView,
}

impl Setup {
    /// A ready session for `source`; what depends on the source (storage of the view, the
    /// preview banner, opening tasks in the portal) is derived from it.
    fn ready(
        lang: Lang,
        source: SourceKind,
        portal_url: Option<String>,
        transport: Rc<dyn Transport>,
        clock: Rc<dyn Clock>,
        view: SavedView,
    ) -> Mode {
        let can_open_in_portal = matches!(source, SourceKind::Portal { .. });
        Mode::Ready(Rc::new(Self {
            session: Session {
                lang,
                source,
                can_open_in_portal,
                portal_url,
            },
            transport,
            clock,
            view,
        }))
    }

    /// Where the saved view is kept.
    fn store(&self) -> ViewStore {
        match self.session.source {
            SourceKind::Portal { .. } => ViewStore::Portal,
            SourceKind::Demo { .. } | SourceKind::Webhook { .. } => ViewStore::Tab,
        }
    }

    /// The connected webhook's host, in webhook mode.
    fn webhook_host(&self) -> Option<&str> {
        match &self.session.source {
            SourceKind::Webhook { domain } => Some(domain),
            _ => None,
        }
    }
}

/// What the app shows.
#[derive(Clone)]
enum Mode {
    Starting,
    Ready(Rc<Setup>),
    Broken(String),
    /// Preview in a build without the demo portal: only a webhook can give data.
    #[cfg_attr(feature = "demo", allow(dead_code))]
    NoDemo(Lang),
}

/// The root component.
#[component]
pub fn App() -> Html {
    let mode = use_state(|| Mode::Starting);
    // Bumped when the preview switches between demo data and a webhook.
    let epoch = use_state(|| 0u32);
    {
        let mode = mode.clone();
        use_effect_with(*epoch, move |_| {
            // Drop the previous source's report at once: nothing of it may mix with the next.
            mode.set(Mode::Starting);
            yew::platform::spawn_local(async move {
                mode.set(detect().await);
            });
        });
    }
    // The preview banner connects a webhook: store it and start again from it.
    let onconnect = {
        let epoch = epoch.clone();
        Callback::from(move |url: WebhookUrl| {
            preview::store_webhook(&url);
            epoch.set(*epoch + 1);
        })
    };
    match &*mode {
        Mode::Starting => html! {
            <main class="report">
                <p class="boot-message" role="status" data-testid="environment">{ "Connecting to Bitrix24…" }</p>
            </main>
        },
        Mode::Broken(reason) => html! {
            <main class="report">
                <div class="error-panel" role="alert" data-testid="environment">
                    <p><strong>{ "Bitrix24 did not start the app." }</strong></p>
                    <p>{ reason.clone() }</p>
                    <button type="button" class="button-primary" onclick={Callback::from(|_| reload_page())}>{ "Reload" }</button>
                </div>
            </main>
        },
        Mode::NoDemo(lang) => html! { <OutsidePortal lang={*lang} {onconnect} /> },
        Mode::Ready(setup) => {
            let onforget = {
                let epoch = epoch.clone();
                Callback::from(move |_| {
                    preview::forget_webhook();
                    epoch.set(*epoch + 1);
                })
            };
            html! {
                <>
                    if setup.store() == ViewStore::Tab {
                        <PreviewBanner lang={setup.session.lang}
                            webhook_host={setup.webhook_host().map(|h| AttrValue::from(h.to_string()))}
                            {onconnect} {onforget} />
                    }
                    <Report key={format!("{:p}", Rc::as_ptr(setup))} setup={ReportSetup(Rc::clone(setup))} />
                </>
            }
        }
    }
}

fn reload_page() {
    if let Some(window) = web_sys::window() {
        window.location().reload().ok();
    }
}

/// Works out the source: the Bitrix24 frame, a stored webhook, or the demo portal.
async fn detect() -> Mode {
    let clock: Rc<dyn Clock> = Rc::new(BrowserClock);
    if let Some(frame) = bx24::frame_name() {
        if !bx24::is_present() {
            return Mode::Broken(
                "The Bitrix24 JS SDK (//api.bitrix24.com/api/v1/) did not load. Check the network and reload the page.".into(),
            );
        }
        if let Err(e) = bx24::init().await {
            return Mode::Broken(match e {
                Bx24Error::Timeout => "The portal did not answer the app's start-up request within 15 seconds. Reload the page.".into(),
                other => other.to_string(),
            });
        }
        let lang = Lang::from_code(&bx24::lang().unwrap_or_default());
        let domain = bx24::domain().unwrap_or_else(|_| frame.domain.clone());
        let view = bx24::user_option(USER_OPTION_KEY)
            .ok()
            .flatten()
            .map(|raw| SavedView::decode(&raw))
            .unwrap_or_default();
        let scheme = if frame.https { "https" } else { "http" };
        let portal_url = Some(format!("{scheme}://{domain}"));
        let transport = Rc::new(FetchTransport::new(frame.rest_base(), Credentials::Bx24));
        let source = SourceKind::Portal { domain };
        return Setup::ready(lang, source, portal_url, transport, clock, view);
    }

    // Preview: not inside Bitrix24.
    let query = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let settings = DemoSettings::from_query(&query);
    let lang = Lang::from_code(&settings.lang.clone().unwrap_or_else(browser_lang));
    let view = tab_view().unwrap_or_default();
    if let Some(webhook) = preview::stored_webhook() {
        let host = webhook.host().to_string();
        let scheme = if webhook.is_https() { "https" } else { "http" };
        let portal_url = Some(format!("{scheme}://{host}"));
        let transport = preview::webhook_transport(&webhook);
        let source = SourceKind::Webhook { domain: host };
        return Setup::ready(lang, source, portal_url, transport, clock, view);
    }
    #[cfg(not(feature = "demo"))]
    {
        let _ = (settings, view);
        Mode::NoDemo(lang)
    }
    #[cfg(feature = "demo")]
    demo_mode(settings, lang, view, clock).await
}

#[cfg(feature = "demo")]
async fn demo_mode(
    settings: DemoSettings,
    lang: Lang,
    view: SavedView,
    clock: Rc<dyn Clock>,
) -> Mode {
    // Let the "connecting" frame paint before the demo portal is generated.
    gloo::timers::future::TimeoutFuture::new(0).await;
    let demo = DemoTransport::new(settings.tasks, 1, settings.latency_ms, Rc::clone(&clock));
    let source = SourceKind::Demo {
        tasks: settings.tasks,
    };
    Setup::ready(lang, source, None, Rc::new(demo), clock, view)
}

fn browser_lang() -> String {
    web_sys::window()
        .and_then(|w| w.navigator().language())
        .unwrap_or_default()
        .chars()
        .take(2)
        .collect()
}

const TAB_VIEW_KEY: &str = "taskReport.view";

fn tab_view() -> Option<SavedView> {
    let storage = web_sys::window()?.session_storage().ok()??;
    Some(SavedView::decode(&storage.get_item(TAB_VIEW_KEY).ok()??))
}

fn save_view(store: ViewStore, view: &SavedView) {
    let encoded = view.encode();
    match store {
        ViewStore::Portal => {
            bx24::set_user_option(USER_OPTION_KEY, &encoded).ok();
        }
        ViewStore::Tab => {
            if let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.session_storage()) {
                storage.set_item(TAB_VIEW_KEY, &encoded).ok();
            }
        }
    }
}

/// Marks a moment for benchmarks (`performance.mark`); errors are ignored.
fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        performance.mark(name).ok();
    }
}

/// The setup as a prop (compared by identity).
#[derive(Clone)]
struct ReportSetup(Rc<Setup>);

impl PartialEq for ReportSetup {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
struct ReportProps {
    setup: ReportSetup,
}

/// Mutable loader state kept across renders.
#[derive(Default)]
struct LoaderSlot {
    resume: Option<ResumePoint>,
    cancel: CancelFlag,
    running: bool,
    started_at: f64,
    first_rows_marked: bool,
}

/// Drives the engine for one source and renders the report view.
#[component]
fn Report(props: &ReportProps) -> Html {
    let setup = Rc::clone(&props.setup.0);
    let table = use_mut_ref(|| Rc::new(RefCell::new(TaskTable::new())));
    let table_rc: Rc<RefCell<TaskTable>> = Rc::clone(&table.borrow());
    let revision = use_state(|| 0u64);
    let status = use_state(|| LoadStatus::Connecting);
    let notices = use_state(Vec::<LoadNotice>::new);
    let slot = use_mut_ref(LoaderSlot::default);
    let session = use_state(|| setup.session.clone());
    let view = use_state(|| setup.view.clone());
    let save_timer = use_mut_ref(|| None::<Timeout>);

    // Starts (resume = false: afresh) or resumes a load.
    let run = {
        let setup = Rc::clone(&setup);
        let table_rc = Rc::clone(&table_rc);
        let revision = revision.clone();
        let status = status.clone();
        let notices = notices.clone();
        let slot = slot.clone();
        Callback::from(move |resume: bool| {
            if slot.borrow().running {
                return;
            }
            let resume_point = {
                let mut s = slot.borrow_mut();
                s.running = true;
                s.cancel = CancelFlag::new();
                if !resume {
                    s.first_rows_marked = false;
                    s.started_at = setup.clock.now_ms();
                }
                if resume {
                    s.resume.take()
                } else {
                    None
                }
            };
            if resume_point.is_none() {
                table_rc.borrow_mut().clear();
                revision.set(table_rc.borrow().revision());
                notices.set(Vec::new());
                mark("task-report:load-start");
            }
            let setup = Rc::clone(&setup);
            let table_rc = Rc::clone(&table_rc);
            let revision = revision.clone();
            let status = status.clone();
            let notices = notices.clone();
            let slot = slot.clone();
            yew::platform::spawn_local(async move {
                let cancel = slot.borrow().cancel.clone();
                let config = LoadConfig::default();
                let mut collected: Vec<LoadNotice> = Vec::new();
                let mut last_total = None;
                status.set(LoadStatus::Loading {
                    loaded: table_rc.borrow().len(),
                    total: None,
                    requests: 0,
                });
                let outcome = {
                    // Ticks the "retrying in N s" text down during a long wait; dropped (stopped)
                    // by the next event and when loading ends.
                    let mut countdown: Option<Interval> = None;
                    let mut on_event = |event: LoadEvent| {
                        if !matches!(event, LoadEvent::Notice(_)) {
                            countdown = None;
                        }
                        match event {
                            LoadEvent::Rows(rows) => {
                                table_rc.borrow_mut().push_page(rows);
                                revision.set(table_rc.borrow().revision());
                                let mut s = slot.borrow_mut();
                                if !s.first_rows_marked {
                                    s.first_rows_marked = true;
                                    mark("task-report:first-rows");
                                }
                            }
                            LoadEvent::Progress {
                                loaded,
                                total,
                                requests,
                            } => {
                                last_total = total;
                                status.set(LoadStatus::Loading {
                                    loaded,
                                    total,
                                    requests,
                                });
                            }
                            LoadEvent::Waiting { reason, ms } => {
                                let loaded = table_rc.borrow().len();
                                let total = last_total;
                                countdown = (ms >= 2_000).then(|| {
                                    let (status, clock) = (status.clone(), Rc::clone(&setup.clock));
                                    let (reason, deadline) =
                                        (reason.clone(), clock.now_ms() + f64::from(ms));
                                    Interval::new(1_000, move || {
                                        let left = (deadline - clock.now_ms()).max(0.0) as u32;
                                        status.set(LoadStatus::Waiting {
                                            loaded,
                                            total,
                                            reason: reason.clone(),
                                            ms: left,
                                        });
                                    })
                                });
                                status.set(LoadStatus::Waiting {
                                    loaded,
                                    total,
                                    reason,
                                    ms,
                                });
                            }
                            LoadEvent::Notice(notice) => {
                                collected.push(notice);
                                notices.set(collected.clone());
                            }
                        }
                    };
                    load_tasks(
                        setup.transport.as_ref(),
                        setup.clock.as_ref(),
                        &config,
                        resume_point,
                        &cancel,
                        &mut on_event,
                    )
                    .await
                };
                let loaded = table_rc.borrow().len();
                let mut s = slot.borrow_mut();
                s.running = false;
                match outcome {
                    LoadOutcome::Complete { requests, .. } => {
                        let elapsed = (setup.clock.now_ms() - s.started_at).max(0.0) as u32;
                        mark("task-report:loaded");
                        status.set(LoadStatus::Done {
                            loaded,
                            requests,
                            elapsed_ms: elapsed,
                        });
                    }
                    LoadOutcome::Cancelled { resume } => {
                        s.resume = Some(resume);
                        status.set(LoadStatus::Cancelled {
                            loaded,
                            total: last_total,
                        });
                    }
                    LoadOutcome::Failed { error, resume } => {
                        s.resume = Some(resume);
                        status.set(LoadStatus::Failed {
                            error,
                            loaded,
                            total: last_total,
                        });
                    }
                }
            });
        })
    };

    {
        let run = run.clone();
        let slot = slot.clone();
        use_effect_with((), move |_| {
            run.emit(false);
            move || slot.borrow().cancel.cancel()
        });
    }

    // Inside Bitrix24: let the portal size the frame to the content (no inner scrollbar).
    // Checked on a short timer: the height also changes inside child components (filters,
    // grouping, the streamed table), not only when this component renders.
    {
        let portal = matches!(setup.store(), ViewStore::Portal);
        use_effect_with(portal, move |portal| {
            let mut fit = FrameFit::default();
            let interval = portal.then(|| {
                Interval::new(300, move || {
                    let Some(window) = web_sys::window() else {
                        return;
                    };
                    let content = window
                        .document()
                        .and_then(|d| d.body())
                        .map(|b| b.scroll_height())
                        .unwrap_or(0);
                    let viewport = window
                        .inner_height()
                        .ok()
                        .and_then(|h| h.as_f64())
                        .unwrap_or(0.0) as i32;
                    let width = window
                        .inner_width()
                        .ok()
                        .and_then(|w| w.as_f64())
                        .unwrap_or(0.0) as u32;
                    match fit.next(content, viewport) {
                        FitStep::Wait => {}
                        FitStep::Fit => {
                            bx24::fit_window().ok();
                        }
                        FitStep::Shrink(height) => {
                            bx24::resize_window(width, height).ok();
                        }
                    }
                })
            });
            move || drop(interval)
        });
    }

    let onview = {
        let view = view.clone();
        let store = setup.store();
        Callback::from(move |next: SavedView| {
            if *view == next {
                return;
            }
            view.set(next.clone());
            // Saved after a pause, so typing in the search box does not flood the portal.
            *save_timer.borrow_mut() = Some(Timeout::new(800, move || save_view(store, &next)));
        })
    };
    let onopen = {
        let session = session.clone();
        Callback::from(move |path: String| {
            let session = session.clone();
            yew::platform::spawn_local(async move {
                if let Err(Bx24Error::Refused(_)) | Err(Bx24Error::SdkMissing) =
                    bx24::open_path(&path).await
                {
                    // The portal cannot open tasks here (e.g. on mobile): fall back to plain links.
                    let mut next = (*session).clone();
                    next.can_open_in_portal = false;
                    session.set(next);
                }
            });
        })
    };
    let onretry = {
        let run = run.clone();
        Callback::from(move |_| run.emit(true))
    };
    let onreload = {
        let run = run.clone();
        let slot = slot.clone();
        Callback::from(move |_| {
            slot.borrow_mut().resume = None;
            run.emit(false)
        })
    };
    let oncancel = {
        let slot = slot.clone();
        Callback::from(move |_| slot.borrow().cancel.cancel())
    };
    let notices: Rc<[LoadNotice]> = notices.iter().cloned().collect();
    html! {
        <ReportPage
            session={(*session).clone()}
            table={TableRef::new(table_rc)}
            status={(*status).clone()}
            {notices}
            view={(*view).clone()}
            {onview} {onopen} {onretry} {oncancel} {onreload} />
    }
}

/// What to ask the portal on a tick of the frame-fitting timer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FitStep {
    /// Nothing changed.
    Wait,
    /// `BX24.fitWindow()`: full width, the content's height.
    Fit,
    /// `BX24.resizeWindow(width, h)`: the content got shorter than the frame.
    Shrink(u32),
}

/// Keeps the portal's frame as tall as the content, both ways. `BX24.fitWindow` alone only
/// grows the frame: it sends the document's scroll height, which is never less than the
/// frame's own height. So a shorter content is sent with `resizeWindow` (exact height; the
/// width in px, unchanged), and the next tick puts `fitWindow`'s full width back.
#[derive(Debug, Default)]
struct FrameFit {
    /// The content height last sent.
    sent: i32,
    /// A `resizeWindow` went out: follow it with `fitWindow` once the frame has that height.
    width_pending: bool,
}

impl FrameFit {
    /// The step for the body's content height and the frame's (viewport) height.
    fn next(&mut self, content: i32, viewport: i32) -> FitStep {
        if content <= 0 {
            return FitStep::Wait;
        }
        if content < viewport - 2 {
            if self.sent == content && self.width_pending {
                // Already asked; the portal has not applied it yet.
                return FitStep::Wait;
            }
            self.sent = content;
            self.width_pending = true;
            return FitStep::Shrink(u32::try_from(content).unwrap_or(0));
        }
        if content != self.sent || self.width_pending {
            self.sent = content;
            self.width_pending = false;
            return FitStep::Fit;
        }
        FitStep::Wait
    }
}

#[cfg(test)]
mod frame_fit_tests {
    use super::{FitStep, FrameFit};

    #[test]
    fn grows_with_fit_window_and_shrinks_with_resize_then_restores_full_width() {
        let mut fit = FrameFit::default();
        // First content taller than the frame: fitWindow.
        assert_eq!(fit.next(1662, 900), FitStep::Fit);
        // The portal applied it: nothing more to do.
        assert_eq!(fit.next(1662, 1662), FitStep::Wait);
        // The content got shorter: the exact height with resizeWindow (fitWindow cannot shrink).
        assert_eq!(fit.next(1597, 1662), FitStep::Shrink(1597));
        // Not applied yet on the next tick: wait, don't resend.
        assert_eq!(fit.next(1597, 1662), FitStep::Wait);
        // Applied: fitWindow once, to give the frame its full width back.
        assert_eq!(fit.next(1597, 1597), FitStep::Fit);
        assert_eq!(fit.next(1597, 1597), FitStep::Wait);
        // Growing again is fitWindow's job.
        assert_eq!(fit.next(1800, 1597), FitStep::Fit);
        // A short first content (below the portal's default frame height) shrinks the frame.
        let mut fresh = FrameFit::default();
        assert_eq!(fresh.next(713, 900), FitStep::Shrink(713));
    }
}
