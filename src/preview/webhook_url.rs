//! An incoming-webhook URL, judged the way the browser will send it.
//!
//! A hand-written split of the text can disagree with the browser about where a request
//! goes: to the browser `https://evil.example\acme.bitrix24.com/rest/1/secret/` is a request
//! to `evil.example` (a backslash counts as `/` in `http(s)` URLs). So the text is parsed by
//! the browser's own URL parser ([`web_sys::Url`], `new URL()`), the pure rule [`check`]
//! judges the parts it returns, and the host shown to the user is the parsed `host`: exactly
//! where the secret will be sent.
//!
//! No error of this module carries any part of the input: the URL holds a secret.

/// A validated incoming-webhook URL: `https://<portal>/rest/<user id>/<secret>/`.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookUrl {
    base: String,
    host: String,
    secret: String,
}

impl std::fmt::Debug for WebhookUrl {
    // Never print the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WebhookUrl({}/rest/…)", self.host)
    }
}

/// Why a pasted webhook URL was rejected. Says what is wrong, never repeats the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WebhookUrlError {
    /// Empty input.
    Empty,
    /// The browser cannot parse it, or it is not `http(s)://host/…`, or it has spaces or
    /// control characters.
    NotAUrl,
    /// A backslash: browsers read it as `/`, so the host would not be what it looks like.
    Backslash,
    /// A user name or password before the host (`https://user:pass@host/`): the host is
    /// not what it looks like, and Bitrix24 webhooks never have one.
    Credentials,
    /// `http://` to a host other than this machine: Bitrix24 requires HTTPS for webhooks.
    NeedsHttps,
    /// The path is not `/rest/<user id>/<secret>/` (maybe a method name or a query was pasted).
    WrongPath,
}

/// The parts of a URL as the browser's parser returns them (`URL.protocol`, `.username`,
/// `.password`, `.hostname`, `.host`, `.pathname`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UrlParts<'a> {
    /// `"https:"`.
    pub protocol: &'a str,
    /// The user name before `@`, percent-encoded; empty if none.
    pub username: &'a str,
    /// The password before `@`, percent-encoded; empty if none.
    pub password: &'a str,
    /// The host without the port (`"acme.bitrix24.com"`, `"[::1]"`, punycode for IDN).
    pub hostname: &'a str,
    /// The host with a non-default port (`"localhost:8080"`): where requests go.
    pub host: &'a str,
    /// The normalized path (`"/rest/1/abc/"`; dot segments resolved, percent-encoded).
    pub pathname: &'a str,
}

/// Hosts that may be reached over plain `http:` (this machine: the emulator, a dev server).
const LOCAL_HOSTS: [&str; 3] = ["localhost", "127.0.0.1", "[::1]"];

/// The shortest secret accepted (Bitrix24 generates 16 characters).
const MIN_SECRET_LEN: usize = 8;

/// Checks the raw text before it is parsed: trimmed, not empty, no backslash, no space or
/// control character inside (the parser would silently drop or encode them).
///
/// # Errors
/// [`WebhookUrlError::Empty`], [`WebhookUrlError::Backslash`] or [`WebhookUrlError::NotAUrl`].
pub fn precheck(raw: &str) -> Result<&str, WebhookUrlError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(WebhookUrlError::Empty);
    }
    if text.contains('\\') {
        return Err(WebhookUrlError::Backslash);
    }
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(WebhookUrlError::NotAUrl);
    }
    Ok(text)
}

