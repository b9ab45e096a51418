//! Listeners, connections and routing of both origins.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use b24_portal::{Portal, PortalConfig};
use http_body_util::{BodyExt, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{CONTENT_TYPE, HOST};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request};
use hyper_util::rt::TokioIo;
use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::app_site::{AppSite, ServeOptions};
use crate::assets;
use crate::config::Config;
use crate::http::{self, Resp};
use crate::prng::Prng;
use crate::ratelimit::LeakyBucket;
use crate::rest::{self, Call, Outcome};
use crate::security::{self, Guard};
use crate::state::{now_ms, Info, Runtime, Shared};
use crate::stats::Stats;
use crate::{control, page, portal_api};

/// Largest request body accepted (REST bodies of a few MB are normal for big batches).
pub const MAX_BODY: usize = 32 * 1024 * 1024;

/// Host name the BX24 SDK is loaded from in production.
const SDK_HOST: &str = "api.bitrix24.com";

/// A running emulator. Dropping it does not stop the server; call [`Handles::shutdown`].
pub struct Handles {
    /// Port of the portal origin.
    pub portal_port: u16,
    /// Port of the app origin.
    pub app_port: u16,
    /// `http://localhost:<portal port>`.
    pub portal_url: String,
    /// `http://127.0.0.1:<app port>/b1/app_local/<hash>/`.
    pub app_url: String,
    /// `http://localhost:<portal port>/rest/<user>/<secret>/`.
    pub webhook_url: String,
    /// This run's token for `/__control` and `/__truth` (header `X-Emulator-Token`).
    pub control_token: String,
    shared: Arc<Shared>,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Handles {
    /// The JSON line printed on start: `{"portal":…,"app":…,"webhook":…,"control_token":…}`.
    pub fn startup_line(&self) -> String {
        json!({
            "portal": self.portal_url,
            "app": self.app_url,
            "webhook": self.webhook_url,
            "control_token": self.control_token,
        })
        .to_string()
    }

    /// The directory the app is served from (the temp dir for a `.zip`).
    pub fn app_dir(&self) -> &std::path::Path {
        self.shared.site.dir()
    }

    /// Stops accepting connections, ends held requests, closes connections, and waits (up to
    /// 5 s) until nothing uses the server state any more; the extracted archive is then removed.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while Arc::strong_count(&self.shared) > 1 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

/// Which origin a listener serves.
#[derive(Clone, Copy, Debug)]
enum Origin {
    Portal,
    App,
}

/// Starts both origins and returns once they accept connections.
///
/// # Errors
/// A message when the app cannot be opened or a port cannot be bound.
pub async fn serve(config: Config) -> Result<Handles, String> {
    let control_token = security::new_control_token()?;
    let site = AppSite::open(&config.app)?;
    if !site.has_index() {
        eprintln!(
            "b24-emulator: warning: {} has no index.html at its root (Bitrix24 rejects such an archive)",
            config.app.display()
        );
    }
    let portal_v4 = bind(SocketAddr::from((Ipv4Addr::LOCALHOST, config.portal_port))).await?;
    let portal_port = local_port(&portal_v4)?;
    // "localhost" may resolve to ::1 first; serve it too when the system allows.
    let portal_v6 = TcpListener::bind(SocketAddr::from((Ipv6Addr::LOCALHOST, portal_port)))
        .await
        .ok();
    let app_listener = bind(SocketAddr::from((Ipv4Addr::LOCALHOST, config.app_port))).await?;
    let app_port = local_port(&app_listener)?;

    let guard = Guard::new(
        control_token.clone(),
        security::loopback_authorities(portal_port, portal_v6.is_some()),
        security::loopback_authorities(app_port, false),
    );
    let domain = format!("localhost:{portal_port}");
    let portal_url = format!("http://{domain}");
    let app_origin = format!("http://127.0.0.1:{app_port}");
    let app_url = format!("{app_origin}{}", site.base_path());

    let defaults = PortalConfig::default();
    let portal_config = PortalConfig {
        seed: config.seed.unwrap_or(defaults.seed),
        tasks: config.tasks,
        dense_ids: config.dense_ids,
        domain: domain.clone(),
        token_lifetime_s: config.token_lifetime_s,
        // The emulator applies the request-rate limit itself (switchable at run time).
        bucket: None,
        operating_limit_s: (config.operating_limit_s > 0.0).then_some(config.operating_limit_s),
        subcall_cost_ms: config.knobs.subcall_cost_ms,
        // The portal's time zone (`--utc-offset`): deadlines are generated on its local days.
        utc_offset_s: config.knobs.utc_offset_s,
        // Deadlines are generated around the start time (past, within 24 h, later, none), so
        // the overdue and almost-overdue meta statuses show up as on a live portal. Rounded to
        // the hour: the same seed gives the same data within the hour.
        reference_unix_s: {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0);
            i64::try_from(now - now % 3600).unwrap_or(defaults.reference_unix_s)
        },
        // A second incoming webhook without the `task` scope, to try the "missing permission" path.
        webhooks: {
            let mut hooks = defaults.webhooks.clone();
            hooks.push(b24_portal::Webhook {
                user_id: 1,
                secret: "emulatornotasks01".into(),
                scopes: vec!["user".into()],
            });
            hooks
        },
        ..defaults
    };
    let webhook_url = match portal_config.webhooks.first() {
        Some(w) => format!("{portal_url}/rest/{}/{}/", w.user_id, w.secret),
        None => format!("{portal_url}/rest/"),
    };
    let admin_user_id = portal_config.admin_user_id;
    let portal = tokio::task::spawn_blocking(move || Portal::new(portal_config))
        .await
        .map_err(|e| format!("building the portal model failed: {e}"))?;

    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let start_actions = config.start_actions.clone();
    let shared = Arc::new(Shared {
        portal: Mutex::new(portal),
        rt: Mutex::new(Runtime {
            knobs: config.knobs.clone(),
            fault_prng: Prng::new(config.fault_seed),
            sid_prng: Prng::new(now_ms() ^ u64::from(std::process::id()).rotate_left(32)),
            bucket: LeakyBucket::default(),
            stats: Stats::default(),
            installed: false,
            first_run_done: Default::default(),
            user_options: Default::default(),
            app_options: Default::default(),
        }),
        info: Info {
            portal_origin: portal_url.clone(),
            domain,
            app_origin,
            app_base_url: app_url.clone(),
            webhook_url: webhook_url.clone(),
            lang: config.lang.clone(),
            wasm_mime: config.wasm_mime,
            sdk_rewrite: config.sdk_rewrite,
            admin_user_id,
            initial_subcall_cost_ms: config.knobs.subcall_cost_ms,
            started: Instant::now(),
        },
        site,
        guard,
        shutdown: shutdown_rx,
    });
    control::run_actions(&shared, &start_actions);

    let mut tasks = vec![
        tokio::spawn(accept_loop(portal_v4, Arc::clone(&shared), Origin::Portal)),
        tokio::spawn(accept_loop(app_listener, Arc::clone(&shared), Origin::App)),
    ];
    if let Some(v6) = portal_v6 {
        tasks.push(tokio::spawn(accept_loop(
            v6,
            Arc::clone(&shared),
            Origin::Portal,
        )));
    }
    Ok(Handles {
        portal_port,
        app_port,
        portal_url,
        app_url,
        webhook_url,
        control_token,
        shared,
        shutdown: shutdown_tx,
        tasks,
    })
}

async fn bind(addr: SocketAddr) -> Result<TcpListener, String> {
    TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))
}

