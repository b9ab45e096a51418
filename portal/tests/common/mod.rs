//! Helpers shared by the wire-level tests: hand-built requests and parsed answers.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use b24_portal::{AuthTokens, Portal, PortalConfig, RestRequest, RestResponse};
use serde_json::Value;

/// 2026-01-01T00:00:00Z in ms, the default dataset reference.
pub const NOW_MS: u64 = 1_767_225_600_000;

/// A portal without the leaky bucket (tests that are not about limits send many requests).
pub fn portal(tasks: usize) -> Portal {
    Portal::new(PortalConfig {
        tasks,
        bucket: None,
        ..PortalConfig::default()
    })
}

/// A portal plus admin tokens.
pub fn portal_with_admin(tasks: usize) -> (Portal, AuthTokens) {
    let mut p = portal(tasks);
    let t = p.issue_auth(1, NOW_MS);
    (p, t)
}

/// POST `body` as `text/plain` (what BX24.js sends) to `path`.
pub fn post(p: &mut Portal, path: &str, body: &str) -> RestResponse {
    post_at(p, path, body, NOW_MS)
}

/// POST `text/plain` at a given time.
pub fn post_at(p: &mut Portal, path: &str, body: &str, now_ms: u64) -> RestResponse {
    p.handle(&RestRequest {
        path,
        query: "",
        content_type: Some("text/plain;charset=UTF-8"),
        authorization: None,
        body: body.as_bytes(),
        now_ms,
    })
}

/// POST a JSON body.
pub fn post_json(p: &mut Portal, path: &str, body: &str) -> RestResponse {
    p.handle(&RestRequest {
        path,
        query: "",
        content_type: Some("application/json"),
        authorization: None,
        body: body.as_bytes(),
        now_ms: NOW_MS,
    })
}

/// The body parsed as JSON (panics with the body text if it is not JSON).
pub fn json(r: &RestResponse) -> Value {
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.body))
}

/// Object keys in order.
pub fn keys(v: &Value) -> Vec<String> {
    v.as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// IDs of a result page (strings parsed to u64).
pub fn ids(rows: &Value) -> Vec<u64> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| r["ID"].as_str().unwrap().parse().unwrap())
        .collect()
}

/// `error` / `error_description` of an error answer.
pub fn err(r: &RestResponse) -> (u16, String, String) {
    let v = json(r);
    (
        r.status,
        v["error"].as_str().unwrap_or_default().to_string(),
        v["error_description"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    )
}

/// Percent-encodes a value the way `encodeURIComponent` does.
pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Parses `YYYY-MM-DDTHH:MM:SS+03:00` to Unix seconds.
pub fn parse_iso(s: &str) -> i64 {
    let n = |a: usize, b: usize| s[a..b].parse::<i64>().unwrap();
    let (y, m, d) = (n(0, 4), n(5, 7), n(8, 10));
    let (hh, mm, ss) = (n(11, 13), n(14, 16), n(17, 19));
    assert_eq!(&s[19..], "+03:00", "portal offset");
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    days * 86_400 + hh * 3600 + mm * 60 + ss - 3 * 3600
}

/// Fetches every row visible to the token holder, ID desc, `ORDER`/`FILTER` pages with a
/// `<ID` cursor; returns the rows.
pub fn all_rows(p: &mut Portal, token: &str, select: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cursor = u64::MAX / 2;
    loop {
        let r = post(
            p,
            "/rest/task.item.list.json",
            &format!("auth={token}&ORDER[ID]=desc&FILTER[%3CID]={cursor}&PARAMS[NAV_PARAMS][nPageSize]=50{select}"),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        let v = json(&r);
        let rows = v["result"].as_array().unwrap().clone();
        let n = rows.len();
        if let Some(last) = rows.last() {
            cursor = last["ID"].as_str().unwrap().parse().unwrap();
        }
        out.extend(rows);
        if n < 50 {
            break;
        }
    }
    out
}
