//! Preview outside Bitrix24: the demo portal's settings from the page URL, the live
//! incoming-webhook mode (URL validation, session-only storage of the secret, the banner),
//! and what a build without the preview says when it is opened outside a portal.
//!
//! The webhook URL holds a secret: it is kept in `sessionStorage` only (gone when the tab
//! closes), never put into the page URL, never logged, scrubbed from every error text
//! ([`SecretGuard`]), and can be forgotten with one click.
//!
//! The webhook panel is the feature `preview-webhook` (default, with `demo`): `trunk serve`
//! and the preview builds have it; the upload archive (`package.sh`, no default features)
//! does not. Opened straight from its CDN URL, the archive says how to open the app from
//! Bitrix24 instead of offering to keep a secret in the storage of an origin it shares with
//! other apps.

mod secret_guard;
mod webhook_url;

use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::{t, Lang, Msg};
use crate::net::{Credentials, FetchTransport};
use crate::report::transport::Transport;

pub use secret_guard::SecretGuard;
pub use webhook_url::{check, precheck, UrlParts, WebhookUrl, WebhookUrlError};

/// `true` in builds with the webhook panel (feature `preview-webhook`).
pub const WEBHOOK_PANEL: bool = cfg!(feature = "preview-webhook");

/// Default number of demo tasks.
pub const DEFAULT_DEMO_TASKS: usize = 5_000;
/// The largest demo portal the preview accepts.
pub const MAX_DEMO_TASKS: usize = 1_000_000;

/// The `sessionStorage` key of the webhook URL.
const WEBHOOK_KEY: &str = "taskReport.webhook";

impl WebhookUrlError {
    /// The key of an actionable sentence for the user.
    pub fn msg(self) -> Msg {
        match self {
            Self::Empty => Msg::WebhookEmpty,
            Self::NotAUrl => Msg::WebhookNotAUrl,
            Self::Backslash => Msg::WebhookBackslash,
            Self::Credentials => Msg::WebhookCredentials,
            Self::NeedsHttps => Msg::WebhookNeedsHttps,
            Self::WrongPath => Msg::WebhookWrongPath,
        }
    }
}

/// The transport of a webhook: `fetch` to its base URL, with the secret scrubbed out of
/// every text that comes back (error messages, answer bodies).
pub fn webhook_transport(url: &WebhookUrl) -> Rc<dyn Transport> {
    let fetch = FetchTransport::new(url.base(), Credentials::Webhook);
    Rc::new(SecretGuard::new(fetch, url.secret()))
}

/// The webhook URL remembered in this tab, if any; always `None` without the webhook panel
/// (the archive never reads one).
pub fn stored_webhook() -> Option<WebhookUrl> {
    if !WEBHOOK_PANEL {
        return None;
    }
    let storage = web_sys::window()?.session_storage().ok()??;
    let raw = storage.get_item(WEBHOOK_KEY).ok()??;
    WebhookUrl::parse(&raw).ok()
}

/// Remembers the webhook URL for this tab only (nothing without the webhook panel).
pub fn store_webhook(url: &WebhookUrl) {
    if !WEBHOOK_PANEL {
        return;
    }
    if let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.session_storage()) {
        storage.set_item(WEBHOOK_KEY, url.base()).ok();
    }
}

/// Forgets the webhook URL.
pub fn forget_webhook() {
    if !WEBHOOK_PANEL {
        return;
    }
    if let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.session_storage()) {
        storage.remove_item(WEBHOOK_KEY).ok();
    }
}

/// The demo portal's settings, read from the page URL: `?demo=<tasks>&latency=<ms>&lang=<code>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoSettings {
    /// Number of demo tasks.
    pub tasks: usize,
    /// Simulated round trip per request, ms.
    pub latency_ms: u32,
    /// Language code asked for, if any.
    pub lang: Option<String>,
}

