//! The contenders of the engine benchmark: the app's engine (`load_tasks` with each
//! [`Strategy`]) over a real-HTTP [`Transport`] and a real [`Clock`], and the classic
//! baseline (one `task.item.list` page per request with `start`, like the v1 SDK's
//! `result.next()`), paced at the portal's own numbers so it is not cut off by the bucket.

use std::cell::{Cell, RefCell};
use std::pin::pin;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use hyper::Method;
use serde_json::Value;
use task_report::report::limiter::{BucketConfig, LeakyBucket};
use task_report::report::loader::{
    load_tasks, CancelFlag, LoadConfig, LoadEvent, LoadOutcome, Strategy,
};
use task_report::report::params::encode;
use task_report::report::planner::{list_params, ListFilter};
use task_report::report::transport::{
    Clock, HttpReply, LocalBoxFuture, PostFuture, Transport, TransportError,
};
use task_report::report::wire::TaskApi;

use crate::client;

/// REST calls to an incoming webhook (`http://host:port/rest/1/<secret>/`): no token, so
/// nothing expires during a run; the emulator applies the same model, bucket, latency and
/// per-sub-call cost as to token calls.
pub struct WebhookTransport {
    base: String,
}

impl WebhookTransport {
    /// A transport for the webhook base URL (ending in `/`).
    pub fn new(base: &str) -> Self {
        Self {
            base: base.to_string(),
        }
    }
}

impl Transport for WebhookTransport {
    fn post<'a>(&'a self, method: &'a str, body: &'a str, timeout_ms: u32) -> PostFuture<'a> {
        let url = format!("{}{}.json", self.base, method);
        let timeout = Duration::from_millis(u64::from(timeout_ms.max(1)));
        Box::pin(async move {
            let content_type = "text/plain;charset=UTF-8";
            let body = body.to_string();
            let reply =
                client::request(Method::POST, &url, content_type, &[], body, timeout).await?;
            Ok(HttpReply {
                status: reply.status,
                body: reply.body,
            })
        })
    }

    fn refresh_auth(&self) -> LocalBoxFuture<'_, Result<(), TransportError>> {
        Box::pin(async {
            Err(TransportError::Unavailable(
                "a webhook has no token to refresh".into(),
            ))
        })
    }
}

/// Wall-clock time and real sleeps (tokio timers).
pub struct RealClock {
    origin: Instant,
}

impl RealClock {
    /// A clock whose `now_ms` starts at 0 now.
    pub fn new() -> Self {
        Self {
            origin: Instant::now(),
        }
    }
}

impl Clock for RealClock {
    fn now_ms(&self) -> f64 {
        self.origin.elapsed().as_secs_f64() * 1000.0
    }

    fn unix_now_s(&self) -> f64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs_f64())
            .unwrap_or_default()
    }

    fn sleep(&self, ms: u32) -> LocalBoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(Duration::from_millis(u64::from(ms))))
    }
}

/// What one load produced.
#[derive(Debug, Default)]
pub struct RunResult {
    /// IDs delivered, in delivery order.
    pub ids: Vec<u64>,
    /// Start of the load to its end (or to the cap).
    pub wall_ms: f64,
    /// Start of the load to the first delivered rows.
    pub first_rows_ms: Option<f64>,
    /// `complete`, `capped`, or `failed: …`.
    pub outcome: String,
    /// HTTP requests the client counted (the emulator's count is read separately).
    pub client_requests: u64,
}

/// The contenders of the engine benchmark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Contender {
    /// `Strategy::ChainedKeyset` (the app's default).
    Chained,
    /// `Strategy::PageNumbers { in_flight: 1 }`.
    Pages1,
    /// `Strategy::PageNumbers { in_flight: 3 }`.
    Pages3,
    /// One page per request with `start`, sequential (the classic `result.next()` loop).
    Classic,
}

impl Contender {
    /// All, in report order.
    pub const ALL: [Self; 4] = [Self::Chained, Self::Pages1, Self::Pages3, Self::Classic];

    /// Short name used on the command line and in the JSON.
    pub fn key(self) -> &'static str {
        match self {
            Self::Chained => "chained",
            Self::Pages1 => "pages1",
            Self::Pages3 => "pages3",
            Self::Classic => "classic",
        }
    }

    /// Human name used in tables.
    pub fn label(self) -> &'static str {
        match self {
            Self::Chained => "ChainedKeyset (engine default)",
            Self::Pages1 => "PageNumbers { in_flight: 1 }",
            Self::Pages3 => "PageNumbers { in_flight: 3 }",
            Self::Classic => "classic baseline: 1 page/request, `start`, sequential",
        }
    }

    /// Parses [`Contender::key`].
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.key() == text)
    }

    /// Runs one load against the webhook, stopping at `cap`.
    pub async fn run(self, webhook: &str, cap: Duration) -> RunResult {
        let transport = WebhookTransport::new(webhook);
        let clock = RealClock::new();
        match self {
            Self::Chained => run_engine(&transport, &clock, Strategy::ChainedKeyset, cap).await,
            Self::Pages1 => {
                let strategy = Strategy::PageNumbers { in_flight: 1 };
                run_engine(&transport, &clock, strategy, cap).await
            }
            Self::Pages3 => {
                let strategy = Strategy::PageNumbers { in_flight: 3 };
                run_engine(&transport, &clock, strategy, cap).await
            }
            Self::Classic => classic(&transport, &clock, cap).await,
        }
    }
}

