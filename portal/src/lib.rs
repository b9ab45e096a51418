//! `b24-portal`: a pure, deterministic model of a Bitrix24 cloud portal's REST API for tasks.
//!
//! Used by the local emulator (an HTTP server around [`Portal::handle`]) and by the app's
//! in-browser demo mode (wasm32: no clocks, threads, files or OS randomness here — time comes
//! in with every request, randomness from a seeded generator).
//!
//! Modelled (see `docs/platform/`: `task-list.md`, `batch.md`, `errors.md`, `rest-answers.md`,
//! `limits-and-paging.md`, `frame-protocol.md`):
//! request decoding with PHP `parse_str` semantics, the order of checks (404 → unsupported →
//! auth → scope → leaky bucket → operating limit), `task.item.list` (+ aliases) with positional
//! parameters, paging, filters, meta statuses and rows, `tasks.task.list`, `batch` with
//! `$result[…]` references, `user.current`, `app.info`, `profile`, `scope`, and a generated
//! dataset. The answer shapes are the documented ones (docs/platform/rest-answers.md), pinned
//! by `tests/documented_shapes.rs`.
//!
//! Every answer is JSON, including errors. Real methods that are not modelled answer
//! 400 `EMULATOR_UNSUPPORTED` naming the method or feature instead of a wrong answer.

mod auth;
mod batch;
mod call;
pub mod clock;
mod dataset;
mod filter;
mod info;
pub mod limits;
mod methods;
mod order;
pub mod php;
pub mod querystring;
mod request;
mod response;
pub mod rng;
mod rows;
mod sonet_group;
mod store;
mod task_list;
mod tasks_task_list;

use std::collections::BTreeSet;

use auth::{Principal, TokenStore};
use call::{ApiError, CallOk};
use clock::TimeInfo;
use limits::{LeakyBucket, OperatingLimits};
use methods::{Lookup, Method};
use php::{PhpArray, PhpValue};
use rng::Rng;
use store::Store;

pub use dataset::{project, user, Project, User, PROJECTS, USERS};

/// Leaky-bucket parameters of the request-rate limit (docs/platform/limits-and-paging.md,
/// "Rate and volume"): the numbers the app paces itself by, shared through `b24-prims`.
pub use b24_prims::BucketRates as Bucket;

/// An incoming webhook: `/rest/<user_id>/<secret>/<method>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Webhook {
    /// The user the webhook acts as.
    pub user_id: u64,
    /// The secret path segment.
    pub secret: String,
    /// Granted scopes, e.g. `["task", "user"]`.
    pub scopes: Vec<String>,
}

/// Portal settings.
#[derive(Clone, Debug, PartialEq)]
pub struct PortalConfig {
    /// Dataset seed (default 1).
    pub seed: u64,
    /// Number of tasks to generate (default 1000), up to 1 000 000.
    pub tasks: usize,
    /// Portal host including port (default `localhost:8080`).
    pub domain: String,
    /// 32-hex member id (default derived from the seed).
    pub member_id: String,
    /// The administrator, who sees every task (default 1).
    pub admin_user_id: u64,
    /// Access token lifetime in seconds (default 3600).
    pub token_lifetime_s: u64,
    /// Request-rate limit; `None` = off (default [`Bucket::STANDARD`]).
    pub bucket: Option<Bucket>,
    /// Per-method 10-minute operating budget in seconds; `None` = off (default 480).
    pub operating_limit_s: Option<f64>,
    /// Simulated server time per (sub-)call in ms, reported in `time.processing` and counted
    /// for the operating limit (default 0).
    pub subcall_cost_ms: u64,
    /// Incoming webhooks (default: user 1, secret `emulatorsecret0001`, scopes task + user).
    pub webhooks: Vec<Webhook>,
    /// "Now" of the dataset generator, Unix s (deadlines past/soon/none are relative to it).
    pub reference_unix_s: i64,
    /// Scopes granted to the app's OAuth tokens (default [`APP_SCOPES`]); an app installed
    /// without `task` gets `insufficient_scope` from the task methods.
    pub app_scopes: Vec<String>,
    /// The portal's UTC offset in seconds (default +03:00, Moscow): task dates are written in
    /// it (`2025-10-24T19:00:00+03:00`), FILTER dates without an offset are read in it, and
    /// the generated deadlines fall on its local days (docs/platform/task-list.md, "Value
    /// types"). Within [`clock::UTC_OFFSET_RANGE_S`].
    pub utc_offset_s: i32,
    /// IDs without holes (default false: the generated IDs skip some numbers, as tasks
    /// deleted long ago leave them). Only the IDs change; every other field is the same.
    pub dense_ids: bool,
}