impl DemoSettings {
    /// Parses a query string (`?demo=100000&latency=100&lang=ru`); bad values fall back to
    /// the defaults (5 000 tasks, 30 ms).
    pub fn from_query(query: &str) -> Self {
        let mut settings = Self {
            tasks: DEFAULT_DEMO_TASKS,
            latency_ms: 30,
            lang: None,
        };
        for pair in query.trim_start_matches('?').split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match key {
                "demo" => {
                    if let Ok(n) = value.replace('_', "").parse::<usize>() {
                        settings.tasks = n.min(MAX_DEMO_TASKS);
                    }
                }
                "latency" => {
                    if let Ok(ms) = value.parse::<u32>() {
                        settings.latency_ms = ms.min(10_000);
                    }
                }
                "lang" if !value.is_empty() => settings.lang = Some(value.to_string()),
                _ => {}
            }
        }
        settings
    }
}

/// Props of [`PreviewBanner`].
#[derive(Properties, PartialEq)]
pub struct PreviewBannerProps {
    /// UI language.
    pub lang: Lang,
    /// The connected webhook's host, when in webhook mode.
    pub webhook_host: Option<AttrValue>,
    /// The user submitted a valid webhook URL.
    pub onconnect: Callback<WebhookUrl>,
    /// The user asked to forget the webhook (back to demo data).
    pub onforget: Callback<()>,
}

/// The "Preview" banner shown outside Bitrix24: demo data, or the connected webhook's host;
/// with the webhook form in builds that have it.
#[component]
pub fn PreviewBanner(props: &PreviewBannerProps) -> Html {
    let lang = props.lang;
    let line = match &props.webhook_host {
        Some(host) => {
            let text = t(lang, Msg::WebhookLive);
            let (before, after) = text.split_once("{host}").unwrap_or((text, ""));
            let onclick = {
                let onforget = props.onforget.clone();
                Callback::from(move |_| onforget.emit(()))
            };
            html! {
                <p data-testid="environment">
                    { before }<strong data-testid="webhook-host">{ host.clone() }</strong>{ after }
                    { " " }
                    <button type="button" class="link-button" data-testid="webhook-forget" {onclick}>
                        { t(lang, Msg::WebhookForget) }
                    </button>
                </p>
            }
        }
        None => html! {
            <p data-testid="environment">{ t(lang, Msg::PreviewBanner) }{ "." }</p>
        },
    };
    html! {
        <section class="preview-banner" data-testid="preview-banner" aria-label={ t(lang, Msg::Preview) }>
            { line }
            if props.webhook_host.is_none() {
                { connect_form(lang, &props.onconnect) }
            }
        </section>
    }
}

/// The "connect a webhook" toggle and form.
#[cfg(feature = "preview-webhook")]
fn connect_form(lang: Lang, onconnect: &Callback<WebhookUrl>) -> Html {
    html! { <WebhookForm {lang} onconnect={onconnect.clone()} /> }
}

/// Without the webhook panel: nothing.
#[cfg(not(feature = "preview-webhook"))]
fn connect_form(_lang: Lang, _onconnect: &Callback<WebhookUrl>) -> Html {
    Html::default()
}

/// Props of [`WebhookForm`].
#[cfg(feature = "preview-webhook")]
#[derive(Properties, PartialEq)]
struct WebhookFormProps {
    lang: Lang,
    onconnect: Callback<WebhookUrl>,
}

/// The toggle and the form that takes an incoming-webhook URL. Its messages say what is
/// wrong with the URL, never repeat it.
#[cfg(feature = "preview-webhook")]
#[component]
fn WebhookForm(props: &WebhookFormProps) -> Html {
    let lang = props.lang;
    let input = use_state(String::new);
    let error = use_state(|| None::<WebhookUrlError>);
    let open = use_state(|| false);
    let onsubmit = {
        let input = input.clone();
        let error = error.clone();
        let onconnect = props.onconnect.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match WebhookUrl::parse(&input) {
                Ok(url) => {
                    error.set(None);
                    onconnect.emit(url);
                }
                Err(e) => error.set(Some(e)),
            }
        })
    };
    let oninput = {
        let input = input.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(el) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                input.set(el.value());
            }
        })
    };
    let toggle = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    html! {
        <>
            <p>
                <button type="button" class="link-button" aria-expanded={ (*open).to_string() } data-testid="webhook-toggle" onclick={toggle}>
                    { t(lang, Msg::WebhookOpenForm) }
                </button>
            </p>
            if *open {
                // `novalidate`: the app checks the URL itself and says what is wrong (the browser's own
                // check of `type="url"` would block some inputs with a generic bubble).
                <form class="webhook-form" novalidate=true {onsubmit} data-testid="webhook-form">
                    <label for="webhook-url">{ t(lang, Msg::WebhookUrl) }</label>
                    <input id="webhook-url" type="url" autocomplete="off" spellcheck="false"
                        placeholder="https://your-portal.bitrix24.com/rest/1/…/"
                        value={ (*input).clone() } {oninput} data-testid="webhook-input" />
                    <button type="submit" class="button-primary">{ t(lang, Msg::WebhookConnect) }</button>
                    if let Some(e) = *error {
                        <p class="form-error" role="alert" data-testid="webhook-error">{ t(lang, e.msg()) }</p>
                    }
                    <p class="hint">{ t(lang, Msg::WebhookHint) }{ " " }{ t(lang, Msg::WebhookStaysInTab) }</p>
                </form>
            }
        </>
    }
}

