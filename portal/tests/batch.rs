//! `batch` on the wire: SDK encodings, references, limits, halt, result member shapes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use b24_portal::querystring::parse_str;
use b24_portal::{Portal, PortalConfig, Webhook};
use common::*;
use serde_json::{json, Value};

const BATCH: &str = "/rest/batch.json";

/// `cmd[key]=<encodeURIComponent(cmd)>` pairs.
fn cmds(list: &[(&str, String)]) -> String {
    list.iter()
        .map(|(k, c)| format!("&cmd[{k}]={}", enc(c)))
        .collect()
}

fn page_cmd(filter: &str) -> String {
    format!(
        "task.item.list?ORDER[ID]=desc&FILTER[{}]&PARAMS[NAV_PARAMS][nPageSize]=50&SELECT[]=ID",
        filter
    )
}

#[test]
fn sdk_batch_body_decodes_to_the_right_command_strings() {
    // Body from docs/platform/frame-protocol.md, "Parameter encoding" (BX24.callBatch with halt).
    let body = "auth=tok1&halt=1&cmd[a]=user.current%3F&cmd[b]=department.get%3FID%3D%2524result%255Ba%255D%255BUF_DEPARTMENT%255D";
    let outer = parse_str(body);
    let cmd = outer.get_text("cmd").unwrap().as_array().unwrap();
    assert_eq!(cmd.get_text("a").unwrap().as_str(), Some("user.current?"));
    let b = cmd.get_text("b").unwrap().as_str().unwrap();
    assert_eq!(b, "department.get?ID=%24result%5Ba%5D%5BUF_DEPARTMENT%5D");
    let inner = parse_str(b.split_once('?').unwrap().1);
    assert_eq!(
        inner.get_text("ID").unwrap().as_str(),
        Some("$result[a][UF_DEPARTMENT]")
    );

    // Run it: user.current works, department.get is named as not emulated.
    let (mut p, t) = portal_with_admin(10);
    let r = post(&mut p, BATCH, &body.replace("tok1", &t.access_token));
    assert_eq!(r.status, 200);
    let v = json(&r);
    assert_eq!(v["result"]["result"]["a"]["ID"], "1");
    assert_eq!(
        v["result"]["result_error"]["b"]["error"],
        "EMULATOR_UNSUPPORTED"
    );
    assert!(v["result"]["result_error"]["b"]["error_description"]
        .as_str()
        .unwrap()
        .contains("department.get"));
    assert_eq!(r.subcalls, 1);
}

#[test]
fn a_reference_embedded_in_a_filter_value_is_resolved() {
    let (mut p, t) = portal_with_admin(300);
    // cmd[b] = task.item.list?...FILTER[RESPONSIBLE_ID]=$result[a][ID]  (double-encoded)
    let body = format!(
        "auth={}&halt=0&cmd[a]=user.current%3F&cmd[b]=task.item.list%3FORDER%5BID%5D%3Ddesc%26FILTER%5BRESPONSIBLE_ID%5D%3D%2524result%255Ba%255D%255BID%255D",
        t.access_token
    );
    let v = json(&post(&mut p, BATCH, &body));
    let rows = v["result"]["result"]["b"].as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["RESPONSIBLE_ID"] == "1"));
    let all = p.visible_task_ids(1).len() as u64;
    assert!(v["result"]["result_total"]["b"].as_u64().unwrap() < all);
}

/// Three chained pages: p0 from `<ID cursor`, then `<ID = $result[prev][49][ID]`.
fn chained(p: &mut Portal, token: &str, cursor: u64) -> Value {
    let body = format!(
        "auth={token}&halt=0{}",
        cmds(&[
            ("p0", page_cmd(&format!("%3CID]={cursor}"))),
            ("p1", page_cmd("%3CID]=$result[p0][49][ID]")),
            ("p2", page_cmd("%3CID]=$result[p1][49][ID]")),
        ])
    );
    let r = post(p, BATCH, &body);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.subcalls, 3);
    json(&r)
}

#[test]
fn chained_keyset_pages_when_every_page_is_full() {
    let (mut p, t) = portal_with_admin(400);
    let truth = p.visible_task_ids(1);
    let v = chained(&mut p, &t.access_token, truth[0] + 1);
    let res = &v["result"]["result"];
    assert_eq!(ids(&res["p0"]), truth[..50]);
    assert_eq!(ids(&res["p1"]), truth[50..100]);
    assert_eq!(ids(&res["p2"]), truth[100..150]);
    assert_eq!(v["result"]["result_total"]["p1"], truth.len() - 50);
    assert_eq!(v["result"]["result_next"]["p0"], 50);
}

