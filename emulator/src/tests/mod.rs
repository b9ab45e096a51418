//! End-to-end tests of the emulator over real TCP: the server runs in-process on free ports.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_origin;
mod client;
mod dates;
mod faults;
mod portal_origin;
mod rest_api;
mod security;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::Value;

use crate::config::Config;
use crate::knobs::BucketMode;
use crate::server::{serve, Handles};
use client::Req;

/// A throw-away app directory, removed on drop.
pub struct AppDir(PathBuf);

impl AppDir {
    /// `index.html` (loading the SDK from the CDN URL), a fake wasm file, a nested JS file,
    /// and `install.html` when asked.
    pub fn new(with_installer: bool) -> AppDir {
        static N: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir().join(format!(
            "b24-emulator-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(dir.join("assets")).unwrap();
        std::fs::write(dir.join("index.html"), INDEX_HTML).unwrap();
        std::fs::write(dir.join("app_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
        std::fs::write(dir.join("assets/app.js"), "console.log('app');").unwrap();
        if with_installer {
            std::fs::write(dir.join("install.html"), "<html>installer</html>").unwrap();
        }
        AppDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for AppDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub const INDEX_HTML: &str =
    "<!DOCTYPE html><html><head><script src=\"//api.bitrix24.com/api/v1/\"></script></head><body>report</body></html>";

/// A running server and its app directory.
pub struct Running {
    pub h: Handles,
    pub _app: Option<AppDir>,
}

impl Running {
    pub fn portal(&self) -> u16 {
        self.h.portal_port
    }

    pub fn app(&self) -> u16 {
        self.h.app_port
    }

    /// `/b1/app_local/<hash>/` (path part of the app URL).
    pub fn app_path(&self) -> String {
        let origin = format!("http://127.0.0.1:{}", self.app());
        self.h.app_url.trim_start_matches(&origin).to_string()
    }

    /// Renders the portal page and returns its injected configuration.
    pub async fn page_config(&self, query: &str) -> Value {
        let target = format!("/{query}");
        let reply = Req::get(self.portal(), &target).send().await.unwrap();
        assert_eq!(reply.status, 200, "{}", reply.text());
        page_config_of(&reply.text())
    }

    /// A fresh access token of the admin (from the portal page).
    pub async fn token(&self) -> String {
        let config = self.page_config("").await;
        config["auth"]["AUTH_ID"].as_str().unwrap().to_string()
    }

    pub async fn stats(&self) -> Value {
        Req::get(self.portal(), "/__stats")
            .send()
            .await
            .unwrap()
            .json()
    }

    pub async fn control(&self, body: &str) -> client::Reply {
        Req::post(self.portal(), "/__control", "application/json", body)
            .header("X-Emulator-Token", &self.h.control_token)
            .send()
            .await
            .unwrap()
    }

    /// `GET <target>` on the portal origin with this run's control token.
    pub async fn get_with_token(&self, target: &str) -> client::Reply {
        Req::get(self.portal(), target)
            .header("X-Emulator-Token", &self.h.control_token)
            .send()
            .await
            .unwrap()
    }

    /// One `task.item.list` call without parameters (its first page).
    pub async fn list(&self, token: &str) -> client::Reply {
        Req::post(
            self.portal(),
            "/rest/task.item.list.json",
            "text/plain",
            format!("auth={token}"),
        )
        .send()
        .await
        .unwrap()
    }

    /// A batch of `task.item.list` pages, as the app sends it through the v1 SDK.
    pub async fn batch(&self, token: &str) -> Result<client::Reply, client::Failure> {
        Req::post(
            self.portal(),
            "/rest/batch.json",
            "text/plain;charset=UTF-8",
            batch_body(token),
        )
        .send()
        .await
    }
}

/// `auth=…&halt=0&cmd[p0]=task.item.list?…&cmd[p1]=…` (ORDER, FILTER, PARAMS, SELECT positional).
pub fn batch_body(token: &str) -> String {
    let page = |start: u32| {
        let query = format!(
            "ORDER[ID]=desc&FILTER[>ID]=0&PARAMS[NAV_PARAMS][nPageSize]=50&PARAMS[NAV_PARAMS][iNumPage]={}&SELECT[0]=ID&SELECT[1]=TITLE",
            start / 50 + 1
        );
        urlencode(&format!("task.item.list?{query}"))
    };
    format!(
        "auth={token}&halt=0&cmd[p0]={}&cmd[p1]={}",
        page(0),
        page(50)
    )
}

/// Percent-encodes everything but unreserved characters (like `encodeURIComponent`).
pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'!'
            | b'~'
            | b'*'
            | b'\''
            | b'('
            | b')' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The `window.__B24_PORTAL__` object of a rendered portal page (the template may mention the
/// script in a comment, so take the occurrence that parses).
pub fn page_config_of(html: &str) -> Value {
    const START: &str = "<script>window.__B24_PORTAL__ = ";
    html.match_indices(START)
        .find_map(|(at, _)| {
            let rest = &html[at + START.len()..];
            let end = rest.find(";</script>")?;
            serde_json::from_str(&rest[..end]).ok()
        })
        .expect("config script injected")
}

/// Test defaults: free ports, a small portal, no rate limit (tests that need it turn it on).
pub fn config(app: &Path) -> Config {
    let mut c = Config::new(app);
    c.portal_port = 0;
    c.app_port = 0;
    c.tasks = 120;
    c.knobs.bucket = BucketMode::Off;
    c
}

/// Starts a server for a fresh app directory, after `tune` adjusted the config.
pub async fn start(with_installer: bool, tune: impl FnOnce(&mut Config)) -> Running {
    let app = AppDir::new(with_installer);
    let mut c = config(app.path());
    tune(&mut c);
    let h = serve(c).await.unwrap();
    Running { h, _app: Some(app) }
}

/// A zip archive with the given files, "stored" (no compression), written by hand so the test
/// does not depend on a `zip` program.
pub fn stored_zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    stored_zip_with_links(files, &[])
}

/// Like [`stored_zip`], plus Unix symbolic links `(name, target)` (as `zip --symlinks` stores
/// them: the target is the entry's data, the mode in the external attributes says "link").
pub fn stored_zip_with_links(files: &[(&str, &[u8])], links: &[(&str, &str)]) -> Vec<u8> {
    const UNIX_LINK_ATTRS: u32 = 0o120_777 << 16;
    let entries = files.iter().map(|(name, data)| (*name, *data, None)).chain(
        links
            .iter()
            .map(|(name, target)| (*name, target.as_bytes(), Some(UNIX_LINK_ATTRS))),
    );
    let mut out = Vec::new();
    let mut central = Vec::new();
    let mut count = 0u16;
    for (name, data, link_attrs) in entries {
        count += 1;
        let offset = u32::try_from(out.len()).unwrap();
        let crc = crc32(data);
        let size = u32::try_from(data.len()).unwrap();
        let name_len = u16::try_from(name.len()).unwrap();
        let mut fields = Vec::new();
        fields.extend_from_slice(&20u16.to_le_bytes()); // version needed
        fields.extend_from_slice(&0u16.to_le_bytes()); // flags
        fields.extend_from_slice(&0u16.to_le_bytes()); // stored
        fields.extend_from_slice(&0u16.to_le_bytes()); // time
        fields.extend_from_slice(&0x21u16.to_le_bytes()); // date 1980-01-01
        fields.extend_from_slice(&crc.to_le_bytes());
        fields.extend_from_slice(&size.to_le_bytes());
        fields.extend_from_slice(&size.to_le_bytes());
        fields.extend_from_slice(&name_len.to_le_bytes());
        fields.extend_from_slice(&0u16.to_le_bytes()); // extra length
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&fields);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        // "Made by" Unix (3) when the entry carries a Unix mode, else MS-DOS (0).
        let made_by: u16 = if link_attrs.is_some() { 0x0314 } else { 20 };
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&made_by.to_le_bytes());
        central.extend_from_slice(&fields);
        central.extend_from_slice(&[0u8; 6]); // comment len, disk, internal attrs
        central.extend_from_slice(&link_attrs.unwrap_or(0).to_le_bytes()); // external attrs
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let central_offset = u32::try_from(out.len()).unwrap();
    let central_size = u32::try_from(central.len()).unwrap();
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0u8; 4]); // disk numbers
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&central_size.to_le_bytes());
    out.extend_from_slice(&central_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // comment length
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for byte in data {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn crc32_known_value() {
    assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
}
