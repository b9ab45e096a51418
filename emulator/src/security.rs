//! Local-server hardening: the per-run control token, the `Host` check against DNS
//! rebinding, the `Origin` check of the portal page's POSTs, and a fresh private temp folder.
//!
//! The emulator listens on loopback only, but a web page in the developer's browser can still
//! reach it: by cross-site requests (a `text/plain` form POST needs no CORS preflight) and by
//! DNS rebinding (a name of the attacker's that resolves to 127.0.0.1 after the page loaded,
//! so the browser treats the emulator as the attacker's own origin). The rules here close both.

use std::io::Read;
use std::path::{Path, PathBuf};

use hyper::header::{AsHeaderName, HOST, ORIGIN};
use hyper::Request;

use crate::http::{self, Resp};

/// The request header that carries the control token.
pub const TOKEN_HEADER: &str = "x-emulator-token";

/// How many random bytes make a control token (printed as twice as many hex digits).
const TOKEN_BYTES: usize = 16;

/// Reads `n` bytes from the operating system's random source (`/dev/urandom`).
///
/// # Errors
/// A message when the source cannot be read (e.g. a system without `/dev/urandom`).
pub fn random_bytes(n: usize) -> Result<Vec<u8>, String> {
    let mut bytes = vec![0u8; n];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| format!("cannot read the system random source /dev/urandom: {e}"))?;
    Ok(bytes)
}

