//! Order of checks, auth errors, webhooks, the leaky bucket and the operating limit.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use b24_portal::{Bucket, Portal, PortalConfig, RestRequest, Webhook};
use common::*;
use serde_json::json;

const LIST: &str = "/rest/task.item.list.json";

#[test]
fn unknown_method_is_404_before_auth_and_unemulated_methods_are_named() {
    let mut p = portal(10);
    assert_eq!(
        err(&post(&mut p, "/rest/no.such.method.json", "")),
        (
            404,
            "ERROR_METHOD_NOT_FOUND".into(),
            "Method not found!".into()
        )
    );
    assert_eq!(err(&post(&mut p, "/rest/not-rest", "")).0, 404);
    let (status, code, text) = err(&post(&mut p, "/rest/crm.deal.list.json", ""));
    assert_eq!((status, code.as_str()), (400, "EMULATOR_UNSUPPORTED"));
    assert!(text.contains("crm.deal.list"), "{text}");
    // A disabled method answers like an unknown one, even with valid auth.
    let t = p.issue_auth(1, NOW_MS);
    p.disable_method("task.item.list");
    let r = post(&mut p, LIST, &format!("auth={}", t.access_token));
    assert_eq!(err(&r).1, "ERROR_METHOD_NOT_FOUND");
    let r = post(
        &mut p,
        "/rest/batch",
        &format!("auth={}&cmd[a]=task.item.list", t.access_token),
    );
    assert_eq!(
        json(&r)["result"]["result_error"]["a"]["error"],
        "ERROR_METHOD_NOT_FOUND"
    );
}

#[test]
fn oauth_token_errors() {
    let mut p = portal(10);
    assert_eq!(
        err(&post(&mut p, LIST, "")),
        (
            401,
            "NO_AUTH_FOUND".into(),
            "Wrong authorization data".into()
        )
    );
    let (s, code, _) = err(&post(&mut p, LIST, "auth=nonsense"));
    assert_eq!((s, code.as_str()), (401, "invalid_token"));

    let t = p.issue_auth(1, NOW_MS);
    let body = format!("auth={}", t.access_token);
    assert_eq!(post(&mut p, LIST, &body).status, 200);
    // access_token works as a parameter name, Authorization: Bearer as a header.
    assert_eq!(
        post(&mut p, LIST, &format!("access_token={}", t.access_token)).status,
        200
    );
    let bearer = format!("Bearer {}", t.access_token);
    let r = p.handle(&RestRequest {
        path: LIST,
        query: "",
        content_type: None,
        authorization: Some(&bearer),
        body: b"",
        now_ms: NOW_MS,
    });
    assert_eq!(r.status, 200);
    // One hour later the token has expired.
    let expired = (
        401,
        "expired_token".to_string(),
        "The access token provided has expired".to_string(),
    );
    assert_eq!(
        err(&post_at(&mut p, LIST, &body, NOW_MS + 3_600_000)),
        expired
    );
    assert_eq!(post_at(&mut p, LIST, &body, NOW_MS + 3_599_999).status, 200);
    // Refresh gives a working token; a refresh token is single use.
    let t2 = p
        .refresh_auth(&t.refresh_token, NOW_MS + 3_600_000)
        .unwrap();
    assert_eq!(t2.expires_in_s, 3600);
    assert_eq!(t2.member_id, p.config().member_id);
    let body2 = format!("auth={}", t2.access_token);
    assert_eq!(
        post_at(&mut p, LIST, &body2, NOW_MS + 3_600_000).status,
        200
    );
    assert!(p.refresh_auth(&t.refresh_token, NOW_MS).is_none());
    // expire_tokens: everything issued so far expires now.
    p.expire_tokens();
    assert_eq!(err(&post(&mut p, LIST, &body2)), expired);
    let t3 = p.issue_auth(1, NOW_MS);
    assert_eq!(
        post(&mut p, LIST, &format!("auth={}", t3.access_token)).status,
        200
    );
}