/// Props of [`OutsidePortal`].
#[derive(Properties, PartialEq)]
pub struct OutsidePortalProps {
    /// UI language.
    pub lang: Lang,
    /// The user submitted a valid webhook URL (builds with the webhook panel).
    pub onconnect: Callback<WebhookUrl>,
}

/// A build without the demo portal opened outside Bitrix24. The upload archive (no webhook
/// panel) says how to open the app from the portal; a build with the panel offers it.
#[component]
pub fn OutsidePortal(props: &OutsidePortalProps) -> Html {
    let lang = props.lang;
    if WEBHOOK_PANEL {
        return html! {
            <main class="report">
                <PreviewBanner {lang} webhook_host={None::<AttrValue>} onconnect={props.onconnect.clone()} onforget={Callback::noop()} />
                <p class="notice" data-testid="no-demo">{ t(lang, Msg::PreviewNoDemo) }</p>
            </main>
        };
    }
    html! {
        <main class="report">
            <section class="notice" role="status" data-testid="environment">
                <p><strong>{ t(lang, Msg::OutsidePortalTitle) }</strong></p>
                <p data-testid="outside-portal">{ t(lang, Msg::OutsidePortalHow) }</p>
            </section>
        </main>
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn every_url_error_has_its_own_sentence_without_the_input() {
        use WebhookUrlError::{Backslash, WrongPath};
        // Each rejection a user can meet, from what they would paste: six different errors.
        let https = UrlParts {
            protocol: "https:",
            hostname: "acme.bitrix24.com",
            host: "acme.bitrix24.com",
            pathname: "/rest/1/abcdefgh12/",
            ..UrlParts::default()
        };
        let all = [
            precheck("  ").unwrap_err(),
            precheck("https://acme.bitrix24.com/rest/1/a b/").unwrap_err(),
            precheck(r"https://evil.example\acme.bitrix24.com/rest/1/abcdefgh12/").unwrap_err(),
            check(&UrlParts {
                username: "admin",
                ..https
            })
            .unwrap_err(),
            check(&UrlParts {
                protocol: "http:",
                ..https
            })
            .unwrap_err(),
            check(&UrlParts {
                pathname: "/rest/1/",
                ..https
            })
            .unwrap_err(),
        ];
        for (i, error) in all.iter().enumerate() {
            assert!(!all[..i].contains(error), "{error:?} twice");
        }
        for lang in Lang::ALL {
            let texts: Vec<&str> = all.iter().map(|e| t(lang, e.msg())).collect();
            for (i, text) in texts.iter().enumerate() {
                assert!(!texts[..i].contains(text), "{lang:?}: {text} twice");
            }
        }
        assert!(t(Lang::En, Backslash.msg()).contains("another host"));
        assert!(t(Lang::En, WrongPath.msg()).contains("rest/1/secret/"));
    }

    #[test]
    fn demo_settings_come_from_the_query() {
        let s = DemoSettings::from_query("?demo=100000&latency=100&lang=ru");
        assert_eq!(
            (s.tasks, s.latency_ms, s.lang.as_deref()),
            (100_000, 100, Some("ru"))
        );
        let s = DemoSettings::from_query("?demo=lots&latency=-1");
        assert_eq!((s.tasks, s.latency_ms), (DEFAULT_DEMO_TASKS, 30));
        assert_eq!(
            DemoSettings::from_query("?demo=5000000").tasks,
            MAX_DEMO_TASKS
        );
    }
}