fn local_port(listener: &TcpListener) -> Result<u16, String> {
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("cannot read the bound port: {e}"))
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>, origin: Origin) {
    let shutdown = crate::state::shutting_down(shared.shutdown.clone());
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    tokio::spawn(serve_connection(stream, Arc::clone(&shared), origin));
                }
                Err(e) => {
                    eprintln!("b24-emulator: accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            () = &mut shutdown => break,
        }
    }
}

/// Returned by the service to make hyper close the connection without an answer.
#[derive(Debug)]
struct CloseConnection;

impl std::fmt::Display for CloseConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection closed on purpose (fault injection)")
    }
}

impl std::error::Error for CloseConnection {}

async fn serve_connection(stream: tokio::net::TcpStream, shared: Arc<Shared>, origin: Origin) {
    let shared_rx = shared.shutdown.clone();
    let service = service_fn(move |req: Request<Incoming>| {
        let shared = Arc::clone(&shared);
        async move {
            match route(shared, origin, req).await {
                Outcome::Respond(resp) => Ok(resp),
                Outcome::Close => Err(CloseConnection),
            }
        }
    });
    let conn = http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    let shutdown = crate::state::shutting_down(shared_rx);
    tokio::select! {
        _ = conn.as_mut() => {}
        () = shutdown => {
            // Finish the request in flight (held requests end on shutdown too), then close.
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}

async fn read_body(body: Incoming) -> Result<Bytes, Resp> {
    match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(_) => Err(http::json_error(
            413,
            "request body too large or unreadable",
        )),
    }
}

async fn route(shared: Arc<Shared>, origin: Origin, req: Request<Incoming>) -> Outcome {
    let allowed = match origin {
        Origin::Portal => &shared.guard.portal_hosts,
        Origin::App => &shared.guard.app_hosts,
    };
    // The SDK stand-in answers for api.bitrix24.com (a test browser maps that name here).
    let sdk = matches!(origin, Origin::Portal) && is_sdk_host(&req);
    if !sdk {
        if let Some(resp) = security::host_refusal(allowed, &req) {
            return Outcome::Respond(resp);
        }
    }
    match origin {
        Origin::Portal => route_portal(shared, req).await,
        Origin::App => Outcome::Respond(route_app(&shared, &req).await),
    }
}

async fn route_app(shared: &Shared, req: &Request<Incoming>) -> Resp {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return http::response(405, "text/plain; charset=utf-8", "Method Not Allowed");
    }
    let options = ServeOptions {
        wasm_mime: shared.info.wasm_mime,
        sdk_rewrite: shared.info.sdk_rewrite,
        portal_origin: shared.info.portal_origin.clone(),
    };
    shared.site.serve(req.uri().path(), &options).await
}