#[test]
fn webhooks_credentials_and_scopes() {
    let mut p = Portal::new(PortalConfig {
        tasks: 10,
        bucket: None,
        webhooks: vec![
            Webhook {
                user_id: 1,
                secret: "emulatorsecret0001".into(),
                scopes: vec!["task".into(), "user".into()],
            },
            Webhook {
                user_id: 3,
                secret: "useronly".into(),
                scopes: vec!["user".into()],
            },
        ],
        ..PortalConfig::default()
    });
    let ok = post(
        &mut p,
        "/rest/1/emulatorsecret0001/task.item.list.json",
        "ORDER[ID]=desc",
    );
    assert_eq!(ok.status, 200);
    assert_eq!(json(&ok)["total"], 10);
    assert_eq!(
        err(&post(&mut p, "/rest/1/wrong/task.item.list.json", "")),
        (
            403,
            "INVALID_CREDENTIALS".into(),
            "Invalid request credentials".into()
        )
    );
    assert_eq!(
        err(&post(&mut p, "/rest/3/emulatorsecret0001/user.current", "")).1,
        "INVALID_CREDENTIALS"
    );
    // 404 still wins over bad credentials.
    assert_eq!(err(&post(&mut p, "/rest/1/wrong/nope.json", "")).0, 404);
    assert_eq!(
        err(&post(&mut p, "/rest/3/useronly/task.item.list", "")),
        (
            403,
            "insufficient_scope".into(),
            "The request requires higher privileges than provided by the webhook token".into()
        )
    );
    let me = json(&post(&mut p, "/rest/3/useronly/user.current.json", ""));
    assert_eq!(me["result"]["ID"], "3");
}

#[test]
fn leaky_bucket_50_per_2s_counts_each_http_request_and_batch_once() {
    let mut p = Portal::new(PortalConfig {
        tasks: 10,
        bucket: Some(Bucket::STANDARD),
        ..PortalConfig::default()
    });
    let t = p.issue_auth(1, NOW_MS);
    let body = format!("auth={}&ORDER[ID]=desc", t.access_token);
    // A batch of 50 sub-calls is one request.
    let mut batch = format!("auth={}", t.access_token);
    for i in 0..50 {
        batch.push_str(&format!("&cmd[{i}]=user.current"));
    }
    assert_eq!(post(&mut p, "/rest/batch.json", &batch).status, 200);
    for i in 1..50 {
        assert_eq!(post(&mut p, LIST, &body).status, 200, "request {i}");
    }
    assert_eq!(
        err(&post(&mut p, LIST, &body)),
        (
            503,
            "QUERY_LIMIT_EXCEEDED".into(),
            "Too many requests".into()
        )
    );
    // Half a second drains one request.
    assert_eq!(post_at(&mut p, LIST, &body, NOW_MS + 499).status, 503);
    assert_eq!(post_at(&mut p, LIST, &body, NOW_MS + 500).status, 200);
    assert_eq!(post_at(&mut p, LIST, &body, NOW_MS + 500).status, 503);
    // Unauthenticated requests are rejected before the bucket and do not fill it.
    assert_eq!(post_at(&mut p, LIST, "", NOW_MS + 1000).status, 401);
    assert_eq!(post_at(&mut p, LIST, &body, NOW_MS + 1000).status, 200);
}