/// The default reference time: 2026-01-01T00:00:00Z.
pub const DEFAULT_REFERENCE_UNIX_S: i64 = 1_767_225_600;

/// The member id derived from a seed (32 lower-case hex characters).
pub fn member_id_for_seed(seed: u64) -> String {
    rng::hex(&mut Rng::new(seed ^ 0x3E3B_E41D), 32)
}

impl Default for PortalConfig {
    fn default() -> PortalConfig {
        PortalConfig {
            seed: 1,
            tasks: 1000,
            domain: "localhost:8080".into(),
            member_id: member_id_for_seed(1),
            admin_user_id: 1,
            token_lifetime_s: 3600,
            bucket: Some(Bucket::STANDARD),
            operating_limit_s: Some(480.0),
            subcall_cost_ms: 0,
            webhooks: vec![Webhook {
                user_id: 1,
                secret: "emulatorsecret0001".into(),
                scopes: vec!["task".into(), "user".into()],
            }],
            reference_unix_s: DEFAULT_REFERENCE_UNIX_S,
            app_scopes: APP_SCOPES.iter().map(|s| (*s).to_string()).collect(),
            utc_offset_s: clock::DEFAULT_UTC_OFFSET_S,
            dense_ids: false,
        }
    }
}

/// Tokens handed to the app (what `getInitData` / `refreshAuth` deliver).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthTokens {
    /// `AUTH_ID`.
    pub access_token: String,
    /// `REFRESH_ID`.
    pub refresh_token: String,
    /// `AUTH_EXPIRES` in seconds.
    pub expires_in_s: u64,
    /// `MEMBER_ID`.
    pub member_id: String,
    /// The user the tokens belong to.
    pub user_id: u64,
}

/// One HTTP request to the REST endpoint.
#[derive(Clone, Copy, Debug)]
pub struct RestRequest<'a> {
    /// URL path, e.g. `/rest/batch.json` or `/rest/1/<secret>/task.item.list.json`.
    pub path: &'a str,
    /// Raw URL query string (may be empty).
    pub query: &'a str,
    /// `Content-Type` header.
    pub content_type: Option<&'a str>,
    /// Raw `Authorization` header (`Bearer <token>`).
    pub authorization: Option<&'a str>,
    /// Request body.
    pub body: &'a [u8],
    /// Wall-clock time, Unix ms.
    pub now_ms: u64,
}

/// The portal's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestResponse {
    /// HTTP status.
    pub status: u16,
    /// JSON body (always JSON, errors included).
    pub body: String,
    /// Sub-calls run by a `batch` (0 for a single call).
    pub subcalls: u32,
    /// Simulated server time of the whole request, ms.
    pub processing_ms: u64,
    /// The error codes the answer carries, in order: a failed single call's `error`, or the
    /// `error` of each failed `batch` command (`result_error`, HTTP 200). Empty on success.
    pub errors: Vec<String>,
}

/// The default scopes granted to OAuth tokens issued by [`Portal::issue_auth`]
/// ([`PortalConfig::app_scopes`]).
pub const APP_SCOPES: [&str; 2] = ["task", "user"];

/// The portal model.
#[derive(Clone, Debug)]
pub struct Portal {
    config: PortalConfig,
    store: Store,
    tokens: TokenStore,
    bucket: LeakyBucket,
    operating: OperatingLimits,
    disabled: BTreeSet<String>,
    rng: Rng,
}

/// Everything a method needs to answer one call.
pub(crate) struct Ctx<'a> {
    pub(crate) store: &'a Store,
    pub(crate) config: &'a PortalConfig,
    pub(crate) principal: &'a Principal,
    pub(crate) now_ms: u64,
}

