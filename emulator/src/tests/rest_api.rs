//! REST through the emulator: CORS, pass-through, webhook, stats, truth, control, limits.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::client::Req;
use super::start;
use crate::knobs::BucketMode;

fn assert_rest_headers(r: &super::client::Reply) {
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        r.header("access-control-allow-headers"),
        Some("origin, content-type, accept")
    );
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
}

#[tokio::test]
async fn cors_preflight_and_headers() {
    let s = start(false, |_| {}).await;
    let r = Req::get(s.portal(), "/rest/batch.json")
        .method("OPTIONS")
        .header("Origin", "http://127.0.0.1:1")
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    assert_rest_headers(&r);
    assert_eq!(
        r.header("access-control-allow-methods"),
        Some("POST, GET, OPTIONS")
    );
    // Preflights are not REST requests.
    assert_eq!(s.stats().await["requests"], 0);
    // An answer without auth is still JSON with the CORS headers.
    let r = Req::post(
        s.portal(),
        "/rest/batch.json",
        "text/plain;charset=UTF-8",
        "halt=0",
    )
    .send()
    .await
    .unwrap();
    assert_rest_headers(&r);
    assert_eq!(
        r.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert!(r.json()["error"].is_string());
}

#[tokio::test]
async fn batch_of_task_lists_passes_through_and_is_counted() {
    let s = start(false, |_| {}).await;
    let token = s.token().await;
    let r = s.batch(&token).await.unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
    assert_rest_headers(&r);
    let body = r.json();
    let pages = &body["result"]["result"];
    assert_eq!(pages["p0"].as_array().map(Vec::len), Some(50), "{body}");
    assert_eq!(pages["p1"].as_array().map(Vec::len), Some(50), "{body}");
    assert_eq!(body["result"]["result_total"]["p0"], 120);

    let stats = s.stats().await;
    assert_eq!(stats["requests"], 1);
    assert!(stats["subcalls"].as_u64().unwrap() >= 2, "{stats}");
    assert_eq!(stats["by_method"], json!({"batch": 1}));
    assert_eq!(stats["by_status"], json!({"200": 1}));
    let entry = &stats["log"][0];
    assert_eq!(entry["path"], "/rest/batch.json");
    assert_eq!(entry["method"], "batch");
    assert_eq!(entry["status"], 200);
    assert!(entry["t_ms"].is_u64());
    assert!(entry.get("fault").is_none());
    assert_eq!(stats["visible_ids_count"], 120);

    let r = Req::post(s.portal(), "/__stats/reset", "application/json", "")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    let stats = s.stats().await;
    assert_eq!(stats["requests"], 0);
    assert_eq!(stats["log"], json!([]));
}

#[tokio::test]
async fn webhook_path_reaches_the_portal() {
    let s = start(false, |_| {}).await;
    let target = format!(
        "{}task.item.list.json",
        s.h.webhook_url.trim_start_matches(&s.h.portal_url)
    );
    let r = Req::post(
        s.portal(),
        &target,
        "application/x-www-form-urlencoded",
        "ORDER%5BID%5D=desc",
    )
    .send()
    .await
    .unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["result"].as_array().map(Vec::len), Some(50));
    assert_eq!(s.stats().await["by_method"], json!({"task.item.list": 1}));
}

#[tokio::test]
async fn truth_lists_visible_ids_descending() {
    let s = start(false, |_| {}).await;
    let ids: Vec<u64> =
        serde_json::from_value(s.get_with_token("/__truth?user=1").await.json()).unwrap();
    assert_eq!(ids.len(), 120);
    assert!(ids.windows(2).all(|w| w[0] > w[1]));
    let bad = s.get_with_token("/__truth?user=x").await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn control_changes_knobs_all_or_nothing() {
    let s = start(false, |_| {}).await;
    let r = s
        .control(r#"{"latency_ms":7,"bucket":"enterprise","fault_5xx_pct":0}"#)
        .await;
    assert_eq!(r.status, 200);
    let knobs = r.json();
    assert_eq!(knobs["latency_ms"], 7);
    assert_eq!(knobs["bucket"], "enterprise");
    let r = s.control(r#"{"latency_ms":9,"no_such_knob":1}"#).await;
    assert_eq!(r.status, 400);
    assert!(r.json()["error"].as_str().unwrap().contains("no_such_knob"));
    let r = s.control("[1]").await;
    assert_eq!(r.status, 400);
    let now: Value = s.get_with_token("/__control").await.json();
    assert_eq!(now["latency_ms"], 7);
    assert_eq!(s.stats().await["knobs"], now);
}

#[tokio::test]
async fn latency_and_subcall_cost_delay_answers() {
    let s = start(false, |c| c.knobs.latency_ms = 250).await;
    let token = s.token().await;
    let t = Instant::now();
    assert_eq!(s.batch(&token).await.unwrap().status, 200);
    assert!(t.elapsed() >= Duration::from_millis(250));
    s.control(r#"{"latency_ms":0,"subcall_cost_ms":150}"#).await;
    let t = Instant::now();
    assert_eq!(s.batch(&token).await.unwrap().status, 200);
    assert!(
        t.elapsed() >= Duration::from_millis(300),
        "2 sub-calls × 150 ms"
    );
}

#[tokio::test]
async fn standard_bucket_answers_query_limit_exceeded() {
    let s = start(false, |c| c.knobs.bucket = BucketMode::Standard).await;
    let mut statuses = Vec::new();
    for _ in 0..52 {
        let r = Req::post(
            s.portal(),
            "/rest/user.current.json",
            "text/plain",
            "auth=x",
        )
        .send()
        .await
        .unwrap();
        if r.status == 503 {
            assert_eq!(r.json()["error"], "QUERY_LIMIT_EXCEEDED");
        }
        statuses.push(r.status);
    }
    // 50 burst; draining 2/s may let one more through while the loop runs.
    assert!(statuses[..50].iter().all(|s| *s != 503), "{statuses:?}");
    assert_eq!(statuses[51], 503, "{statuses:?}");
    s.control(r#"{"bucket":"off"}"#).await;
    let r = Req::post(
        s.portal(),
        "/rest/user.current.json",
        "text/plain",
        "auth=x",
    )
    .send()
    .await
    .unwrap();
    assert_ne!(r.status, 503);
}

#[tokio::test]
async fn blocked_and_disabled_methods() {
    let running = start(false, |_| {}).await;
    let s = &running;
    let token = s.token().await;
    assert_eq!(s.list(&token).await.status, 200);
    let knobs = s
        .control(r#"{"block_method":{"method":"task.item.list","seconds":60}}"#)
        .await
        .json();
    assert!(knobs["blocked_methods"]["task.item.list"].is_i64());
    let r = s.list(&token).await;
    assert_eq!(r.status, 429, "{}", r.text());
    assert_eq!(r.json()["error"], "OPERATION_TIME_LIMIT");
    s.control(r#"{"disable_method":"user.current"}"#).await;
    let r = Req::post(
        s.portal(),
        "/rest/user.current.json",
        "text/plain",
        format!("auth={token}"),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(r.status, 404, "{}", r.text());
    assert_eq!(r.json()["error"], "ERROR_METHOD_NOT_FOUND");
}
