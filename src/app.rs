//! `<App>`: finds out where it runs, builds the task source, drives the loading engine and
//! hands everything to the report view.
//!
//! Sources: inside a Bitrix24 frame, REST over `fetch` with the SDK's token; outside it
//! (preview), the in-page demo portal or a live incoming webhook. All three go through the
//! same engine ([`crate::report::loader`]).

use std::rc::Rc;

use yew::prelude::*;

use crate::bx24::{self, Bx24Error};
use crate::components::report_page::ReportPage;
#[cfg(feature = "demo")]
use crate::demo::DemoTransport;
use crate::hooks::use_frame_fit::use_frame_fit;
use crate::hooks::use_saved_view::{tab_view, use_saved_view, ViewStore};
use crate::hooks::use_task_loader::use_task_loader;
use crate::hooks::use_value::{use_value, ValueHandle};
use crate::i18n::{self, Lang, Msg};
use crate::net::{BrowserClock, Credentials, FetchTransport};
use crate::preview::{self, DemoSettings, OutsidePortal, PreviewBanner, WebhookUrl};
use crate::report::transport::{Clock, Transport};
use crate::report::view::{SavedView, USER_OPTION_KEY};
use crate::state::{Session, SourceKind};

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
    /// The portal did not start the app: what to tell the user, and technical details.
    Broken {
        lang: Lang,
        reason: Msg,
        details: Option<String>,
    },
    /// Preview in a build without the demo portal: only a webhook can give data.
    #[cfg_attr(feature = "demo", allow(dead_code))]
    NoDemo(Lang),
}

/// The root component.
#[component]
pub fn App() -> Html {
    // A ref and a redraw, not `use_state`: no state type of its own (Yew's reducer code is
    // compiled once per state type).
    let mode = use_mut_ref(|| Mode::Starting);
    let redraw = use_force_update();
    // Bumped when the preview switches between demo data and a webhook.
    let epoch = use_value(|| 0u32);
    {
        let mode = mode.clone();
        use_effect_with(epoch.get(), move |_| {
            // Drop the previous source's report at once: nothing of it may mix with the next.
            *mode.borrow_mut() = Mode::Starting;
            redraw.force_update();
            yew::platform::spawn_local(async move {
                let detected = detect().await;
                *mode.borrow_mut() = detected;
                redraw.force_update();
            });
        });
    }
    // The preview banner connects a webhook: store it and start again from it.
    let onconnect = {
        let epoch = epoch.clone();
        Callback::from(move |url: WebhookUrl| {
            preview::store_webhook(&url);
            epoch.set(epoch.get() + 1);
        })
    };
    let mode = mode.borrow();
    match &*mode {
        Mode::Starting => html! {
            <main class="report">
                <p class="boot-message" role="status" data-testid="environment">{ i18n::t(boot_lang(), Msg::BootConnecting) }</p>
            </main>
        },
        Mode::Broken {
            lang,
            reason,
            details,
        } => html! {
            <main class="report">
                <div class="error-panel" role="alert" data-testid="environment">
                    <p><strong>{ i18n::t(*lang, Msg::BootFailed) }</strong></p>
                    <p>{ i18n::t(*lang, *reason) }</p>
                    if let Some(details) = details {
                        <pre class="error-details">{ details.clone() }</pre>
                    }
                    <button type="button" class="button-primary" onclick={Callback::from(|_| reload_page())}>{ i18n::t(*lang, Msg::Reload) }</button>
                </div>
            </main>
        },
        Mode::NoDemo(lang) => html! { <OutsidePortal lang={*lang} {onconnect} /> },
        Mode::Ready(setup) => {
            let onforget = {
                let epoch = epoch.clone();
                Callback::from(move |_| {
                    preview::forget_webhook();
                    epoch.set(epoch.get() + 1);
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
            return Mode::Broken {
                lang: boot_lang(),
                reason: Msg::BootSdkMissing,
                details: None,
            };
        }
        if let Err(e) = bx24::init().await {
            let (reason, details) = match e {
                Bx24Error::Timeout => (Msg::BootTimeout, None),
                Bx24Error::SdkMissing => (Msg::BootSdkMissing, None),
                other => (Msg::BootSdkError, Some(other.to_string())),
            };
            return Mode::Broken {
                lang: boot_lang(),
                reason,
                details,
            };
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

/// The user's language before the portal has said it (`BX24.getLang()` needs the init data):
/// the `LANG` the portal puts in the frame's URL (`docs/platform/frame-protocol.md`, "How the
/// portal builds the frame"), else the browser's.
pub fn boot_lang() -> Lang {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let from_frame = web_sys::UrlSearchParams::new_with_str(&search)
        .ok()
        .and_then(|p| p.get("LANG"))
        .filter(|l| !l.trim().is_empty());
    Lang::from_code(&from_frame.unwrap_or_else(browser_lang))
}

fn browser_lang() -> String {
    web_sys::window()
        .and_then(|w| w.navigator().language())
        .unwrap_or_default()
        .chars()
        .take(2)
        .collect()
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

/// The report of one source: the loader, the saved view and the frame fitting, composed
/// into the report view.
#[component]
fn Report(props: &ReportProps) -> Html {
    let setup = &props.setup.0;
    let loader = use_task_loader(Rc::clone(&setup.transport), Rc::clone(&setup.clock));
    let saved = use_saved_view(&setup.view, setup.store());
    use_frame_fit(setup.store() == ViewStore::Portal);
    // Whether tasks open in the portal's slider: the one part of the session that changes.
    let can_open = use_value(|| setup.session.can_open_in_portal);
    let onopen = {
        let can_open = can_open.clone();
        Callback::from(move |path: String| open_task(can_open.clone(), path))
    };
    let session = Session {
        can_open_in_portal: can_open.get(),
        ..setup.session.clone()
    };
    let load = &*loader.state;
    html! {
        <ReportPage
            {session}
            table={loader.table_ref()}
            status={load.status.clone()}
            notices={load.notices.clone()}
            directory={load.directory.clone()} names={load.names.clone()}
            view={saved.view} onedit={saved.edit} view_unsaved={saved.unsaved}
            {onopen} onretry={loader.resume} oncancel={loader.cancel} onreload={loader.start} />
    }
}

/// Opens a task's page in the portal slider; where the portal cannot (e.g. on mobile), the
/// session falls back to plain links.
fn open_task(can_open: ValueHandle<bool>, path: String) {
    yew::platform::spawn_local(async move {
        if let Err(Bx24Error::Refused(_)) | Err(Bx24Error::SdkMissing) =
            bx24::open_path(&path).await
        {
            can_open.set(false);
        }
    });
}
