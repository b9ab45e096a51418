//! `tasks.task.list`, `user.current`, `app.info`, dataset determinism and mutations.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use b24_portal::{demo_portal, member_id_for_seed, Portal, PortalConfig};
use common::*;
use serde_json::json;

#[test]
fn tasks_task_list_named_params_camel_case_and_start_minus_one() {
    let (mut p, t) = portal_with_admin(120);
    let truth = p.visible_task_ids(1);
    let a = &t.access_token;
    let r = post(
        &mut p,
        "/rest/tasks.task.list.json",
        &format!("auth={a}&select[]=ID&select[]=TITLE&select[]=STATUS&select[]=REAL_STATUS&order[ID]=desc&start=50"),
    );
    let v = json(&r);
    assert_eq!(keys(&v), ["result", "next", "total", "time"]);
    let tasks = v["result"]["tasks"].as_array().unwrap();
    // `group` in every row, as in the documented example (no RESPONSIBLE_ID selected, so no
    // `responsible` object).
    assert_eq!(
        keys(&tasks[0]),
        ["title", "id", "status", "subStatus", "group"]
    );
    let got: Vec<u64> = tasks
        .iter()
        .map(|x| x["id"].as_str().unwrap().parse().unwrap())
        .collect();
    assert_eq!(got, truth[50..100]);
    assert_eq!(v["next"], 100);
    assert_eq!(v["total"], 120);
    // start=-1: no COUNT, so neither total nor next.
    let v = json(&post(
        &mut p,
        "/rest/tasks.task.list",
        &format!(
            "auth={a}&order[ID]=desc&filter[%3EID]={}&start=-1",
            truth[10]
        ),
    ));
    assert_eq!(keys(&v), ["result", "time"]);
    assert_eq!(v["result"]["tasks"].as_array().unwrap().len(), 10);
    // Unknown sort key.
    let r = post(
        &mut p,
        "/rest/tasks.task.list",
        &format!("auth={a}&order[NOPE]=asc"),
    );
    assert_eq!(err(&r), (400, "0".into(), "Invalid sorting key".into()));
}

#[test]
fn user_current_app_info_profile_scope() {
    // The exact documented shapes are pinned in documented_shapes.rs; here: the values.
    let (mut p, t) = portal_with_admin(5);
    let a = format!("auth={}", t.access_token);
    let v = json(&post(&mut p, "/rest/user.current.json", &a));
    let u = &v["result"];
    assert_eq!(u["ID"], "1");
    assert!(u["EMAIL"].as_str().unwrap().contains('@'));
    assert_eq!(u["LAST_ACTIVITY_DATE"], "2026-01-01 03:00:00");
    let v = json(&post(&mut p, "/rest/app.info", &a));
    assert_eq!(v["result"]["STATUS"], "L");
    assert_eq!(v["result"]["INSTALLED"], true);
    assert!(v["result"].get("SCOPE").is_none(), "app.info has no SCOPE");
    // A webhook is no application.
    let r = post(&mut p, "/rest/1/emulatorsecret0001/app.info", "");
    assert_eq!(
        err(&r),
        (
            400,
            "ACCESS_DENIED".into(),
            "Access denied! Application context required".into()
        )
    );
    let v = json(&post(&mut p, "/rest/profile", &a));
    assert_eq!(
        (v["result"]["ID"].clone(), v["result"]["ADMIN"].clone()),
        (json!("1"), json!(true))
    );
    let t5 = p.issue_auth(5, NOW_MS);
    let v = json(&post(
        &mut p,
        "/rest/profile",
        &format!("auth={}", t5.access_token),
    ));
    assert_eq!(v["result"]["ADMIN"], false);
    let v = json(&post(&mut p, "/rest/server.time", &a));
    assert_eq!(v["result"], "2026-01-01T03:00:00+03:00");
    let v = json(&post(&mut p, "/rest/scope", &a));
    assert_eq!(v["result"], json!(["task", "user"]));
    let v = json(&post(&mut p, "/rest/1/emulatorsecret0001/scope", ""));
    assert_eq!(v["result"], json!(["task", "user"]));
    let r = post(&mut p, "/rest/scope", &format!("{a}&full=true"));
    assert_eq!(err(&r).1, "EMULATOR_UNSUPPORTED");
}