impl Ctx<'_> {
    pub(crate) fn now_s(&self) -> i64 {
        (self.now_ms / 1000) as i64
    }
    pub(crate) fn caller(&self) -> u64 {
        self.principal.user_id
    }
    pub(crate) fn caller_is_admin(&self) -> bool {
        self.principal.user_id == self.store.admin
    }
    /// `date('c', unix_s)` in the portal's offset, as every task date is written (for the
    /// methods that print dates).
    pub(crate) fn iso(&self, unix_s: i64) -> String {
        clock::iso_in(unix_s, self.store.offset_s)
    }
}

/// Runs one emulated, non-batch method.
pub(crate) fn dispatch(
    m: Method,
    params: &PhpArray,
    start: Option<&PhpValue>,
    ctx: &Ctx<'_>,
) -> Result<CallOk, ApiError> {
    match m {
        Method::TaskItemList(name) => task_list::run(name, params, start, ctx),
        Method::TasksTaskList => tasks_task_list::run(params, start, ctx),
        Method::UserCurrent => Ok(info::user_current(ctx)),
        Method::AppInfo => info::app_info(ctx),
        Method::Profile => Ok(info::profile(ctx)),
        Method::ServerTime => Ok(CallOk::json(serde_json::Value::String(
            ctx.iso(ctx.now_s()),
        ))),
        Method::Scope => info::scope(params, ctx),
        Method::SonetGroupGet => sonet_group::get(params, start, ctx),
        Method::Batch => Err(ApiError::new(
            400,
            "ERROR_BATCH_METHOD_NOT_ALLOWED",
            "Method is not allowed for batch usage",
        )),
    }
}

impl Portal {
    /// A portal with a generated dataset.
    pub fn new(config: PortalConfig) -> Portal {
        let n = config.tasks.min(1_000_000);
        let offset_s = config.utc_offset_s.clamp(
            *clock::UTC_OFFSET_RANGE_S.start(),
            *clock::UTC_OFFSET_RANGE_S.end(),
        );
        let clock = dataset::Clock {
            now_s: config.reference_unix_s,
            offset_s,
        };
        let tasks = dataset::generate(
            n,
            config.seed,
            &clock,
            config.admin_user_id,
            config.dense_ids,
        );
        Portal {
            store: Store::new(tasks, config.admin_user_id, offset_s),
            tokens: TokenStore::new(config.seed),
            bucket: LeakyBucket::default(),
            operating: OperatingLimits::default(),
            disabled: BTreeSet::new(),
            rng: Rng::new(config.seed ^ 0x1D5E_7A5C),
            config,
        }
    }

    /// The settings.
    pub fn config(&self) -> &PortalConfig {
        &self.config
    }

    /// Answers one REST request (every answer, errors included, has a JSON body).
    pub fn handle(&mut self, req: &RestRequest<'_>) -> RestResponse {
        match self.handle_inner(req) {
            Ok(r) => r,
            Err(e) => response::error(&e),
        }
    }

    fn authenticate(&self, d: &request::Decoded, now_ms: u64) -> Result<Principal, ApiError> {
        match &d.webhook {
            Some((user, secret)) => {
                let hook = auth::check_webhook(&self.config.webhooks, user, secret)?;
                Ok(Principal {
                    user_id: hook.user_id,
                    scopes: hook.scopes.clone(),
                    webhook: true,
                    client: format!("hook:{}:{}", hook.user_id, hook.secret),
                })
            }
            None => {
                let user_id = self.tokens.check(d.token.as_deref(), now_ms)?;
                Ok(Principal {
                    user_id,
                    scopes: self.config.app_scopes.clone(),
                    webhook: false,
                    client: "app".into(),
                })
            }
        }
    }

    /// Resolves a method name, honouring [`Portal::disable_method`].
    pub(crate) fn resolve(&self, name: &str) -> Result<Method, ApiError> {
        if self.disabled.contains(name) {
            return Err(ApiError::method_not_found());
        }
        match methods::lookup(name) {
            Lookup::Found(m) => Ok(m),
            Lookup::NotFound => Err(ApiError::method_not_found()),
            Lookup::Unsupported => Err(ApiError::unsupported(format!(
                "Method '{name}' is not emulated by b24-portal"
            ))),
        }
    }

