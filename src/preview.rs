//! Preview outside Bitrix24: the demo portal's settings from the page URL, and the live
//! incoming-webhook mode (URL validation, session-only storage of the secret, the banner).
//!
//! The webhook URL holds a secret: it is kept in `sessionStorage` only (gone when the tab
//! closes), never put into the page URL, never logged, and can be forgotten with one click.

use yew::prelude::*;

use crate::i18n::Lang;

/// Default number of demo tasks.
pub const DEFAULT_DEMO_TASKS: usize = 5_000;
/// The largest demo portal the preview accepts.
pub const MAX_DEMO_TASKS: usize = 1_000_000;

/// The `sessionStorage` key of the webhook URL.
const WEBHOOK_KEY: &str = "taskReport.webhook";

/// A validated incoming-webhook URL: `https://<portal>/rest/<user id>/<secret>/`.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookUrl {
    base: String,
    host: String,
}

impl std::fmt::Debug for WebhookUrl {
    // Never print the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WebhookUrl({}/rest/…)", self.host)
    }
}

/// Why a pasted webhook URL was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WebhookUrlError {
    /// Empty input.
    Empty,
    /// Not `http(s)://host/…`.
    NotAUrl,
    /// `http://` to a host other than this machine: Bitrix24 requires HTTPS for webhooks.
    NeedsHttps,
    /// The path is not `/rest/<user id>/<secret>/` (maybe a method name or a query was pasted).
    WrongPath,
}

impl WebhookUrlError {
    /// An actionable sentence for the user.
    pub fn message(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::Empty, Lang::Ru | Lang::Ua) => "Вставьте адрес входящего вебхука.",
            (Self::Empty, _) => "Paste the incoming webhook URL.",
            (Self::NotAUrl, Lang::Ru | Lang::Ua) => {
                "Это не адрес. Скопируйте «URL для вызова REST» из настроек входящего вебхука в Битрикс24."
            }
            (Self::NotAUrl, _) => {
                "This is not a URL. Copy the “REST call URL” from the incoming webhook's settings in Bitrix24."
            }
            (Self::NeedsHttps, Lang::Ru | Lang::Ua) => "Битрикс24 принимает вебхуки только по HTTPS: адрес должен начинаться с https://.",
            (Self::NeedsHttps, _) => "Bitrix24 accepts webhooks over HTTPS only: the URL must start with https://.",
            (Self::WrongPath, Lang::Ru | Lang::Ua) => {
                "Адрес должен иметь вид https://ваш-портал.bitrix24.ru/rest/1/секрет/ — без имени метода в конце."
            }
            (Self::WrongPath, _) => {
                "The URL must look like https://your-portal.bitrix24.com/rest/1/secret/ — without a method name at the end."
            }
        }
    }
}

impl WebhookUrl {
    /// Validates a pasted URL. Accepts a trailing method name (`…/task.item.list.json`) and
    /// drops it; rejects anything else that is not `/rest/<digits>/<secret>/`.
    ///
    /// # Errors
    /// A [`WebhookUrlError`] saying what is wrong.
    pub fn parse(input: &str) -> Result<Self, WebhookUrlError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(WebhookUrlError::Empty);
        }
        let (scheme, rest) = input.split_once("://").ok_or(WebhookUrlError::NotAUrl)?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "https" && scheme != "http" {
            return Err(WebhookUrlError::NotAUrl);
        }
        let rest = rest.split(['?', '#']).next().unwrap_or_default();
        let (host, path) = rest.split_once('/').ok_or(WebhookUrlError::WrongPath)?;
        if host.is_empty() || host.contains(['@', ' ']) {
            return Err(WebhookUrlError::NotAUrl);
        }
        let host_name = host.rsplit_once(':').map_or(host, |(h, _)| h);
        let local = matches!(host_name, "localhost" | "127.0.0.1" | "[::1]");
        if scheme == "http" && !local {
            return Err(WebhookUrlError::NeedsHttps);
        }
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let (user, secret) = match segments.as_slice() {
            ["rest", user, secret] | ["rest", user, secret, _] => (*user, *secret),
            _ => return Err(WebhookUrlError::WrongPath),
        };
        let valid_user = !user.is_empty() && user.bytes().all(|b| b.is_ascii_digit());
        let valid_secret = secret.len() >= 8 && secret.bytes().all(|b| b.is_ascii_alphanumeric());
        if !valid_user || !valid_secret {
            return Err(WebhookUrlError::WrongPath);
        }
        Ok(Self {
            base: format!("{scheme}://{host}/rest/{user}/{secret}/"),
            host: host.to_string(),
        })
    }

    /// The REST base to call methods under (contains the secret: never log or display it).
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The portal host (safe to display).
    pub fn host(&self) -> &str {
        &self.host
    }
}

/// The webhook URL remembered in this tab, if any.
pub fn stored_webhook() -> Option<WebhookUrl> {
    let storage = web_sys::window()?.session_storage().ok()??;
    let raw = storage.get_item(WEBHOOK_KEY).ok()??;
    WebhookUrl::parse(&raw).ok()
}

/// Remembers the webhook URL for this tab only.
pub fn store_webhook(url: &WebhookUrl) {
    if let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.session_storage()) {
        storage.set_item(WEBHOOK_KEY, url.base()).ok();
    }
}