#[test]
fn chained_keyset_after_a_short_page_gets_nothing_then_restarts_from_the_top() {
    let (mut p, t) = portal_with_admin(400);
    let truth = p.visible_task_ids(1);
    // p0 starts 10 rows before the end: a short page.
    let v = chained(&mut p, &t.access_token, truth[truth.len() - 10]);
    let res = &v["result"]["result"];
    assert_eq!(ids(&res["p0"]), truth[truth.len() - 9..]);
    // $result[p0][49][ID] stops at the whole (short) page: `<ID` = [rows] = "ID < 1".
    assert_eq!(res["p1"], json!([]));
    assert_eq!(v["result"]["result_total"]["p1"], 0);
    // $result[p1][49][ID] resolves to [] (the empty page): the filter disappears and the
    // page starts at the top again — duplicates for a naive client.
    assert_eq!(ids(&res["p2"]), truth[..50]);
    assert_eq!(v["result"]["result_total"]["p2"], truth.len());
}

#[test]
fn chained_keyset_from_an_empty_first_page() {
    let (mut p, t) = portal_with_admin(120);
    let truth = p.visible_task_ids(1);
    let v = chained(&mut p, &t.access_token, 0);
    let res = &v["result"]["result"];
    assert_eq!(res["p0"], json!([]));
    assert_eq!(ids(&res["p1"]), truth[..50], "empty page → no filter → top");
    assert_eq!(ids(&res["p2"]), truth[50..100]);
}

#[test]
fn a_reference_to_a_failed_command_sees_the_whole_result_map() {
    let (mut p, t) = portal_with_admin(120);
    let truth = p.visible_task_ids(1);
    let body = format!(
        "auth={}{}",
        t.access_token,
        cmds(&[
            ("ok", page_cmd(&format!("%3CID]={}", truth[0] + 1))),
            ("bad", "task.item.list?ORDER[REAL_STATUS]=asc".into()),
            ("next", page_cmd("%3CID]=$result[bad][49][ID]")),
        ])
    );
    let v = json(&post(&mut p, BATCH, &body));
    assert_eq!(v["result"]["result_error"]["bad"]["error"], "ERROR_CORE");
    // `bad` has no result: the walk stops at {ok: [50 rows]} → one non-empty element → ID < 1.
    assert_eq!(v["result"]["result"]["next"], json!([]));
}

#[test]
fn next_and_total_accumulators_are_referenceable() {
    let (mut p, t) = portal_with_admin(200);
    let truth = p.visible_task_ids(1);
    let body = format!(
        "auth={}{}",
        t.access_token,
        cmds(&[
            (
                "a",
                "task.item.list?ORDER[ID]=desc&FILTER[]=&PARAMS[]=&SELECT[]=ID".into()
            ),
            (
                "b",
                "task.item.list?ORDER[ID]=desc&FILTER[]=&PARAMS[]=&SELECT[]=ID&start=$next[a]"
                    .into()
            ),
            (
                "c",
                "task.item.list?ORDER[ID]=desc&FILTER[%3CID]=x$total[a]&PARAMS[]=&SELECT[]=ID"
                    .into()
            ),
        ])
    );
    let v = json(&post(&mut p, BATCH, &body));
    assert_eq!(ids(&v["result"]["result"]["b"]), truth[50..100], "{v}");
    // Embedded in a longer string the number is substituted: "x200" → intval 0 → nothing.
    assert_eq!(v["result"]["result_total"]["c"], 0);
}

#[test]
fn more_than_fifty_commands_are_not_run() {
    let (mut p, t) = portal_with_admin(10);
    let mut body = format!("auth={}", t.access_token);
    for i in 0..51 {
        body.push_str(&format!("&cmd[c{i}]=user.current"));
    }
    let r = post(&mut p, BATCH, &body);
    assert_eq!(r.status, 200);
    assert_eq!(r.subcalls, 50);
    let v = json(&r);
    assert_eq!(v["result"]["result"].as_object().unwrap().len(), 50);
    assert_eq!(
        v["result"]["result_error"],
        json!({"c50": {"error": "ERROR_BATCH_LENGTH_EXCEEDED", "error_description": "Max batch length exceeded"}})
    );
}