    fn handle_inner(&mut self, req: &RestRequest<'_>) -> Result<RestResponse, ApiError> {
        let Some(d) = request::decode(req) else {
            return Err(ApiError::method_not_found());
        };
        // Method lookup (404) comes before auth (docs/platform/errors.md, "The error answer").
        let m = self.resolve(&d.method)?;
        let principal = self.authenticate(&d, req.now_ms)?;
        principal.check_scope(methods::scope(m))?;
        if let Some(b) = self.config.bucket {
            if !self.bucket.admit(&b, req.now_ms) {
                return Err(ApiError::new(
                    503,
                    "QUERY_LIMIT_EXCEEDED",
                    "Too many requests",
                ));
            }
        }
        self.store.prepare(principal.user_id);
        if m == Method::Batch {
            return Ok(self.run_batch(&principal, &d.params, req.now_ms));
        }
        Ok(self.run_single(m, &d, &principal, req.now_ms))
    }

    /// A non-batch call: operating limit, dispatch, accounting, envelope.
    fn run_single(
        &mut self,
        m: Method,
        d: &request::Decoded,
        principal: &Principal,
        now_ms: u64,
    ) -> RestResponse {
        let (result, time) =
            self.counted_call(m, &d.method, &d.params, d.start.as_ref(), principal, now_ms);
        let processing_ms = time.processing_ms;
        let mut resp = match result {
            Ok(ok) => response::success(&ok, &time, &self.store),
            // The documented error answer has no `time` (docs/platform/errors.md).
            Err(e) => response::error(&e),
        };
        resp.processing_ms = processing_ms;
        resp
    }

    /// One call counted against the operating limit of `name` (also used per batch sub-call).
    pub(crate) fn counted_call(
        &mut self,
        m: Method,
        name: &str,
        params: &PhpArray,
        start: Option<&PhpValue>,
        principal: &Principal,
        now_ms: u64,
    ) -> (Result<CallOk, ApiError>, TimeInfo) {
        let now_s = (now_ms / 1000) as i64;
        if let Err(op) = self.operating.check(
            &principal.client,
            name,
            now_s,
            self.config.operating_limit_s,
        ) {
            let time = TimeInfo {
                start_ms: now_ms,
                processing_ms: 0,
                operating_reset_at: op.reset_at,
                operating: op.used_s,
            };
            return (
                Err(ApiError::new(
                    429,
                    "OPERATION_TIME_LIMIT",
                    "Method is blocked due to operation time limit.",
                )),
                time,
            );
        }
        let ctx = Ctx {
            store: &self.store,
            config: &self.config,
            principal,
            now_ms,
        };
        let result = dispatch(m, params, start, &ctx);
        let cost = self.config.subcall_cost_ms;
        self.operating
            .record(&principal.client, name, now_s, cost as f64 / 1000.0);
        let st = self.operating.state(&principal.client, name, now_s);
        let time = TimeInfo {
            start_ms: now_ms,
            processing_ms: cost,
            operating_reset_at: st.reset_at,
            operating: st.used_s,
        };
        (result, time)
    }

    /// Issues tokens for `user_id` (the portal page's `getInitData`).
    pub fn issue_auth(&mut self, user_id: u64, now_ms: u64) -> AuthTokens {
        self.tokens.issue(
            user_id,
            now_ms,
            self.config.token_lifetime_s,
            &self.config.member_id,
        )
    }

    /// Exchanges a refresh token (the parent's `refreshAuth`); `None` if unknown or used.
    pub fn refresh_auth(&mut self, refresh_token: &str, now_ms: u64) -> Option<AuthTokens> {
        self.tokens.refresh(
            refresh_token,
            now_ms,
            self.config.token_lifetime_s,
            &self.config.member_id,
        )
    }

    /// Every access token issued so far expires now (refresh tokens stay valid).
    pub fn expire_tokens(&mut self) {
        self.tokens.expire_all();
    }

    fn clock_at(&self, now_ms: u64) -> dataset::Clock {
        dataset::Clock {
            now_s: (now_ms / 1000) as i64,
            offset_s: self.store.offset_s,
        }
    }