/// Forgets the webhook URL.
pub fn forget_webhook() {
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

/// The "Preview" banner shown outside Bitrix24, with the webhook form.
#[component]
pub fn PreviewBanner(props: &PreviewBannerProps) -> Html {
    let input = use_state(String::new);
    let error = use_state(|| None::<WebhookUrlError>);
    let open = use_state(|| false);
    let ru = matches!(props.lang, Lang::Ru | Lang::Ua);
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
    let forget = {
        let onforget = props.onforget.clone();
        Callback::from(move |_| onforget.emit(()))
    };
    html! {
        <section class="preview-banner" data-testid="preview-banner" aria-label={ if ru { "Предпросмотр" } else { "Preview" } }>
            <p data-testid="environment">
                <strong>{ if ru { "Предпросмотр" } else { "Preview" } }</strong>
                { " — " }
                if let Some(host) = &props.webhook_host {
                    { if ru { "задачи портала " } else { "live tasks of " } }
                    <strong data-testid="webhook-host">{ host.clone() }</strong>
                    { if ru { " через входящий вебхук." } else { " through an incoming webhook." } }
                    { " " }
                    <button type="button" class="link-button" data-testid="webhook-forget" onclick={forget}>
                        { if ru { "Забыть вебхук" } else { "Forget the webhook" } }
                    </button>
                } else {
                    { if ru { "не внутри Битрикс24: демо-данные. " } else { "not inside Bitrix24: demo data. " } }
                    <button type="button" class="link-button" aria-expanded={ (*open).to_string() } data-testid="webhook-toggle" onclick={toggle}>
                        { if ru { "Подключить свой портал через вебхук…" } else { "Connect your portal with a webhook…" } }
                    </button>
                }
            </p>
            if *open && props.webhook_host.is_none() {
                <form class="webhook-form" onsubmit={onsubmit} data-testid="webhook-form">
                    <label for="webhook-url">
                        { if ru { "Адрес входящего вебхука с правом «Задачи (task)»" } else { "Incoming webhook URL with the “Tasks (task)” permission" } }
                    </label>
                    <input id="webhook-url" type="url" autocomplete="off" spellcheck="false"
                        placeholder="https://your-portal.bitrix24.com/rest/1/…/"
                        value={ (*input).clone() } oninput={oninput} data-testid="webhook-input" />
                    <button type="submit" class="button-primary">{ if ru { "Подключить" } else { "Connect" } }</button>
                    if let Some(e) = *error {
                        <p class="form-error" role="alert" data-testid="webhook-error">{ e.message(props.lang) }</p>
                    }
                    <p class="hint">
                        { if ru { "Адрес хранится только в этой вкладке и не попадает в адресную строку." } else { "The URL stays in this tab only and never goes into the address bar." } }
                    </p>
                </form>
            }
        </section>
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn accepts_webhook_urls_and_drops_a_method_name() {
        let url =
            WebhookUrl::parse(" https://acme.bitrix24.com/rest/1/abc123def456/ ").expect("valid");
        assert_eq!(url.base(), "https://acme.bitrix24.com/rest/1/abc123def456/");
        assert_eq!(url.host(), "acme.bitrix24.com");
        let url = WebhookUrl::parse(
            "https://acme.bitrix24.com/rest/12/abc123def456/task.item.list.json?x=1",
        )
        .expect("valid");
        assert_eq!(
            url.base(),
            "https://acme.bitrix24.com/rest/12/abc123def456/"
        );
        let local = WebhookUrl::parse("http://localhost:8080/rest/1/emulatorsecret0001")
            .expect("local http allowed");
        assert_eq!(
            local.base(),
            "http://localhost:8080/rest/1/emulatorsecret0001/"
        );
    }

    #[test]
    fn rejects_bad_webhook_urls_with_a_reason() {
        assert_eq!(WebhookUrl::parse(""), Err(WebhookUrlError::Empty));
        assert_eq!(
            WebhookUrl::parse("acme.bitrix24.com/rest/1/x"),
            Err(WebhookUrlError::NotAUrl)
        );
        assert_eq!(
            WebhookUrl::parse("ftp://acme/rest/1/abcdefgh/"),
            Err(WebhookUrlError::NotAUrl)
        );
        assert_eq!(
            WebhookUrl::parse("http://acme.bitrix24.com/rest/1/abcdefgh/"),
            Err(WebhookUrlError::NeedsHttps)
        );
        assert_eq!(
            WebhookUrl::parse("https://acme.bitrix24.com/"),
            Err(WebhookUrlError::WrongPath)
        );
        assert_eq!(
            WebhookUrl::parse("https://acme.bitrix24.com/rest/x/abcdefgh/"),
            Err(WebhookUrlError::WrongPath)
        );
        assert_eq!(
            WebhookUrl::parse("https://acme.bitrix24.com/rest/1/short/"),
            Err(WebhookUrlError::WrongPath)
        );
        assert_eq!(
            WebhookUrl::parse("https://acme.bitrix24.com/rest/1/ab%2Fcdefgh/"),
            Err(WebhookUrlError::WrongPath)
        );
    }

    #[test]
    fn debug_output_hides_the_secret() {
        let url =
            WebhookUrl::parse("https://acme.bitrix24.com/rest/1/topsecret123/").expect("valid");
        assert!(!format!("{url:?}").contains("topsecret123"));
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