/// `n` random bytes as lowercase hex.
///
/// # Errors
/// See [`random_bytes`].
pub fn random_hex(n: usize) -> Result<String, String> {
    Ok(random_bytes(n)?
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// A fresh control token for `/__control` and `/__truth` (128 random bits, 32 hex digits).
///
/// # Errors
/// See [`random_bytes`].
pub fn new_control_token() -> Result<String, String> {
    random_hex(TOKEN_BYTES)
}

/// Compares two strings in time that depends on their lengths only, not on where they differ.
pub fn same_secret(given: &str, expected: &str) -> bool {
    let (a, b) = (given.as_bytes(), expected.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The `host:port` authorities a listener on loopback `port` answers to: `127.0.0.1`,
/// `localhost` and, when it also listens on IPv6, `[::1]`. On port 80 browsers leave the port
/// out of `Host`, so the bare names count too.
pub fn loopback_authorities(port: u16, ipv6: bool) -> Vec<String> {
    let mut names = vec!["127.0.0.1", "localhost"];
    if ipv6 {
        names.push("[::1]");
    }
    let mut out: Vec<String> = names.iter().map(|n| format!("{n}:{port}")).collect();
    if port == 80 {
        out.extend(names.iter().map(|n| (*n).to_string()));
    }
    out
}

/// Whether `authority` (a `Host` header or the authority of an absolute request target) is
/// one of `allowed` (ASCII case-insensitive; a trailing dot of the name is not accepted).
pub fn host_allowed(allowed: &[String], authority: &str) -> bool {
    let authority = authority.trim();
    allowed.iter().any(|a| a.eq_ignore_ascii_case(authority))
}

/// Whether an `Origin` header value is `http://<one of allowed>`.
pub fn origin_allowed(allowed: &[String], origin: &str) -> bool {
    origin
        .trim()
        .strip_prefix("http://")
        .is_some_and(|authority| host_allowed(allowed, authority))
}

/// Whether a `Content-Type` header names JSON (`application/json`, any parameters).
pub fn is_json_content_type(content_type: Option<&str>) -> bool {
    content_type
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
}

/// The checks of one run: its control token and the authorities each origin answers to.
pub struct Guard {
    /// The control token (never printed by `Debug`).
    token: String,
    /// `Host` values the portal origin accepts.
    pub portal_hosts: Vec<String>,
    /// `Host` values the app origin accepts.
    pub app_hosts: Vec<String>,
}

impl std::fmt::Debug for Guard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Guard")
            .field("token", &"<redacted>")
            .field("portal_hosts", &self.portal_hosts)
            .field("app_hosts", &self.app_hosts)
            .finish()
    }
}

impl Guard {
    /// A guard with the given token and allowed authorities.
    pub fn new(token: String, portal_hosts: Vec<String>, app_hosts: Vec<String>) -> Guard {
        Guard {
            token,
            portal_hosts,
            app_hosts,
        }
    }

    /// The control token (for the start-up line only).
    pub fn token(&self) -> &str {
        &self.token
    }

    /// Whether a request's `X-Emulator-Token` value is this run's token.
    pub fn token_ok(&self, given: Option<&str>) -> bool {
        given.is_some_and(|g| same_secret(g.trim(), &self.token))
    }

    /// A 403 answer unless the request carries this run's control token.
    pub fn token_refusal<B>(&self, req: &Request<B>) -> Option<Resp> {
        if self.token_ok(header_text(req, TOKEN_HEADER)) {
            return None;
        }
        Some(http::json_error(
            403,
            "missing or wrong X-Emulator-Token header: send the control_token of the emulator's \
             start-up line",
        ))
    }

    /// A 403 answer when a browser sends the request from a page that is not the portal page
    /// (a cross-site POST); requests without `Origin` (tools, tests) pass.
    pub fn cross_site_refusal<B>(&self, req: &Request<B>) -> Option<Resp> {
        match header_text(req, ORIGIN) {
            None if req.headers().get(ORIGIN).is_none() => None,
            Some(origin) if origin_allowed(&self.portal_hosts, origin) => None,
            _ => Some(http::json_error(
                403,
                "cross-origin request refused: only the portal page may post here",
            )),
        }
    }
}

/// The value of a request header as text (`None` when absent or not text).
pub fn header_text<B, K: AsHeaderName>(req: &Request<B>, name: K) -> Option<&str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

/// A 421 answer unless the request's `Host` header (and the authority of an absolute request
/// target, if any) is one of `allowed`: a page on another name that resolves here (DNS
/// rebinding) is refused. A request naming no host at all is refused too.
pub fn host_refusal<B>(allowed: &[String], req: &Request<B>) -> Option<Resp> {
    let headers = req.headers().get_all(HOST).iter().map(|v| v.to_str().ok());
    let target = req.uri().authority().map(|a| Some(a.as_str()));
    let mut named = headers.chain(target).peekable();
    let ok = named.peek().is_some()
        && named.all(|authority| authority.is_some_and(|a| host_allowed(allowed, a)));
    (!ok).then(|| {
        http::response(
            421,
            "text/plain; charset=utf-8",
            format!(
                "Misdirected Request: the Host header must be one of {} (the emulator refuses \
                 other names, against DNS rebinding)",
                allowed.join(", ")
            ),
        )
    })
}

/// A directory created fresh for this run and removed when dropped.
#[derive(Debug)]
pub struct PrivateTempDir(PathBuf);

impl PrivateTempDir {
    /// Creates `<system temp>/<prefix><32 random hex digits>` with one `mkdir` (it fails
    /// instead of reusing a folder or following a symbolic link someone planted there), readable
    /// and writable by the current user only (mode 0700 on Unix).
    ///
    /// # Errors
    /// A message when no random name can be made or the folder cannot be created.
    pub fn create(prefix: &str) -> Result<PrivateTempDir, String> {
        let base = std::env::temp_dir();
        let mut last_error = String::new();
        // A clash of 128 random bits means something is wrong; a few tries are plenty.
        for _ in 0..4 {
            let dir = base.join(format!("{prefix}{}", random_hex(16)?));
            match create_private_dir(&dir) {
                Ok(()) => return Ok(PrivateTempDir(dir)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    last_error = format!("{}: {e}", dir.display());
                }
                Err(e) => return Err(format!("cannot create {}: {e}", dir.display())),
            }
        }
        Err(format!("cannot create a fresh temp folder: {last_error}"))
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for PrivateTempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    std::fs::DirBuilder::new().mode(0o700).create(dir)?;
    // The umask can only take bits away; set the mode exactly anyway.
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::DirBuilder::new().create(dir)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex() {
        let a = new_control_token().unwrap();
        let b = new_control_token().unwrap();
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn compares_secrets() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abd", "abc"));
        assert!(!same_secret("ab", "abc"));
        assert!(!same_secret("", "abc"));
    }

    #[test]
    fn hosts_and_origins() {
        let allowed = loopback_authorities(8080, true);
        for ok in [
            "localhost:8080",
            "LOCALHOST:8080",
            "127.0.0.1:8080",
            "[::1]:8080",
        ] {
            assert!(host_allowed(&allowed, ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:8080",
            "localhost",
            "localhost:8081",
            "localhost.:8080",
            "127.0.0.2:8080",
            "",
        ] {
            assert!(!host_allowed(&allowed, bad), "{bad}");
        }
        assert!(!host_allowed(
            &loopback_authorities(8080, false),
            "[::1]:8080"
        ));
        assert!(host_allowed(&loopback_authorities(80, false), "localhost"));
        assert!(origin_allowed(&allowed, "http://localhost:8080"));
        assert!(!origin_allowed(&allowed, "http://evil.example"));
        assert!(!origin_allowed(&allowed, "null"));
        assert!(!origin_allowed(&allowed, "https://localhost:8080"));
    }

    #[test]
    fn json_content_types() {
        assert!(is_json_content_type(Some("application/json")));
        assert!(is_json_content_type(Some(
            "Application/JSON; charset=utf-8"
        )));
        assert!(!is_json_content_type(Some("text/plain;charset=UTF-8")));
        assert!(!is_json_content_type(Some(
            "application/x-www-form-urlencoded"
        )));
        assert!(!is_json_content_type(None));
    }

    #[test]
    fn temp_dirs_are_fresh_and_private() {
        let a = PrivateTempDir::create("b24-emulator-unit-").unwrap();
        let b = PrivateTempDir::create("b24-emulator-unit-").unwrap();
        assert_ne!(a.path(), b.path());
        assert!(a.path().is_dir() && b.path().is_dir());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(a.path()).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        let gone = a.path().to_path_buf();
        drop(a);
        assert!(!gone.exists(), "removed on drop");
    }
}
