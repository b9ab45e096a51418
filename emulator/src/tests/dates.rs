//! The portal's time zone and the task mutations of `/__control` (issues 14, 15), end to end:
//! `utc_offset` rewrites every task date, `update_tasks` / `insert_tasks` move CHANGED_DATE so
//! a `>=CHANGED_DATE` filter finds exactly them, `delete_tasks` removes tasks from the truth,
//! `hide_tasks` / `reveal_tasks` change one user's view and move no date.

use serde_json::Value;

use super::client::Req;
use super::{start, urlencode, Running};

/// The first page of a `task.item.list` call with ORDER `order` and FILTER `filter`
/// (positional: both must be there; one page of 50 is enough here).
async fn list(s: &Running, token: &str, order: &str, filter: &str) -> Vec<Value> {
    let reply = Req::post(
        s.portal(),
        "/rest/task.item.list.json",
        "text/plain",
        format!("auth={token}&{order}&{filter}&PARAMS[NAV_PARAMS][nPageSize]=50&SELECT[]=ID&SELECT[]=CHANGED_DATE&SELECT[]=CREATED_DATE&SELECT[]=DEADLINE"),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["result"].as_array().unwrap().clone()
}

fn ids(rows: &[Value]) -> Vec<u64> {
    let mut v: Vec<u64> = rows
        .iter()
        .map(|r| r["ID"].as_str().unwrap().parse().unwrap())
        .collect();
    v.sort_unstable();
    v
}

fn id_list(v: &Value) -> Vec<u64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap())
        .collect()
}

#[tokio::test]
async fn utc_offset_flag_and_knob_set_the_offset_of_every_date() {
    let s = start(false, |c| c.knobs.utc_offset_s = 2 * 3600).await;
    let token = s.token().await;
    let rows = list(&s, &token, "ORDER[ID]=desc", "FILTER[%3EID]=0").await;
    assert!(!rows.is_empty());
    for r in &rows {
        assert!(
            r["CREATED_DATE"].as_str().unwrap().ends_with("+02:00"),
            "{r}"
        );
    }
    let knobs = s.control(r#"{"utc_offset":"-05:30"}"#).await.json();
    assert_eq!(knobs["utc_offset"], "-05:30");
    let again = list(&s, &token, "ORDER[ID]=desc", "FILTER[%3EID]=0").await;
    assert_eq!(ids(&again), ids(&rows));
    for r in &again {
        assert!(
            r["CHANGED_DATE"].as_str().unwrap().ends_with("-05:30"),
            "{r}"
        );
        let d = r["DEADLINE"].as_str().unwrap();
        assert!(d.is_empty() || d.ends_with("-05:30"), "{d}");
    }
    let bad = s.control(r#"{"utc_offset":"+25:00"}"#).await;
    assert_eq!(bad.status, 400);
    assert!(bad.text().contains("utc_offset"), "{}", bad.text());
    assert_eq!(s.stats().await["knobs"]["utc_offset"], "-05:30");
}

#[tokio::test]
async fn mutations_move_changed_date_and_the_truth() {
    let s = start(false, |_| {}).await;
    let token = s.token().await;
    let newest = list(&s, &token, "ORDER[CHANGED_DATE]=desc", "FILTER[%3EID]=0").await;
    let since = newest[0]["CHANGED_DATE"].as_str().unwrap().to_string();
    // Far enough in the wall clock that "now" is after every generated CHANGED_DATE second.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let r = s
        .control(r#"{"update_tasks":7,"insert_tasks":3,"delete_tasks":2}"#)
        .await
        .json();
    let (updated, inserted, deleted) = (
        id_list(&r["tasks"]["updated"]),
        id_list(&r["tasks"]["inserted"]),
        id_list(&r["tasks"]["deleted"]),
    );
    assert_eq!((updated.len(), inserted.len(), deleted.len()), (7, 3, 2));
    let truth: Vec<u64> = id_list(&s.get_with_token("/__truth").await.json());
    assert!(inserted.iter().all(|i| truth.contains(i)));
    assert!(deleted.iter().all(|i| !truth.contains(i)));
    let filter = format!("FILTER[%3ECHANGED_DATE]={}", urlencode(&since));
    let changed = list(&s, &token, "ORDER[CHANGED_DATE]=asc", &filter).await;
    let mut want: Vec<u64> = updated
        .iter()
        .chain(&inserted)
        .filter(|i| !deleted.contains(i))
        .copied()
        .collect();
    want.sort_unstable();
    assert_eq!(ids(&changed), want);
    // Knobs answer without a "tasks" member when nothing was mutated.
    assert!(s
        .control(r#"{"latency_ms":0}"#)
        .await
        .json()
        .get("tasks")
        .is_none());
}

#[test]
fn utc_offset_is_a_command_line_flag_too() {
    let args = |v: &[&str]| v.iter().map(|s| (*s).to_string()).collect::<Vec<_>>();
    match crate::cli::parse(&args(&["--app", "d", "--utc-offset", "+02:00"])) {
        Ok(crate::cli::Command::Run(c)) => assert_eq!(c.knobs.utc_offset_s, 7200),
        other => panic!("{other:?}"),
    }
    let err = crate::cli::parse(&args(&["--app", "d", "--utc-offset", "Europe/Kyiv"])).unwrap_err();
    assert!(err.contains("utc_offset"), "{err}");
}

#[tokio::test]
async fn hide_and_reveal_change_one_users_view_without_moving_dates() {
    let s = start(false, |_| {}).await;
    let token = s.token().await;
    let truth = || async { id_list(&s.get_with_token("/__truth").await.json()) };
    let before = truth().await;
    let r = s
        .control(r#"{"hide_tasks":{"user":1,"count":6,"seed":4}}"#)
        .await
        .json();
    let hidden = id_list(&r["tasks"]["hidden"]);
    assert_eq!(hidden.len(), 6);
    let now = truth().await;
    assert_eq!(now.len(), before.len() - 6);
    assert!(hidden
        .iter()
        .all(|h| before.contains(h) && !now.contains(h)));
    // Nothing moved: a CHANGED_DATE filter from the newest date finds no hidden task.
    let newest = list(&s, &token, "ORDER[CHANGED_DATE]=desc", "FILTER[%3EID]=0").await;
    let since = newest[0]["CHANGED_DATE"].as_str().unwrap().to_string();
    let filter = format!("FILTER[%3E%3DCHANGED_DATE]={}", urlencode(&since));
    let changed = ids(&list(&s, &token, "ORDER[ID]=asc", &filter).await);
    assert!(changed.iter().all(|c| !hidden.contains(c)), "{changed:?}");
    let r = s
        .control(r#"{"reveal_tasks":{"user":1,"count":6}}"#)
        .await
        .json();
    assert_eq!(id_list(&r["tasks"]["revealed"]), hidden);
    assert_eq!(truth().await, before);
    let bad = s.control(r#"{"hide_tasks":{"count":6}}"#).await;
    assert_eq!(bad.status, 400);
    assert!(bad.text().contains("hide_tasks"), "{}", bad.text());
}

#[test]
fn dense_ids_is_a_command_line_flag() {
    let args = |v: &[&str]| v.iter().map(|s| (*s).to_string()).collect::<Vec<_>>();
    match crate::cli::parse(&args(&["--app", "d", "--dense-ids", "true"])) {
        Ok(crate::cli::Command::Run(c)) => assert!(c.dense_ids),
        other => panic!("{other:?}"),
    }
    assert!(crate::cli::parse(&args(&["--app", "d", "--dense-ids", "maybe"])).is_err());
}
