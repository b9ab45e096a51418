//! Each injected fault, observed over TCP and in the /__stats log.

use std::time::Duration;

use serde_json::Value;

use super::client::{Failure, Req};
use super::start;

#[tokio::test]
async fn fault_5xx_sends_an_html_error_page() {
    let s = start(false, |c| c.knobs.fault_5xx_pct = 100.0).await;
    let token = s.token().await;
    for _ in 0..3 {
        let r = s.batch(&token).await.unwrap();
        assert!([500, 502, 503].contains(&r.status), "{}", r.status);
        assert!(r.header("content-type").unwrap().starts_with("text/html"));
        assert!(serde_json::from_slice::<Value>(&r.body).is_err());
        assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    }
    let stats = s.stats().await;
    assert_eq!(stats["requests"], 3);
    let fault = stats["log"][0]["fault"].as_str().unwrap();
    assert!(fault.starts_with("http5"), "{fault}");
    // Not a request the portal saw.
    assert_eq!(stats["subcalls"], 0);
    // Off again: the next request is answered by the portal.
    s.control(r#"{"fault_5xx_pct":0}"#).await;
    assert_eq!(s.batch(&token).await.unwrap().status, 200);
}

#[tokio::test]
async fn fault_drop_closes_without_answer() {
    let s = start(false, |c| c.knobs.fault_drop_pct = 100.0).await;
    let token = s.token().await;
    assert_eq!(
        s.batch(&token).await.unwrap_err(),
        Failure::ClosedWithoutAnswer
    );
    let stats = s.stats().await;
    assert_eq!(stats["log"][0]["fault"], "drop");
    assert_eq!(stats["log"][0]["status"], 0);
    assert_eq!(stats["by_status"]["0"], 1);
}

#[tokio::test]
async fn hang_next_never_answers_then_recovers() {
    let s = start(false, |_| {}).await;
    let token = s.token().await;
    let knobs = s.control(r#"{"hang_next":1}"#).await.json();
    assert_eq!(knobs["hang_next"], 1);
    let err = Req::post(
        s.portal(),
        "/rest/batch.json",
        "text/plain",
        super::batch_body(&token),
    )
    .timeout(Duration::from_millis(800))
    .send()
    .await
    .unwrap_err();
    assert_eq!(err, Failure::TimedOut);
    assert_eq!(s.stats().await["log"][0]["fault"], "hang");
    // One-shot: the next request is answered.
    assert_eq!(s.batch(&token).await.unwrap().status, 200);
    assert_eq!(s.stats().await["knobs"]["hang_next"], 0);
}

#[tokio::test]
async fn malformed_next_cuts_the_json() {
    let s = start(false, |c| c.knobs.malformed_next = 1).await;
    let token = s.token().await;
    let r = s.batch(&token).await.unwrap();
    assert_eq!(r.status, 200);
    assert!(!r.body.is_empty());
    assert!(
        serde_json::from_slice::<Value>(&r.body).is_err(),
        "{}",
        r.text()
    );
    assert_eq!(s.stats().await["log"][0]["fault"], "malformed");
    let r = s.batch(&token).await.unwrap();
    assert_eq!(r.status, 200);
    let _ = r.json();
}

#[tokio::test]
async fn expire_every_expires_tokens_and_refresh_works() {
    let s = start(false, |c| c.knobs.expire_every = 3).await;
    let config = s.page_config("").await;
    let token = config["auth"]["AUTH_ID"].as_str().unwrap().to_string();
    assert_eq!(s.batch(&token).await.unwrap().status, 200);
    assert_eq!(s.batch(&token).await.unwrap().status, 200);
    let r = s.batch(&token).await.unwrap();
    assert_eq!(r.status, 401, "{}", r.text());
    assert_eq!(r.json()["error"], "expired_token");
    // The app's way out: refresh through the portal page, then retry.
    let refresh = serde_json::json!({"refresh_token": config["auth"]["REFRESH_ID"]}).to_string();
    let fresh = Req::post(s.portal(), "/__portal/refresh", "application/json", refresh)
        .send()
        .await
        .unwrap();
    assert_eq!(fresh.status, 200, "{}", fresh.text());
    let new_token = fresh.json()["AUTH_ID"].as_str().unwrap().to_string();
    assert_eq!(s.batch(&new_token).await.unwrap().status, 200);
}

async fn truth(s: &super::Running) -> Vec<u64> {
    serde_json::from_value(s.get_with_token("/__truth").await.json()).unwrap()
}

#[tokio::test]
async fn insert_and_delete_every_change_the_tasks() {
    let s = start(false, |c| c.knobs.insert_every = 2).await;
    let token = s.token().await;
    let before = truth(&s).await;
    s.batch(&token).await.unwrap();
    assert_eq!(truth(&s).await, before);
    s.batch(&token).await.unwrap();
    let after = truth(&s).await;
    assert_eq!(after.len(), before.len() + crate::rest::CHURN_TASKS);
    s.control(r#"{"insert_every":0,"delete_every":1}"#).await;
    s.batch(&token).await.unwrap();
    let deleted = truth(&s).await;
    assert_eq!(deleted.len(), after.len() - crate::rest::CHURN_TASKS);
    assert_eq!(
        s.stats().await["visible_ids_count"].as_u64(),
        Some(deleted.len() as u64)
    );
}

#[tokio::test]
async fn same_fault_seed_same_faults() {
    async fn run() -> Vec<Value> {
        let s = start(false, |c| {
            c.knobs.fault_5xx_pct = 30.0;
            c.knobs.fault_drop_pct = 20.0;
            c.fault_seed = 42;
        })
        .await;
        for _ in 0..12 {
            let _ = Req::post(
                s.portal(),
                "/rest/user.current.json",
                "text/plain",
                "auth=x",
            )
            .send()
            .await;
        }
        let stats = s.stats().await;
        stats["log"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.get("fault").cloned().unwrap_or(Value::Null))
            .collect()
    }
    let a = run().await;
    assert_eq!(a.len(), 12);
    assert!(
        a.iter().any(Value::is_null) && a.iter().any(|f| !f.is_null()),
        "{a:?}"
    );
    assert_eq!(a, run().await);
}

/// The sum of the `by_fault` counters whose name starts with `prefix`.
fn faults_named(stats: &Value, prefix: &str) -> u64 {
    stats["by_fault"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(name, _)| name.starts_with(prefix))
        .map(|(_, n)| n.as_u64().unwrap())
        .sum()
}

#[tokio::test]
async fn stats_count_every_fault_applied() {
    let s = start(false, |c| c.knobs.fault_drop_pct = 100.0).await;
    let token = s.token().await;
    assert!(s.batch(&token).await.is_err());
    s.control(r#"{"fault_drop_pct":0,"fault_5xx_pct":100}"#)
        .await;
    for _ in 0..2 {
        assert!(s.batch(&token).await.unwrap().status >= 500);
    }
    s.control(r#"{"fault_5xx_pct":0,"fault_query_limit_pct":100}"#)
        .await;
    assert_eq!(s.batch(&token).await.unwrap().status, 503);
    s.control(r#"{"fault_query_limit_pct":0,"malformed_next":1,"hang_next":1}"#)
        .await;
    let hung = Req::post(
        s.portal(),
        "/rest/batch.json",
        "text/plain",
        super::batch_body(&token),
    )
    .timeout(Duration::from_millis(800))
    .send()
    .await;
    assert_eq!(hung.unwrap_err(), Failure::TimedOut);
    assert!(serde_json::from_slice::<Value>(&s.batch(&token).await.unwrap().body).is_err());
    // No fault left: an answered request counts nowhere.
    assert_eq!(s.batch(&token).await.unwrap().status, 200);
    let stats = s.stats().await;
    assert_eq!(stats["by_fault"]["drop"], 1, "{}", stats["by_fault"]);
    assert_eq!(faults_named(&stats, "http5"), 2, "{}", stats["by_fault"]);
    assert_eq!(stats["by_fault"]["query_limit"], 1);
    assert_eq!(stats["by_fault"]["hang"], 1);
    assert_eq!(stats["by_fault"]["malformed"], 1);
    assert_eq!(faults_named(&stats, ""), 6);
    // Cleared with the rest.
    Req::post(s.portal(), "/__stats/reset", "application/json", "")
        .send()
        .await
        .unwrap();
    assert_eq!(s.stats().await["by_fault"], serde_json::json!({}));
}

#[tokio::test]
async fn stats_count_expired_tokens_and_churned_tasks() {
    let s = start(false, |c| c.knobs.expire_every = 2).await;
    let token = s.token().await;
    assert_eq!(s.stats().await["tokens_expired"], 0);
    let _ = s.batch(&token).await.unwrap();
    assert_eq!(s.batch(&token).await.unwrap().status, 401);
    let stats = s.stats().await;
    assert_eq!(stats["tokens_expired"], 1);
    assert_eq!(stats["by_status"]["401"], 1);
    assert_eq!(stats["tasks_inserted"], 0);
    assert_eq!(stats["tasks_deleted"], 0);
    s.control(r#"{"expire_every":0,"insert_every":1}"#).await;
    let token = s.token().await;
    s.batch(&token).await.unwrap();
    s.control(r#"{"insert_every":0,"delete_every":1}"#).await;
    s.batch(&token).await.unwrap();
    s.batch(&token).await.unwrap();
    let stats = s.stats().await;
    let churn = crate::rest::CHURN_TASKS as u64;
    assert_eq!(stats["tasks_inserted"].as_u64(), Some(churn));
    assert_eq!(stats["tasks_deleted"].as_u64(), Some(2 * churn));
    assert_eq!(stats["tokens_expired"], 1);
}

#[tokio::test]
async fn stats_count_the_errors_of_batch_commands() {
    let s = start(false, |_| {}).await;
    let token = s.token().await;
    assert_eq!(s.batch(&token).await.unwrap().status, 200);
    assert_eq!(s.stats().await["by_error"], serde_json::json!({}));
    s.control(r#"{"block_method":{"method":"task.item.list","seconds":600}}"#)
        .await;
    // A batch is answered HTTP 200 with each blocked command in `result_error`: both count.
    let r = s.batch(&token).await.unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json()["result"]["result_error"]["p1"]["error"],
        "OPERATION_TIME_LIMIT"
    );
    let stats = s.stats().await;
    assert_eq!(
        stats["by_error"]["OPERATION_TIME_LIMIT"], 2,
        "{}",
        stats["by_error"]
    );
    assert_eq!(
        stats["log"][1]["errors"],
        serde_json::json!(["OPERATION_TIME_LIMIT", "OPERATION_TIME_LIMIT"])
    );
    // A single call's error counts once; the injected rate-limit answer counts by its code too.
    assert_eq!(s.list(&token).await.status, 429);
    s.control(r#"{"fault_query_limit_pct":100}"#).await;
    assert_eq!(s.batch(&token).await.unwrap().status, 503);
    let stats = s.stats().await;
    assert_eq!(
        stats["by_error"]["OPERATION_TIME_LIMIT"], 3,
        "{}",
        stats["by_error"]
    );
    assert_eq!(
        stats["by_error"]["QUERY_LIMIT_EXCEEDED"], 1,
        "{}",
        stats["by_error"]
    );
    // Unblocked (0 seconds from now): answered again, nothing more counted.
    s.control(
        r#"{"fault_query_limit_pct":0,"block_method":{"method":"task.item.list","seconds":0}}"#,
    )
    .await;
    assert_eq!(s.batch(&token).await.unwrap().status, 200);
    let stats = s.stats().await;
    assert_eq!(
        stats["by_error"]["OPERATION_TIME_LIMIT"], 3,
        "{}",
        stats["by_error"]
    );
    assert!(
        stats["log"][4].get("errors").is_none(),
        "{}",
        stats["log"][4]
    );
}
