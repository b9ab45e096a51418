//! The app origin: the uploaded archive's files under `/b1/app_local/<hash>/`, like the
//! Bitrix24 CDN serves a static local app (see bitrix24-frame-protocol.md §4).

use std::path::{Component, Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::config::WasmMime;
use crate::http::{self, Resp};

/// URL prefix of every app file (the hash follows).
pub const PREFIX: &str = "/b1/app_local/";

/// Where the SDK is loaded from in a real static app.
const SDK_URL: &str = "//api.bitrix24.com/api/v1/";

/// The app's files on disk.
#[derive(Debug)]
pub struct AppSite {
    dir: PathBuf,
    hash: String,
    _extracted: Option<TempDir>,
}

impl AppSite {
    /// Opens a directory, or extracts a `.zip` archive with the system `unzip` into a temp dir.
    ///
    /// # Errors
    /// A message when the path does not exist or the archive cannot be extracted.
    pub fn open(app: &Path) -> Result<AppSite, String> {
        let canonical = app
            .canonicalize()
            .map_err(|e| format!("--app {}: {e}", app.display()))?;
        let hash = path_hash(&canonical.to_string_lossy());
        if canonical.is_dir() {
            return Ok(AppSite {
                dir: canonical,
                hash,
                _extracted: None,
            });
        }
        let temp = TempDir::create()?;
        let output = Command::new("unzip")
            .arg("-q")
            .arg("-o")
            .arg(&canonical)
            .arg("-d")
            .arg(temp.path())
            .output()
            .map_err(|e| format!("cannot run unzip: {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "unzip {} failed: {}",
                canonical.display(),
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        Ok(AppSite {
            dir: temp.path().to_path_buf(),
            hash,
            _extracted: Some(temp),
        })
    }

    /// The 32-hex folder name (stable for the same `--app` path).
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// The directory files are served from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// `/b1/app_local/<hash>/`.
    pub fn base_path(&self) -> String {
        format!("{PREFIX}{}/", self.hash)
    }

    /// Whether the archive root has `install.html` (then the app has an installer stage).
    pub fn has_installer(&self) -> bool {
        self.dir.join("install.html").is_file()
    }

    /// Whether the archive root has `index.html` (Bitrix24 rejects archives without it).
    pub fn has_index(&self) -> bool {
        self.dir.join("index.html").is_file()
    }

    /// Answers `GET <path>` on the app origin.
    pub async fn serve(&self, path: &str, options: &ServeOptions) -> Resp {
        let Some(rest) = path.strip_prefix(PREFIX) else {
            return http::not_found();
        };
        let Some(file) = rest
            .strip_prefix(self.hash.as_str())
            .and_then(|r| r.strip_prefix('/'))
        else {
            return http::not_found();
        };
        let Some(relative) = safe_relative(&http::percent_decode(file, false)) else {
            return http::not_found();
        };
        let full = self.dir.join(relative);
        match tokio::fs::metadata(&full).await {
            Ok(meta) if meta.is_file() => {}
            _ => return http::not_found(),
        }
        let Ok(bytes) = tokio::fs::read(&full).await else {
            return http::not_found();
        };
        let content_type = mime_type(&full, options.wasm_mime);
        let mut resp = if content_type.starts_with("text/html") && options.sdk_rewrite {
            let html = String::from_utf8_lossy(&bytes);
            http::response(
                200,
                content_type,
                rewrite_sdk(&html, &options.portal_origin),
            )
        } else {
            http::response(200, content_type, bytes)
        };
        http::set_header(&mut resp, "cache-control", "no-cache");
        resp
    }
}

/// Per-request options of [`AppSite::serve`].
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// `.wasm` content type.
    pub wasm_mime: WasmMime,
    /// Rewrite the SDK URL in HTML.
    pub sdk_rewrite: bool,
    /// `http://localhost:<port>`, the target of the rewrite.
    pub portal_origin: String,
}

/// Replaces the CDN URL of the BX24 SDK with the emulator's stand-in.
pub fn rewrite_sdk(html: &str, portal_origin: &str) -> String {
    let target = format!("{portal_origin}/api/v1/");
    html.replace(&format!("https:{SDK_URL}"), &target)
        .replace(&format!("http:{SDK_URL}"), &target)
        .replace(SDK_URL, &target)
}

/// The `Content-Type` for a file name.
pub fn mime_type(path: &Path, wasm: WasmMime) -> &'static str {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "wasm" => match wasm {
            WasmMime::Wasm => "application/wasm",
            WasmMime::OctetStream => "application/octet-stream",
        },
        "html" | "htm" => http::HTML,
        "js" | "mjs" => http::JAVASCRIPT,
        "css" => "text/css; charset=utf-8",
        "json" | "map" => http::JSON,
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "webp" => "image/webp",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// A relative path with only normal components (no `..`, no root, no empty segments).
fn safe_relative(path: &str) -> Option<PathBuf> {
    if path.is_empty() || path.contains('\\') || path.contains('\0') || path.contains("//") {
        return None;
    }
    let candidate = Path::new(path);
    candidate
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then(|| candidate.to_path_buf())
}

/// 32 hex characters derived from a path (two FNV-1a 64-bit hashes).
pub fn path_hash(path: &str) -> String {
    fn fnv(seed: u64, bytes: &[u8]) -> u64 {
        bytes.iter().fold(seed, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01B3)
        })
    }
    let a = fnv(0xCBF2_9CE4_8422_2325, path.as_bytes());
    let b = fnv(a ^ 0x5BD1_E995_0000_0000, path.as_bytes());
    format!("{a:016x}{b:016x}")
}

/// A directory removed when dropped.
#[derive(Debug)]
struct TempDir(PathBuf);

impl TempDir {
    fn create() -> Result<TempDir, String> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("b24-emulator-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(TempDir(dir))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_escaping_paths() {
        assert!(safe_relative("index.html").is_some());
        assert!(safe_relative("assets/app.js").is_some());
        for bad in [
            "",
            "../x",
            "a/../../x",
            "/etc/passwd",
            "a//b",
            "a\\b",
            "./a",
        ] {
            assert!(safe_relative(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn hash_is_stable_hex() {
        let h = path_hash("/work/dist");
        assert_eq!(h, path_hash("/work/dist"));
        assert_ne!(h, path_hash("/work/dist2"));
        assert_eq!(h.len(), 32);
    }

    #[test]
    fn rewrites_every_sdk_url_form() {
        let html = r#"<script src="//api.bitrix24.com/api/v1/"></script><script src="https://api.bitrix24.com/api/v1/"></script>"#;
        let out = rewrite_sdk(html, "http://localhost:9");
        assert_eq!(
            out,
            r#"<script src="http://localhost:9/api/v1/"></script><script src="http://localhost:9/api/v1/"></script>"#
        );
    }

    #[test]
    fn mime_types() {
        assert_eq!(
            mime_type(Path::new("a_bg.wasm"), WasmMime::Wasm),
            "application/wasm"
        );
        assert_eq!(
            mime_type(Path::new("a_bg.wasm"), WasmMime::OctetStream),
            "application/octet-stream"
        );
        assert_eq!(
            mime_type(Path::new("x.JS"), WasmMime::Wasm),
            http::JAVASCRIPT
        );
    }
}