    /// Adds `n` new tasks above the current maximum ID, created (CREATED_DATE and
    /// CHANGED_DATE) at `now_ms`; returns their IDs.
    pub fn insert_tasks(&mut self, n: usize, now_ms: u64) -> Vec<u64> {
        let clock = self.clock_at(now_ms);
        let ids = dataset::append(
            &mut self.store.tasks,
            &mut self.rng,
            n,
            &clock,
            self.config.admin_user_id,
        );
        self.store.invalidate();
        ids
    }

    /// Edits `n` deterministic pseudo-random existing tasks at `now_ms` (title, status,
    /// deadline, time spent, as people do); their CHANGED_DATE moves to now. Returns their
    /// IDs, ascending (fewer when the portal has fewer tasks).
    pub fn update_tasks(&mut self, n: usize, now_ms: u64) -> Vec<u64> {
        let clock = self.clock_at(now_ms);
        let len = self.store.tasks.len();
        let mut chosen = BTreeSet::new();
        let mut picked: Vec<usize> = Vec::new();
        for _ in 0..n.min(len) {
            // Distinct tasks, spread over the whole ID range.
            let mut i = self.rng.below(len as u64) as usize;
            while !chosen.insert(i) {
                i = (i + 1) % len;
            }
            picked.push(i);
        }
        for &i in &picked {
            if let Some(t) = self.store.tasks.get_mut(i) {
                dataset::update(t, &mut self.rng, &clock);
            }
        }
        // Visibility depends on people, which an update keeps: the cache stays valid.
        let mut ids: Vec<u64> = picked
            .iter()
            .filter_map(|&i| self.store.tasks.get(i).map(|t| t.id))
            .collect();
        ids.sort_unstable();
        ids
    }

    /// The portal's UTC offset in seconds ([`PortalConfig::utc_offset_s`]).
    pub fn utc_offset_s(&self) -> i32 {
        self.store.offset_s
    }

    /// Moves the portal to another UTC offset (an administrator changing the portal's time
    /// zone): the same instants are written in the new offset from the next answer on.
    ///
    /// # Errors
    /// An offset outside [`clock::UTC_OFFSET_RANGE_S`] (nothing changes).
    pub fn set_utc_offset(&mut self, offset_s: i32) -> Result<(), String> {
        if !clock::UTC_OFFSET_RANGE_S.contains(&offset_s) {
            return Err(format!(
                "UTC offset {} is outside -12:00..+14:00",
                clock::format_offset(offset_s)
            ));
        }
        self.store.offset_s = offset_s;
        self.config.utc_offset_s = offset_s;
        Ok(())
    }

    /// Deletes `n` deterministic pseudo-random existing tasks; returns their IDs (descending).
    pub fn delete_tasks(&mut self, n: usize) -> Vec<u64> {
        let mut ids = Vec::new();
        for _ in 0..n {
            let len = self.store.tasks.len() as u64;
            if len == 0 {
                break;
            }
            let i = self.rng.below(len) as usize;
            ids.push(self.store.tasks.remove(i).id);
        }
        self.store.invalidate();
        ids.sort_unstable_by(|a, b| b.cmp(a));
        ids
    }

    /// Takes `n` tasks that `user_id` sees away from them (access revoked, project left),
    /// spread over their ID range by `seed`, without touching CHANGED_DATE. Returns the IDs,
    /// ascending (fewer when the user sees fewer).
    pub fn hide_tasks(&mut self, user_id: u64, n: usize, seed: u64) -> Vec<u64> {
        let seen: Vec<u64> = self.visible_task_ids(user_id).into_iter().rev().collect();
        let ids = spread_pick(&seen, n, seed ^ user_id.rotate_left(17));
        for &id in &ids {
            self.store.hide(user_id, id);
        }
        ids
    }

