//! State shared by all connections: the portal model and the emulator's own run-time state.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, MutexGuard};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use b24_portal::Portal;
use serde_json::{Map, Value};
use tokio::sync::watch;

use crate::app_site::AppSite;
use crate::config::WasmMime;
use crate::knobs::Knobs;
use crate::prng::Prng;
use crate::ratelimit::LeakyBucket;
use crate::security::Guard;
use crate::stats::Stats;

/// Everything the request handlers share.
pub struct Shared {
    /// The portal model (single-threaded; never hold the lock across a sleep).
    pub portal: Mutex<Portal>,
    /// Knobs, counters, options, install state.
    pub rt: Mutex<Runtime>,
    /// Fixed facts about this server.
    pub info: Info,
    /// The app's files.
    pub site: AppSite,
    /// Control token and allowed `Host` values of this run.
    pub guard: Guard,
    /// Becomes `true` when the server shuts down (ends held "hang" requests).
    pub shutdown: watch::Receiver<bool>,
}

/// Mutable emulator state (not part of the portal model).
pub struct Runtime {
    /// Current knob values.
    pub knobs: Knobs,
    /// Generator of fault decisions (seeded by `--fault-seed`).
    pub fault_prng: Prng,
    /// Generator of APP_SIDs (kept apart so page loads do not shift fault decisions).
    pub sid_prng: Prng,
    /// Request-rate limit state.
    pub bucket: LeakyBucket,
    /// Counters and logs.
    pub stats: Stats,
    /// The app finished its installer stage (`setInstallFinish`).
    pub installed: bool,
    /// Users who sent `setInstall` (their FIRST_RUN is false).
    pub first_run_done: BTreeSet<u64>,
    /// Per-user options (`BX24.userOption`).
    pub user_options: BTreeMap<u64, Map<String, Value>>,
    /// Application options (`BX24.appOption`).
    pub app_options: Map<String, Value>,
}

/// Facts fixed at start-up.
#[derive(Clone, Debug)]
pub struct Info {
    /// `http://localhost:<portal port>`.
    pub portal_origin: String,
    /// `localhost:<portal port>` (the portal's DOMAIN).
    pub domain: String,
    /// `http://127.0.0.1:<app port>`.
    pub app_origin: String,
    /// `http://127.0.0.1:<app port>/b1/app_local/<hash>/`.
    pub app_base_url: String,
    /// The incoming webhook's base URL.
    pub webhook_url: String,
    /// Default interface language.
    pub lang: String,
    /// `.wasm` content type.
    pub wasm_mime: WasmMime,
    /// Rewrite the SDK URL in served HTML.
    pub sdk_rewrite: bool,
    /// The admin user's id.
    pub admin_user_id: u64,
    /// `subcall_cost_ms` the portal model was built with.
    pub initial_subcall_cost_ms: u64,
    /// When the server started.
    pub started: Instant,
}

/// Locks a mutex, recovering the data if a previous holder panicked.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// Seconds since the Unix epoch.
pub fn now_unix_s() -> i64 {
    i64::try_from(now_ms() / 1000).unwrap_or(i64::MAX)
}

/// Resolves once the server shuts down (or the sender is gone).
pub async fn shutting_down(mut rx: watch::Receiver<bool>) {
    // The guard returned by `wait_for` is dropped here, keeping callers' futures `Send`.
    let _ = rx.wait_for(|down| *down).await.is_ok();
}