/// The rule, on the parts the browser parsed: `https:` (or `http:` to this machine), no
/// credentials, a host, and a path `/rest/<digits>/<secret>/` optionally followed by one
/// method name (`…/task.item.list.json`, dropped). The query and fragment are ignored.
///
/// # Errors
/// A [`WebhookUrlError`] saying what is wrong.
pub fn check(parts: &UrlParts<'_>) -> Result<WebhookUrl, WebhookUrlError> {
    let protocol = parts.protocol.to_ascii_lowercase();
    if protocol != "https:" && protocol != "http:" {
        return Err(WebhookUrlError::NotAUrl);
    }
    if !parts.username.is_empty() || !parts.password.is_empty() {
        return Err(WebhookUrlError::Credentials);
    }
    if parts.hostname.is_empty() || parts.host.is_empty() {
        return Err(WebhookUrlError::NotAUrl);
    }
    if protocol == "http:" && !LOCAL_HOSTS.contains(&parts.hostname) {
        return Err(WebhookUrlError::NeedsHttps);
    }
    let rest = parts
        .pathname
        .strip_prefix("/rest/")
        .ok_or(WebhookUrlError::WrongPath)?;
    let segments: Vec<&str> = rest.split('/').collect();
    let (user, secret) = match segments.as_slice() {
        [user, secret] | [user, secret, ""] => (*user, *secret),
        [user, secret, method] if is_method_name(method) => (*user, *secret),
        _ => return Err(WebhookUrlError::WrongPath),
    };
    let valid_user =
        !user.is_empty() && user.len() <= 10 && user.bytes().all(|b| b.is_ascii_digit());
    let valid_secret =
        secret.len() >= MIN_SECRET_LEN && secret.bytes().all(|b| b.is_ascii_alphanumeric());
    if !valid_user || !valid_secret {
        return Err(WebhookUrlError::WrongPath);
    }
    Ok(WebhookUrl {
        base: format!("{protocol}//{}/rest/{user}/{secret}/", parts.host),
        host: parts.host.to_string(),
        secret: secret.to_string(),
    })
}

/// A REST method name as pasted after the secret: `task.item.list` or `task.item.list.json`.
fn is_method_name(segment: &str) -> bool {
    !segment.is_empty()
        && segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_')
}

impl WebhookUrl {
    /// Validates a pasted URL with the browser's URL parser and [`check`]. Accepts a trailing
    /// method name (`…/task.item.list.json`) and drops it.
    ///
    /// Browser only (`new URL()`); natively use [`precheck`] and [`check`].
    ///
    /// # Errors
    /// A [`WebhookUrlError`] saying what is wrong (never the input itself).
    pub fn parse(input: &str) -> Result<Self, WebhookUrlError> {
        let text = precheck(input)?;
        let url = web_sys::Url::new(text).map_err(|_| WebhookUrlError::NotAUrl)?;
        let (protocol, username, password) = (url.protocol(), url.username(), url.password());
        let (hostname, host, pathname) = (url.hostname(), url.host(), url.pathname());
        check(&UrlParts {
            protocol: &protocol,
            username: &username,
            password: &password,
            hostname: &hostname,
            host: &host,
            pathname: &pathname,
        })
    }