#[test]
fn operating_limit_blocks_a_method_and_reports_the_reset_time() {
    let mut p = Portal::new(PortalConfig {
        tasks: 10,
        bucket: None,
        subcall_cost_ms: 10_000,
        operating_limit_s: Some(480.0),
        ..PortalConfig::default()
    });
    let t = p.issue_auth(1, NOW_MS);
    let body = format!("auth={}&ORDER[ID]=desc", t.access_token);
    let minute_start = (NOW_MS / 1000 / 60 * 60) as i64;
    for i in 1..=49u64 {
        let r = post(&mut p, LIST, &body);
        assert_eq!(r.status, 200, "call {i}");
        assert_eq!(r.processing_ms, 10_000);
        let v = json(&r);
        assert_eq!(v["time"]["operating"], json!((i * 10) as f64));
        assert_eq!(v["time"]["processing"], json!(10.0));
        assert_eq!(v["time"]["operating_reset_at"], minute_start + 600);
    }
    // 490 s > 480 s: blocked.
    let r = post(&mut p, LIST, &body);
    assert_eq!(r.status, 429);
    let v = json(&r);
    assert_eq!(v["error"], "OPERATION_TIME_LIMIT");
    assert_eq!(
        v["error_description"],
        "Method is blocked due to operation time limit."
    );
    // As documented, the error has no `time`: the reset is in the last successful answer.
    assert!(v.get("time").is_none(), "{v}");
    // Other methods are fine; inside a batch the sub-call is blocked, batch itself is not.
    let r = post(
        &mut p,
        "/rest/batch",
        &format!(
            "auth={}&cmd[u]=user.current&cmd[l]=task.item.list",
            t.access_token
        ),
    );
    assert_eq!(r.status, 200);
    let v = json(&r);
    assert_eq!(v["result"]["result"]["u"]["ID"], "1");
    assert_eq!(
        v["result"]["result_error"]["l"]["error"],
        "OPERATION_TIME_LIMIT"
    );
    // After the reset the method works again.
    let later = (minute_start as u64 + 600) * 1000;
    let t2 = p.issue_auth(1, later);
    let body2 = format!("auth={}&ORDER[ID]=desc", t2.access_token);
    assert_eq!(post_at(&mut p, LIST, &body2, later).status, 200);
}

#[test]
fn block_method_until_forces_429() {
    let mut p = portal(10);
    let t = p.issue_auth(1, NOW_MS);
    let until = (NOW_MS / 1000) as i64 + 30;
    p.block_method_until("task.item.list", until);
    let body = format!("auth={}", t.access_token);
    let r = post(&mut p, LIST, &body);
    assert_eq!(r.status, 429);
    assert!(json(&r).get("time").is_none());
    assert_eq!(
        post_at(&mut p, LIST, &body, until as u64 * 1000).status,
        200
    );
}

#[test]
fn every_answer_is_json() {
    let mut p = Portal::new(PortalConfig {
        tasks: 5,
        ..PortalConfig::default()
    });
    for (path, body) in [
        ("/rest/x", ""),
        ("/rest/batch", "%%%&&==[[]]"),
        (LIST, "auth=%FF%FE"),
        ("/rest/1/emulatorsecret0001/batch", "cmd=notarray&halt[]=1"),
        (
            "/rest/1/emulatorsecret0001/task.item.list",
            "0[ID]=desc&1[ID][x][y]=1&2=3",
        ),
        (
            "/rest/1/emulatorsecret0001/task.item.list",
            "a[b=1&start=abc",
        ),
        ("/rest/1/emulatorsecret0001/task.item.list", "ORDER[ID]=desc&start=1e300"),
        (
            "/rest/1/emulatorsecret0001/task.item.list",
            "ORDER[ID]=asc&FILTER[%3EID]=-9223372036854775808&PARAMS[NAV_PARAMS][nPageSize]=7&PARAMS[NAV_PARAMS][iNumPage]=9223372036854775807",
        ),
        ("/rest/1/emulatorsecret0001/task.item.list", "FILTER[%3C%3DID]=9223372036854775807"),
        ("/rest/1/emulatorsecret0001/tasks.task.list", "start=99999999999999999999999"),
        ("/rest/1/emulatorsecret0001/batch", "cmd[a]=%24result%5B&cmd[b]=task.item.list%3FFILTER%5BID%5D%3D%24error%5Ba%5D%5Berror%5D%5B0%5D"),
    ] {
        let r = post(&mut p, path, body);
        assert!(
            serde_json::from_str::<serde_json::Value>(&r.body).is_ok(),
            "{path}: {}",
            r.body
        );
    }
}
