//! The app origin: the uploaded archive's files under `/b1/app_local/<hash>/`, like the
//! Bitrix24 CDN serves a static local app (see docs/platform/frame-protocol.md, "Static apps on the
//! CDN").

use std::fs::Metadata;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use crate::config::WasmMime;
use crate::http::{self, Resp};
use crate::security::PrivateTempDir;

/// URL prefix of every app file (the hash follows).
pub const PREFIX: &str = "/b1/app_local/";

/// Where the SDK is loaded from in a real static app.
const SDK_URL: &str = "//api.bitrix24.com/api/v1/";

/// The app's files on disk.
#[derive(Debug)]
pub struct AppSite {
    dir: PathBuf,
    hash: String,
    _extracted: Option<PrivateTempDir>,
}

impl AppSite {
    /// Opens a directory, or extracts a `.zip` archive with the system `unzip` into a fresh
    /// private temp dir (see [`PrivateTempDir`]), removed when the site is dropped.
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
        let temp = PrivateTempDir::create("b24-emulator-")?;
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
        regular_file(&self.dir, Path::new("install.html")).is_ok()
    }

    /// Whether the archive root has `index.html` (Bitrix24 rejects archives without it).
    pub fn has_index(&self) -> bool {
        regular_file(&self.dir, Path::new("index.html")).is_ok()
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
        let dir = self.dir.clone();
        let read = tokio::task::spawn_blocking({
            let relative = relative.clone();
            move || read_regular_file(&dir, &relative)
        })
        .await;
        let bytes = match read {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(Refusal::Link)) => {
                return http::response(
                    403,
                    "text/plain; charset=utf-8",
                    "Forbidden: this path is a symbolic link or lies under one; the emulator \
                     serves only regular files inside the app folder",
                )
            }
            Ok(Err(Refusal::Missing)) | Err(_) => return http::not_found(),
        };
        let content_type = mime_type(&relative, options.wasm_mime);
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

/// Why a file is not served.
#[derive(Debug, PartialEq)]
enum Refusal {
    /// Missing, a directory, a device, or unreadable.
    Missing,
    /// The file or one of its parent folders (inside the app folder) is a symbolic link.
    Link,
}

/// The metadata of `root/relative` when it is a regular file and neither it nor any folder
/// between `root` and it is a symbolic link (checked with `lstat`, component by component).
fn regular_file(root: &Path, relative: &Path) -> Result<Metadata, Refusal> {
    let mut current = root.to_path_buf();
    let mut components = relative.components().peekable();
    while let Some(component) = components.next() {
        if !matches!(component, Component::Normal(_)) {
            return Err(Refusal::Missing);
        }
        current.push(component);
        let meta = std::fs::symlink_metadata(&current).map_err(|_| Refusal::Missing)?;
        if meta.file_type().is_symlink() {
            return Err(Refusal::Link);
        }
        let last = components.peek().is_none();
        if (last && !meta.is_file()) || (!last && !meta.is_dir()) {
            return Err(Refusal::Missing);
        }
    }
    std::fs::symlink_metadata(&current).map_err(|_| Refusal::Missing)
}

/// Reads `root/relative` if [`regular_file`] allows it, and only if the file opened is the
/// one checked (same device and inode on Unix, so a swap for a link in between is caught).
fn read_regular_file(root: &Path, relative: &Path) -> Result<Vec<u8>, Refusal> {
    let checked = regular_file(root, relative)?;
    let full = root.join(relative);
    let mut file = std::fs::File::open(&full).map_err(|_| Refusal::Missing)?;
    let opened = file.metadata().map_err(|_| Refusal::Missing)?;
    if !opened.is_file() || !same_file(&checked, &opened) {
        return Err(Refusal::Link);
    }
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(|_| Refusal::Missing)?;
    Ok(bytes)
}

#[cfg(unix)]
fn same_file(a: &Metadata, b: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(a: &Metadata, b: &Metadata) -> bool {
    a.len() == b.len()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
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

    #[cfg(unix)]
    #[test]
    fn refuses_symlinked_files_and_folders() {
        use crate::security::PrivateTempDir;
        use std::os::unix::fs::symlink;
        let outside = PrivateTempDir::create("b24-emulator-unit-outside-").unwrap();
        std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
        let root = PrivateTempDir::create("b24-emulator-unit-site-").unwrap();
        let dir = root.path();
        std::fs::create_dir(dir.join("assets")).unwrap();
        std::fs::write(dir.join("assets/app.js"), "ok").unwrap();
        symlink(outside.path().join("secret.txt"), dir.join("leak.txt")).unwrap();
        symlink(outside.path(), dir.join("linked")).unwrap();
        symlink(dir.join("assets/app.js"), dir.join("inner.js")).unwrap();
        assert_eq!(
            read_regular_file(dir, Path::new("assets/app.js")).unwrap(),
            b"ok"
        );
        for (path, why) in [
            ("leak.txt", Refusal::Link),
            ("linked/secret.txt", Refusal::Link),
            ("inner.js", Refusal::Link),
            ("assets", Refusal::Missing),
            ("nope.js", Refusal::Missing),
        ] {
            assert_eq!(read_regular_file(dir, Path::new(path)), Err(why), "{path}");
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