    /// Lets `user_id` see `n` tasks they do not see now (access granted, project joined),
    /// spread over the ID range by `seed`, without touching CHANGED_DATE. Returns the IDs,
    /// ascending (fewer when fewer are hidden from the user).
    pub fn reveal_tasks(&mut self, user_id: u64, n: usize, seed: u64) -> Vec<u64> {
        let unseen: Vec<u64> = self
            .store
            .tasks
            .iter()
            .filter(|t| !self.store.can_see(user_id, t))
            .map(|t| t.id)
            .collect();
        let ids = spread_pick(&unseen, n, seed ^ user_id.rotate_left(29));
        for &id in &ids {
            self.store.reveal(user_id, id);
        }
        ids
    }

    /// `user_id` opens `n` tasks they see and never viewed, spread over the ID range by `seed`:
    /// their `STATUS` is no longer "not viewed" (-2) for that user; CHANGED_DATE stays
    /// (viewing a task does not edit it). Returns the IDs, ascending (fewer when fewer are
    /// not viewed).
    pub fn view_tasks(&mut self, user_id: u64, n: usize, seed: u64) -> Vec<u64> {
        if user_id >= 64 {
            return Vec::new();
        }
        let unviewed: Vec<u64> = self
            .store
            .tasks
            .iter()
            .filter(|t| self.store.can_see(user_id, t) && !t.viewed_by(user_id))
            .map(|t| t.id)
            .collect();
        let ids = spread_pick(&unviewed, n, seed ^ user_id.rotate_left(41));
        for t in self.store.tasks.iter_mut() {
            if ids.binary_search(&t.id).is_ok() {
                t.viewed_mask |= 1 << user_id;
            }
        }
        ids
    }

    /// Answers 429 `OPERATION_TIME_LIMIT` for `method` until `unix_s`.
    pub fn block_method_until(&mut self, method: &str, unix_s: i64) {
        self.operating
            .block_until(&method.to_ascii_lowercase(), unix_s);
    }

    /// Grants the app's OAuth tokens exactly `scopes` from now on (tokens already issued too),
    /// like an administrator changing the app's permissions.
    pub fn set_app_scopes(&mut self, scopes: &[String]) {
        if self.config.app_scopes != scopes {
            self.config.app_scopes = scopes.to_vec();
        }
    }

    /// Makes `method` answer 404 `ERROR_METHOD_NOT_FOUND` (deprecation tests).
    pub fn disable_method(&mut self, method: &str) {
        self.disabled.insert(method.to_ascii_lowercase());
    }

    /// Ground truth: IDs of the tasks `user_id` may see, ID descending.
    pub fn visible_task_ids(&self, user_id: u64) -> Vec<u64> {
        self.store
            .tasks
            .iter()
            .rev()
            .filter(|t| self.store.can_see(user_id, t))
            .map(|t| t.id)
            .collect()
    }

    /// Number of tasks.
    pub fn len(&self) -> usize {
        self.store.tasks.len()
    }

    /// True when the portal has no tasks.
    pub fn is_empty(&self) -> bool {
        self.store.tasks.is_empty()
    }
}

/// `n` of `ids` (ascending), one from each of `n` equal slices at a `seed`-chosen place in
/// the slice, so the picks spread over the whole range; all of them when `n` ≥ their number.
fn spread_pick(ids: &[u64], n: usize, seed: u64) -> Vec<u64> {
    if n >= ids.len() {
        return ids.to_vec();
    }
    let mut rng = Rng::new(seed);
    (0..n)
        .filter_map(|i| {
            let lo = i * ids.len() / n;
            let hi = (i + 1) * ids.len() / n;
            let at = lo + rng.below((hi - lo).max(1) as u64) as usize;
            ids.get(at).copied()
        })
        .collect()
}

/// The app's demo mode: a portal with `tasks` tasks for `seed` (reference time = `now_ms`,
/// standard leaky bucket on) and tokens for the administrator.
pub fn demo_portal(tasks: usize, seed: u64, now_ms: u64) -> (Portal, AuthTokens) {
    let config = PortalConfig {
        seed,
        tasks,
        member_id: member_id_for_seed(seed),
        reference_unix_s: (now_ms / 1000) as i64,
        bucket: Some(Bucket::STANDARD),
        ..PortalConfig::default()
    };
    let admin = config.admin_user_id;
    let mut portal = Portal::new(config);
    let tokens = portal.issue_auth(admin, now_ms);
    (portal, tokens)
}