#[test]
fn app_scopes_decide_what_the_apps_token_may_call() {
    let (mut p, t) = portal_with_admin(5);
    let a = format!("auth={}", t.access_token);
    p.set_app_scopes(&["user".to_string()]);
    // Tokens issued before the change follow it too.
    let v = json(&post(&mut p, "/rest/scope", &a));
    assert_eq!(v["result"], json!(["user"]));
    let r = post(
        &mut p,
        "/rest/task.item.list",
        &format!("{a}&ORDER[ID]=desc"),
    );
    assert_eq!(
        err(&r),
        (
            403,
            "insufficient_scope".into(),
            "The request requires higher privileges than provided by the access token".into()
        )
    );
    // Inside a batch the sub-call fails alone.
    let v = json(&post(
        &mut p,
        "/rest/batch",
        &format!("{a}&cmd[t]=task.item.list&cmd[p]=profile"),
    ));
    assert_eq!(
        v["result"]["result_error"]["t"]["error"],
        "insufficient_scope"
    );
    assert_eq!(v["result"]["result"]["p"]["ID"], "1");
    p.set_app_scopes(&["task".to_string(), "user".to_string()]);
    let v = json(&post(
        &mut p,
        "/rest/task.item.list",
        &format!("{a}&ORDER[ID]=desc"),
    ));
    assert_eq!(v["total"], 5);
    // Webhooks keep their own scopes.
    p.set_app_scopes(&[]);
    let v = json(&post(
        &mut p,
        "/rest/1/emulatorsecret0001/task.item.list",
        "",
    ));
    assert_eq!(v["total"], 5);
}

#[test]
fn same_seed_same_answers_other_seed_other_data() {
    let run = |seed: u64| {
        let mut p = Portal::new(PortalConfig {
            seed,
            tasks: 300,
            bucket: None,
            ..PortalConfig::default()
        });
        let t = p.issue_auth(1, NOW_MS);
        let body = post(
            &mut p,
            "/rest/task.item.list",
            &format!("auth={}&ORDER[ID]=desc", t.access_token),
        )
        .body;
        (t.access_token, body)
    };
    assert_eq!(run(7), run(7));
    assert_ne!(run(7).1, run(8).1);
    let (m1, m2) = (member_id_for_seed(1), member_id_for_seed(2));
    assert_eq!(m1.len(), 32);
    assert!(m1.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_ne!(m1, m2);
    assert_eq!(PortalConfig::default().member_id, m1);
}

#[test]
fn inserted_tasks_appear_on_top_and_deleted_ones_vanish() {
    let (mut p, t) = portal_with_admin(200);
    let before = p.visible_task_ids(1);
    let new_ids = p.insert_tasks(3, NOW_MS + 1000);
    assert_eq!(p.len(), 203);
    assert!(new_ids.iter().all(|id| *id > before[0]));
    let v = json(&post(
        &mut p,
        "/rest/task.item.list",
        &format!("auth={}&ORDER[ID]=desc", t.access_token),
    ));
    let mut top = new_ids.clone();
    top.reverse();
    assert_eq!(ids(&v["result"])[..3], top[..]);
    assert_eq!(v["total"], 203);
    let gone = p.delete_tasks(5);
    assert_eq!(gone.len(), 5);
    assert_eq!(p.len(), 198);
    let after = p.visible_task_ids(1);
    assert!(gone.iter().all(|id| !after.contains(id)));
    // Non-admin caches are refreshed too.
    let t5 = p.issue_auth(5, NOW_MS);
    let rows = all_rows(&mut p, &t5.access_token, "&SELECT[]=ID");
    assert_eq!(rows.len(), p.visible_task_ids(5).len());
}

#[test]
fn demo_portal_is_ready_to_call() {
    let (mut p, t) = demo_portal(100, 3, NOW_MS);
    assert_eq!(p.len(), 100);
    assert!(!p.is_empty());
    assert!(p.config().bucket.is_some());
    let r = post(
        &mut p,
        "/rest/task.item.list.json",
        &format!("auth={}&ORDER[ID]=desc", t.access_token),
    );
    assert_eq!(json(&r)["total"], 100);
}