#[test]
fn halt_stops_after_the_first_failure_and_members_keep_php_array_shapes() {
    let (mut p, t) = portal_with_admin(10);
    let a = &t.access_token;
    let list = "&cmd[]=user.current&cmd[]=no.such.method&cmd[]=app.info";
    // halt=1: the third command is not run; keys 0 → a JSON list, key 1 → an object.
    let r = post(&mut p, BATCH, &format!("auth={a}&halt=1{list}"));
    let v = json(&r);
    assert_eq!(r.subcalls, 1);
    assert!(v["result"]["result"].is_array());
    assert_eq!(v["result"]["result"].as_array().unwrap().len(), 1);
    assert_eq!(
        v["result"]["result_error"],
        json!({"1": {"error": "ERROR_METHOD_NOT_FOUND", "error_description": "Method not found!"}})
    );
    assert_eq!(v["result"]["result_total"], json!([]));
    assert_eq!(v["result"]["result_next"], json!([]));
    assert!(v["result"]["result_time"].is_array());
    // halt=0: all run; result keys 0 and 2 → an object.
    let v = json(&post(&mut p, BATCH, &format!("auth={a}&halt=0{list}")));
    assert_eq!(keys(&v["result"]["result"]), ["0", "2"]);
    // PHP (bool)"false" is true: halts.
    let v = json(&post(&mut p, BATCH, &format!("auth={a}&HALT=false{list}")));
    assert_eq!(v["result"]["result"].as_array().unwrap().len(), 1);
    // Envelope.
    assert_eq!(keys(&v), ["result", "time"]);
    assert_eq!(
        keys(&v["result"]),
        [
            "result",
            "result_error",
            "result_total",
            "result_next",
            "result_time"
        ]
    );
}

#[test]
fn all_success_batch_has_empty_error_member_and_list_results() {
    let (mut p, t) = portal_with_admin(10);
    let body = format!(
        "auth={}&CMD[0]=user.current&CMD[1]=task.item.list%3FORDER%5BID%5D%3Ddesc",
        t.access_token
    );
    let v = json(&post(&mut p, BATCH, &body));
    assert!(v["result"]["result"].is_array());
    assert_eq!(v["result"]["result_error"], json!([]));
    assert_eq!(v["result"]["result_total"], json!({"1": 10}));
    assert_eq!(v["result"]["result_next"], json!([]));
    // Keys 0..n-1 make every member a JSON list, result_time included.
    assert_eq!(v["result"]["result_time"].as_array().unwrap().len(), 2);
    assert_eq!(
        keys(&v["result"]["result_time"][1])[6],
        "operating_reset_at"
    );
}

#[test]
fn json_body_commands_non_strings_skipped_nested_batch_refused() {
    let (mut p, t) = portal_with_admin(10);
    let body = format!(
        r#"{{"auth":"{}","halt":0,"cmd":{{"n":5,"u":"user.current","b":"batch?cmd[x]=user.current"}}}}"#,
        t.access_token
    );
    let r = post_json(&mut p, BATCH, &body);
    let v = json(&r);
    assert_eq!(keys(&v["result"]["result"]), ["u"]);
    assert_eq!(
        v["result"]["result_error"],
        json!({"b": {"error": "ERROR_BATCH_METHOD_NOT_ALLOWED", "error_description": "Method is not allowed for batch usage"}})
    );
    assert_eq!(r.subcalls, 1);
}

#[test]
fn scope_is_checked_per_sub_call_with_the_outer_auth() {
    let mut p = Portal::new(PortalConfig {
        tasks: 10,
        bucket: None,
        webhooks: vec![Webhook {
            user_id: 1,
            secret: "tasksonly".into(),
            scopes: vec!["task".into()],
        }],
        ..PortalConfig::default()
    });
    // Any auth inside a command is ignored: the webhook's user and scopes apply.
    let r = post(
        &mut p,
        "/rest/1/tasksonly/batch",
        "cmd[t]=task.item.list%3Fauth%3Dbogus&cmd[u]=user.current",
    );
    let v = json(&r);
    assert_eq!(r.status, 200);
    assert_eq!(v["result"]["result"]["t"].as_array().unwrap().len(), 10);
    assert_eq!(
        v["result"]["result_error"]["u"],
        json!({"error": "insufficient_scope", "error_description": "The request requires higher privileges than provided by the webhook token"})
    );
}

#[test]
fn a_full_page_batch_of_fifty_loads_2500_rows_in_one_request() {
    let (mut p, t) = portal_with_admin(3000);
    let truth = p.visible_task_ids(1);
    let mut list = vec![("p0", page_cmd(&format!("%3CID]={}", truth[0] + 1)))];
    let names: Vec<String> = (0..50).map(|i| format!("p{i}")).collect();
    for i in 1..50 {
        list.push((
            names[i].as_str(),
            page_cmd(&format!("%3CID]=$result[{}][49][ID]", names[i - 1])),
        ));
    }
    let r = post(
        &mut p,
        BATCH,
        &format!("auth={}{}", t.access_token, cmds(&list)),
    );
    assert_eq!(r.subcalls, 50);
    let v = json(&r);
    let mut got = Vec::new();
    for n in &names {
        got.extend(ids(&v["result"]["result"][n]));
    }
    assert_eq!(got, truth[..2500]);
}
