//! Start-up configuration of the emulator (what the command line produces).

use std::path::PathBuf;

use crate::knobs::{Knobs, PortalAction};

/// The `Content-Type` the app origin sends for `.wasm` files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WasmMime {
    /// `application/wasm` (what streaming compilation needs).
    Wasm,
    /// `application/octet-stream` (what an unconfigured CDN may send).
    OctetStream,
}

/// Everything [`crate::serve`] needs to start.
#[derive(Clone, Debug)]
pub struct Config {
    /// The app: a directory (e.g. trunk's `dist/`) or a `.zip` archive with `index.html` at its root.
    pub app: PathBuf,
    /// Port of the portal origin `http://localhost:<port>`; 0 picks a free port.
    pub portal_port: u16,
    /// Port of the app origin `http://127.0.0.1:<port>`; 0 picks a free port.
    pub app_port: u16,
    /// Number of tasks the portal starts with.
    pub tasks: usize,
    /// Seed of the generated portal data; `None` keeps the portal model's default.
    pub seed: Option<u64>,
    /// Generated IDs without holes (`--dense-ids true`; the same tasks otherwise).
    pub dense_ids: bool,
    /// Default interface language of the portal page (`lang` query parameter overrides it).
    pub lang: String,
    /// Lifetime of access tokens in seconds.
    pub token_lifetime_s: u64,
    /// Operating (resource) limit per method in seconds per 10 minutes; 0 = off.
    pub operating_limit_s: f64,
    /// `.wasm` content type on the app origin.
    pub wasm_mime: WasmMime,
    /// Rewrite `//api.bitrix24.com/api/v1/` in served HTML to the emulator's own SDK stand-in.
    pub sdk_rewrite: bool,
    /// Seed of the fault decisions (same seed + same request sequence = same faults).
    pub fault_seed: u64,
    /// Initial knob values.
    pub knobs: Knobs,
    /// Portal actions to run at start (`--block-method`, `--disable-method`).
    pub start_actions: Vec<PortalAction>,
}

impl Config {
    /// The defaults of the command line for the given app.
    pub fn new(app: impl Into<PathBuf>) -> Config {
        Config {
            app: app.into(),
            portal_port: 8080,
            app_port: 8081,
            tasks: 1000,
            seed: None,
            dense_ids: false,
            lang: "en".to_string(),
            token_lifetime_s: 3600,
            operating_limit_s: 480.0,
            wasm_mime: WasmMime::Wasm,
            sdk_rewrite: false,
            fault_seed: 1,
            knobs: Knobs::default(),
            start_actions: Vec::new(),
        }
    }
}