async fn run_engine(
    transport: &WebhookTransport,
    clock: &RealClock,
    strategy: Strategy,
    cap: Duration,
) -> RunResult {
    let config = LoadConfig {
        strategy,
        ..LoadConfig::default()
    };
    let cancel = CancelFlag::new();
    let ids: RefCell<Vec<u64>> = RefCell::new(Vec::new());
    let first: Cell<Option<f64>> = Cell::new(None);
    let requests: Cell<u32> = Cell::new(0);
    let start = Instant::now();
    let mut on_event = |event: LoadEvent| match event {
        LoadEvent::Rows(rows) => {
            if first.get().is_none() {
                first.set(Some(start.elapsed().as_secs_f64() * 1000.0));
            }
            ids.borrow_mut().extend(rows.iter().map(|t| t.id.0));
        }
        LoadEvent::Progress { requests: r, .. } => requests.set(r),
        LoadEvent::Waiting { .. } | LoadEvent::Notice(_) => {}
    };
    // At the cap the load is cancelled and finishes its own way (it reports where it stopped).
    let outcome = {
        let mut load = pin!(load_tasks(
            transport,
            clock,
            &config,
            None,
            &cancel,
            &mut on_event
        ));
        match tokio::time::timeout(cap, load.as_mut()).await {
            Ok(outcome) => outcome,
            Err(_) => {
                cancel.cancel();
                load.await
            }
        }
    };
    let wall_ms = start.elapsed().as_secs_f64() * 1000.0;
    let (outcome, client_requests) = match outcome {
        LoadOutcome::Complete { requests, .. } => ("complete".to_string(), requests),
        LoadOutcome::Cancelled { resume } => ("capped".to_string(), resume.requests()),
        LoadOutcome::Failed { error, resume } => (format!("failed: {error:?}"), resume.requests()),
    };
    RunResult {
        ids: ids.into_inner(),
        wall_ms,
        first_rows_ms: first.get(),
        outcome,
        client_requests: u64::from(client_requests.max(requests.get())),
    }
}

/// The classic loop: the app's own first request (ID desc, the same SELECT), then the same
/// body with `&start=<next>` until the answer has no `next` — what `result.next()` sends.
/// Paced by the portal's own leaky bucket (50 / 2 per s) and retried after a 503, so it is
/// the best a sequential one-page-per-request client can do under the limit.
async fn classic(transport: &WebhookTransport, clock: &RealClock, cap: Duration) -> RunResult {
    let base = encode(&list_params(TaskApi::ItemList, &ListFilter::all(), 1, 50));
    let mut bucket = LeakyBucket::new(BucketConfig::STANDARD);
    let start = Instant::now();
    let mut result = RunResult::default();
    let mut next: u64 = 0;
    let mut rejections = 0u32;
    let outcome = loop {
        if start.elapsed() >= cap {
            break "capped".to_string();
        }
        let delay = bucket.delay_ms(clock.now_ms());
        bucket.record(clock.now_ms());
        if delay > 0 {
            tokio::time::sleep(Duration::from_millis(u64::from(delay))).await;
        }
        let body = if next == 0 {
            base.clone()
        } else {
            format!("{base}&start={next}")
        };
        result.client_requests += 1;
        let reply = match transport.post("task.item.list", &body, 30_000).await {
            Ok(reply) => reply,
            Err(e) => break format!("failed: {e:?}"),
        };
        if reply.status == 503 {
            rejections += 1;
            if rejections > 30 {
                break "failed: too many 503".to_string();
            }
            bucket.saturate(clock.now_ms());
            continue;
        }
        rejections = 0;
        let json: Value = match serde_json::from_str(&reply.body) {
            Ok(v) => v,
            Err(e) => break format!("failed: bad JSON ({e})"),
        };
        if reply.status != 200 {
            break format!("failed: HTTP {} {}", reply.status, json["error"]);
        }
        let Some(rows) = json["result"].as_array() else {
            break "failed: no result array".to_string();
        };
        if result.first_rows_ms.is_none() && !rows.is_empty() {
            result.first_rows_ms = Some(start.elapsed().as_secs_f64() * 1000.0);
        }
        result.ids.extend(rows.iter().filter_map(|row| {
            row["ID"]
                .as_u64()
                .or_else(|| row["ID"].as_str().and_then(|s| s.parse().ok()))
        }));
        match json["next"].as_u64() {
            Some(n) if n > next => next = n,
            _ => break "complete".to_string(),
        }
    };
    result.wall_ms = start.elapsed().as_secs_f64() * 1000.0;
    result.outcome = outcome;
    result
}