    /// The REST base to call methods under (contains the secret: never log or display it).
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The host requests go to, as the browser parsed it, with a non-default port
    /// (safe to display).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The secret part of the path (for scrubbing it out of error texts).
    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// `true` for `https:` (`http:` is only accepted for this machine).
    pub fn is_https(&self) -> bool {
        self.base.starts_with("https:")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    /// Parts as the browser returns them for `https://<host>/<path>`.
    fn https<'a>(host: &'a str, pathname: &'a str) -> UrlParts<'a> {
        UrlParts {
            protocol: "https:",
            hostname: host.split(':').next().unwrap_or(host),
            host,
            pathname,
            ..UrlParts::default()
        }
    }

    #[test]
    fn precheck_trims_and_refuses_backslashes_and_spaces() {
        assert_eq!(precheck("  https://a.b/  "), Ok("https://a.b/"));
        assert_eq!(precheck(" \t"), Err(WebhookUrlError::Empty));
        assert_eq!(
            precheck(r"https://evil.example\acme.bitrix24.com/rest/1/secret123/"),
            Err(WebhookUrlError::Backslash)
        );
        assert_eq!(
            precheck("https://acme.bitrix24.com/rest/1/sec ret123/"),
            Err(WebhookUrlError::NotAUrl)
        );
        assert_eq!(
            precheck("https://acme.bitrix24.com\n.evil/rest/1/secret123/"),
            Err(WebhookUrlError::NotAUrl)
        );
    }

    #[test]
    fn accepts_the_webhook_path_and_drops_a_method_name() {
        let url = check(&https("acme.bitrix24.com", "/rest/1/abc123def456/")).expect("valid");
        assert_eq!(url.base(), "https://acme.bitrix24.com/rest/1/abc123def456/");
        assert_eq!(url.host(), "acme.bitrix24.com");
        assert_eq!(url.secret(), "abc123def456");
        assert!(url.is_https());
        for path in [
            "/rest/12/abc123def456",
            "/rest/12/abc123def456/task.item.list.json",
            "/rest/12/abc123def456/tasks.task.list",
        ] {
            let url = check(&https("acme.bitrix24.com:8443", path)).expect(path);
            assert_eq!(
                url.base(),
                "https://acme.bitrix24.com:8443/rest/12/abc123def456/"
            );
        }
    }

    #[test]
    fn plain_http_only_to_this_machine() {
        let local = |hostname, host| UrlParts {
            protocol: "http:",
            hostname,
            host,
            pathname: "/rest/1/emulatorsecret0001/",
            ..UrlParts::default()
        };
        for (hostname, host) in [
            ("localhost", "localhost:8080"),
            ("127.0.0.1", "127.0.0.1:9000"),
            ("[::1]", "[::1]:9000"),
        ] {
            let url = check(&local(hostname, host)).expect(host);
            assert_eq!(
                url.base(),
                format!("http://{host}/rest/1/emulatorsecret0001/")
            );
            assert!(!url.is_https());
        }
        for hostname in ["acme.bitrix24.com", "localhost.evil.example", "127.0.0.2"] {
            assert_eq!(
                check(&local(hostname, hostname)).map(|u| u.base().to_owned()),
                Err(WebhookUrlError::NeedsHttps),
                "{hostname}"
            );
        }
    }

    #[test]
    fn refuses_other_schemes_credentials_and_empty_hosts() {
        let mut parts = https("acme.bitrix24.com", "/rest/1/abcdefgh/");
        parts.protocol = "ftp:";
        assert_eq!(check(&parts), Err(WebhookUrlError::NotAUrl));
        let mut parts = https("evil.example", "/rest/1/abcdefgh/");
        parts.username = "acme.bitrix24.com";
        assert_eq!(check(&parts), Err(WebhookUrlError::Credentials));
        let mut parts = https("evil.example", "/rest/1/abcdefgh/");
        parts.password = "x";
        assert_eq!(check(&parts), Err(WebhookUrlError::Credentials));
        assert_eq!(
            check(&https("", "/rest/1/abcdefgh/")),
            Err(WebhookUrlError::NotAUrl)
        );
    }

    #[test]
    fn refuses_paths_that_are_not_rest_user_secret() {
        for path in [
            "/",
            "/rest/",
            "/rest/task.item.list",
            "/rest/x/abcdefgh/",
            "/rest/1/short/",
            "/rest/1/ab%2Fcdefgh/",
            "/rest//1/abcdefgh/",
            "/rest/1//abcdefgh/",
            "/api/rest/1/abcdefgh/",
            "/rest/1/abcdefgh/task.item.list/extra",
            "/rest/1/abcdefgh/task.item.list/",
            "/rest/12345678901/abcdefgh/",
        ] {
            assert_eq!(
                check(&https("acme.bitrix24.com", path)),
                Err(WebhookUrlError::WrongPath),
                "{path}"
            );
        }
    }

    #[test]
    fn debug_output_hides_the_secret() {
        let url = check(&https("acme.bitrix24.com", "/rest/1/topsecret123/")).expect("valid");
        assert!(!format!("{url:?}").contains("topsecret123"));
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod browser_tests {
    //! The browser's parser decides: these run `WebhookUrl::parse` in a real browser.
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn a_backslash_host_is_refused_although_the_browser_would_go_elsewhere() {
        let raw = r"https://evil.example\acme.bitrix24.com/rest/1/secret12345/";
        // Why the rule exists: the browser sends this to evil.example.
        let seen = web_sys::Url::new(raw).expect("the browser parses it");
        assert_eq!(seen.host(), "evil.example");
        assert_eq!(WebhookUrl::parse(raw), Err(WebhookUrlError::Backslash));
    }

    #[wasm_bindgen_test]
    fn credentials_are_refused() {
        for raw in [
            "https://acme.bitrix24.com@evil.example/rest/1/secret12345/",
            "https://user:pass@acme.bitrix24.com/rest/1/secret12345/",
            "https://:pass@acme.bitrix24.com/rest/1/secret12345/",
        ] {
            assert_eq!(
                WebhookUrl::parse(raw),
                Err(WebhookUrlError::Credentials),
                "{raw}"
            );
        }
    }

    #[wasm_bindgen_test]
    fn http_only_for_this_machine() {
        assert_eq!(
            WebhookUrl::parse("http://acme.bitrix24.com/rest/1/secret12345/"),
            Err(WebhookUrlError::NeedsHttps)
        );
        assert_eq!(
            WebhookUrl::parse("http://localhost.evil.example/rest/1/secret12345/"),
            Err(WebhookUrlError::NeedsHttps)
        );
        let local = WebhookUrl::parse("http://127.0.0.1:8080/rest/1/emulatorsecret0001")
            .expect("http to this machine");
        assert_eq!(
            local.base(),
            "http://127.0.0.1:8080/rest/1/emulatorsecret0001/"
        );
        assert_eq!(local.host(), "127.0.0.1:8080");
        assert_eq!(
            WebhookUrl::parse("ftp://acme.bitrix24.com/rest/1/secret12345/"),
            Err(WebhookUrlError::NotAUrl)
        );
        assert_eq!(
            WebhookUrl::parse("acme.bitrix24.com/rest/1/secret12345/"),
            Err(WebhookUrlError::NotAUrl)
        );
    }

    #[wasm_bindgen_test]
    fn wrong_paths_are_refused_after_the_browser_normalizes_them() {
        for raw in [
            "https://acme.bitrix24.com/",
            "https://acme.bitrix24.com/rest/task.item.list",
            "https://acme.bitrix24.com/rest/x/secret12345/",
            "https://acme.bitrix24.com/rest/1/short/",
            // `..` is resolved by the parser: this is `/rest/secret12345/`.
            "https://acme.bitrix24.com/rest/1/../secret12345/",
        ] {
            assert_eq!(
                WebhookUrl::parse(raw),
                Err(WebhookUrlError::WrongPath),
                "{raw}"
            );
        }
        // A method name, a query and a fragment are dropped; the default port too.
        let url = WebhookUrl::parse(
            "HTTPS://Acme.Bitrix24.com:443/rest/12/secret12345/task.item.list.json?x=1#y",
        )
        .expect("valid");
        assert_eq!(url.base(), "https://acme.bitrix24.com/rest/12/secret12345/");
        assert_eq!(url.host(), "acme.bitrix24.com");
    }

    #[wasm_bindgen_test]
    fn a_unicode_host_is_shown_as_the_browser_sends_it() {
        let url = WebhookUrl::parse("https://портал.рф/rest/1/secret12345/").expect("valid");
        assert_eq!(url.host(), "xn--80awhdgm.xn--p1ai");
        assert_eq!(
            url.base(),
            "https://xn--80awhdgm.xn--p1ai/rest/1/secret12345/"
        );
    }
}