fn sdk_response() -> Resp {
    let mut resp = http::response(200, http::JAVASCRIPT, assets::BX24_JS);
    http::set_header(&mut resp, "access-control-allow-origin", "*");
    resp
}

fn is_sdk_host(req: &Request<Incoming>) -> bool {
    let host = req
        .headers()
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| req.uri().host())
        .unwrap_or("");
    let name = host.rsplit_once(':').map_or(host, |(name, _)| name);
    name.eq_ignore_ascii_case(SDK_HOST)
}

async fn route_portal(shared: Arc<Shared>, req: Request<Incoming>) -> Outcome {
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or("").to_string();
    let method = req.method().clone();
    let read_only = method == Method::GET || method == Method::HEAD;

    if is_sdk_host(&req) {
        return Outcome::Respond(sdk_response());
    }
    if path == "/rest" || path.starts_with("/rest/") {
        if method == Method::OPTIONS {
            return Outcome::Respond(rest::preflight());
        }
        let header = |name| {
            req.headers()
                .get(name)
                .and_then(|v: &hyper::header::HeaderValue| v.to_str().ok())
                .map(str::to_string)
        };
        let content_type = header(CONTENT_TYPE);
        let authorization = header(hyper::header::AUTHORIZATION);
        let body = match read_body(req.into_body()).await {
            Ok(b) => b,
            Err(resp) => return Outcome::Respond(rest::with_rest_headers(resp)),
        };
        let call = Call {
            path,
            query,
            content_type,
            authorization,
            body,
        };
        return rest::handle(shared, call).await;
    }
    if path == "/__truth" || path == "/__control" {
        if let Some(resp) = shared.guard.token_refusal(&req) {
            return Outcome::Respond(resp);
        }
    }
    let resp = match (read_only, path.as_str()) {
        (true, "/" | "/index.php") => page::portal_page(&shared, assets::PORTAL_HTML, &query),
        (true, "/portal.js") => http::response(200, http::JAVASCRIPT, assets::PORTAL_JS),
        (true, "/api/v1" | "/api/v1/" | "/api/v1/index.js") => sdk_response(),
        (true, "/__stats") => control::stats(&shared),
        (true, "/__truth") => control::truth(&shared, &query),
        (true, "/__control") => control::knobs(&shared),
        (false, _) if method == Method::POST => {
            if let Some(resp) = shared.guard.cross_site_refusal(&req) {
                return Outcome::Respond(resp);
            }
            if path == "/__control"
                && !security::is_json_content_type(security::header_text(&req, CONTENT_TYPE))
            {
                return Outcome::Respond(http::json_error(
                    415,
                    "POST /__control needs Content-Type: application/json",
                ));
            }
            let body = match read_body(req.into_body()).await {
                Ok(b) => b,
                Err(resp) => return Outcome::Respond(resp),
            };
            post_route(&shared, &path, &body)
        }
        _ => http::not_found(),
    };
    Outcome::Respond(resp)
}

fn post_route(shared: &Shared, path: &str, body: &[u8]) -> Resp {
    match path {
        "/__stats/reset" => control::reset(shared),
        "/__control" => control::control(shared, body),
        _ => match path.strip_prefix("/__portal/") {
            Some(name) => portal_api::handle(shared, name, body),
            None => http::not_found(),
        },
    }
}
