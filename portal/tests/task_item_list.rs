//! `task.item.list` on the wire: positional parameters, paging, rows, statuses, filters.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::Value;

const LIST: &str = "/rest/task.item.list.json";

fn wrong_args(msg: &str) -> String {
    format!("TASKS_ERROR_EXCEPTION_#256; {msg}; 256/TE/WRONG_ARGUMENTS<br>")
}

#[test]
fn bx24_style_positional_body_returns_first_page_with_next_and_total() {
    let (mut p, t) = portal_with_admin(1000);
    let truth = p.visible_task_ids(1);
    // BX24.callMethod('task.item.list', [{ID:'desc'}, [''], {NAV_PARAMS:{nPageSize:50}}, ['ID','TITLE']])
    let body = format!(
        "auth={}&0[ID]=desc&1[0]=&2[NAV_PARAMS][nPageSize]=50&3[0]=ID&3[1]=TITLE",
        t.access_token
    );
    let r = post(&mut p, LIST, &body);
    assert_eq!(r.status, 200, "{}", r.body);
    let v = json(&r);
    assert_eq!(keys(&v), ["result", "next", "total", "time"]);
    assert_eq!(ids(&v["result"]), truth[..50]);
    assert_eq!(v["next"], 50);
    assert_eq!(v["total"], truth.len());
    assert_eq!(
        keys(&v["time"]),
        [
            "start",
            "finish",
            "duration",
            "processing",
            "date_start",
            "date_finish",
            "operating_reset_at",
            "operating"
        ]
    );
    assert_eq!(v["time"]["date_start"], "2026-01-01T03:00:00+03:00");
}

#[test]
fn parameter_names_are_ignored_only_order_counts_json_doc_example() {
    let (mut p, t) = portal_with_admin(300);
    let truth = p.visible_task_ids(1);
    let six: Vec<u64> = truth.iter().rev().take(6).copied().collect(); // six smallest IDs
    let body = format!(
        r#"{{"auth":"{}","order":{{"ID":"desc"}},"filter":{{"ID":{:?}}},"params":{{"NAV_PARAMS":{{"nPageSize":2,"iNumPage":2}}}}}}"#,
        t.access_token, six
    );
    let v = json(&post_json(&mut p, LIST, &body));
    let mut desc = six.clone();
    desc.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(ids(&v["result"]), desc[2..4]);
    assert_eq!(v["total"], 6);
    // next = page·size = 4, which as `start` would map back to page 1
    // (docs/platform/task-list.md, "PARAMS and paging").
    assert_eq!(v["next"], 4);
    // Same call with other names (or none) gives the same rows.
    let body2 = format!(
        r#"{{"auth":"{}","x":{{"ID":"desc"}},"y":{{"ID":{:?}}},"z":{{"NAV_PARAMS":{{"nPageSize":2,"iNumPage":2}}}}}}"#,
        t.access_token, six
    );
    assert_eq!(
        json(&post_json(&mut p, LIST, &body2))["result"],
        v["result"]
    );
}

#[test]
fn empty_placeholders_drop_order_filter_params_but_select_keeps_its_empty_string() {
    let (mut p, t) = portal_with_admin(200);
    let truth = p.visible_task_ids(1);
    let body = format!(
        "auth={}&ORDER[]=&FILTER[]=&PARAMS[]=&SELECT[]=",
        t.access_token
    );
    let v = json(&post(&mut p, LIST, &body));
    // No ORDER: primary-key order, ID ascending (derived; the docs claim desc).
    let mut asc = truth.clone();
    asc.reverse();
    assert_eq!(ids(&v["result"]), asc[..50]);
    assert_eq!(v["total"], truth.len());
    // SELECT [""] is non-empty: only the minimal fields are returned.
    assert_eq!(
        keys(&v["result"][0]),
        [
            "GROUP_ID",
            "RESPONSIBLE_ID",
            "ID",
            "CREATED_BY",
            "REAL_STATUS",
            "STATUS",
            "ALLOWED_ACTIONS"
        ]
    );
}

#[test]
fn an_empty_object_shifts_later_parameters_into_the_filter_slot() {
    let (mut p, t) = portal_with_admin(50);
    // BX24 sends nothing for `{}` in position 1, so PARAMS lands in FILTER's place.
    let body = format!(
        "auth={}&0[ID]=desc&2[NAV_PARAMS][nPageSize]=2",
        t.access_token
    );
    let r = post(&mut p, LIST, &body);
    assert_eq!(
        err(&r),
        (
            400,
            "ERROR_CORE".into(),
            wrong_args(
                "Param #1 (arFilter) for method ctaskitem::list() must not contain key \"NAV_PARAMS\"."
            )
        )
    );
}

#[test]
fn non_array_arguments_and_bad_keys_are_task_errors() {
    let (mut p, t) = portal_with_admin(50);
    let a = &t.access_token;
    // `[]` from BX24 is sent as `1=`: a string, not an array.
    let r = post(&mut p, LIST, &format!("auth={a}&0[ID]=desc&1="));
    assert_eq!(
        err(&r).2,
        wrong_args("Param #1 (arFilter) for method ctaskitem::list() expected to be of type \"array\", but given something else.")
    );
    let r = post(&mut p, LIST, &format!("auth={a}&ORDER[REAL_STATUS]=asc"));
    assert_eq!(
        err(&r),
        (
            400,
            "ERROR_CORE".into(),
            wrong_args("Param #0 (arOrder) for method ctaskitem::list() must not contain key \"REAL_STATUS\".")
        )
    );
    let r = post(
        &mut p,
        LIST,
        &format!("auth={a}&ORDER[ID]=desc&FILTER[%3E%3DFOO]=1"),
    );
    assert_eq!(
        err(&r).2,
        wrong_args(
            "Param #1 (arFilter) for method ctaskitem::list() must not contain key \">=FOO\"."
        )
    );
    let r = post(
        &mut p,
        LIST,
        &format!("auth={a}&ORDER[ID]=desc&FILTER[ID]=1&PARAMS[LIMIT]=5"),
    );
    assert_eq!(
        err(&r).2,
        wrong_args(
            "Param #2 (arParams) for method ctaskitem::list() must not contain key \"LIMIT\"."
        )
    );
    // The alias name appears in the text.
    let r = post(
        &mut p,
        "/rest/task.item.getlist.json",
        &format!("auth={a}&ORDER[REAL_STATUS]=asc"),
    );
    assert!(err(&r).2.contains("ctaskitem::getlist()"));
    // Allowed but not emulated filter keys are loud, never silently ignored.
    let r = post(
        &mut p,
        LIST,
        &format!("auth={a}&ORDER[ID]=desc&FILTER[%3CSTART_DATE_PLAN]=2025-01-01"),
    );
    let (status, code, text) = err(&r);
    assert_eq!((status, code.as_str()), (400, "EMULATOR_UNSUPPORTED"));
    assert!(text.contains("START_DATE_PLAN"), "{text}");
    // So is a date value the model cannot read.
    let r = post(
        &mut p,
        LIST,
        &format!("auth={a}&ORDER[ID]=desc&FILTER[%3CDEADLINE]=next+friday"),
    );
    let (status, code, text) = err(&r);
    assert_eq!((status, code.as_str()), (400, "EMULATOR_UNSUPPORTED"));
    assert!(
        text.contains("DEADLINE") && text.contains("not a date"),
        "{text}"
    );
}

#[test]
fn all_four_aliases_answer_the_same() {
    let (mut p, t) = portal_with_admin(120);
    let body = format!("auth={}&ORDER[ID]=desc&FILTER[%3EID]=10", t.access_token);
    let base = json(&post(&mut p, LIST, &body))["result"].clone();
    for m in [
        "task.item.getlist",
        "task.ctaskitem.list",
        "TASK.CTASKITEM.GETLIST",
    ] {
        let v = json(&post(&mut p, &format!("/rest/{m}"), &body));
        assert_eq!(v["result"], base, "{m}");
    }
}

#[test]
fn start_maps_to_pages_and_overrides_nav_params() {
    let (mut p, t) = portal_with_admin(260);
    let truth = p.visible_task_ids(1);
    let a = &t.access_token;
    let page = |p: &mut b24_portal::Portal, extra: &str| {
        json(&post(
            p,
            LIST,
            &format!("auth={a}&ORDER[ID]=desc&FILTER[]={extra}"),
        ))
    };
    let v = page(&mut p, "&start=50");
    assert_eq!(ids(&v["result"]), truth[50..100]);
    assert_eq!(v["next"], 100);
    let v = page(&mut p, "&start=75");
    assert_eq!(
        ids(&v["result"]),
        truth[50..100],
        "start is floored to a page"
    );
    // start=-1 means page 1 here and still counts.
    let v = page(&mut p, "&start=-1");
    assert_eq!(ids(&v["result"]), truth[..50]);
    assert_eq!(v["total"], truth.len());
    // start > 49 replaces NAV_PARAMS entirely (size back to 50).
    let v = page(
        &mut p,
        "&PARAMS[NAV_PARAMS][nPageSize]=2&PARAMS[NAV_PARAMS][iNumPage]=2&start=100",
    );
    assert_eq!(ids(&v["result"]), truth[100..150]);
    // start < 50 leaves NAV_PARAMS alone.
    let v = page(
        &mut p,
        "&PARAMS[NAV_PARAMS][nPageSize]=2&PARAMS[NAV_PARAMS][iNumPage]=2&start=4",
    );
    assert_eq!(ids(&v["result"]), truth[2..4]);
    // nPageSize is capped at 50.
    let v = page(&mut p, "&PARAMS[NAV_PARAMS][nPageSize]=500");
    assert_eq!(v["result"].as_array().unwrap().len(), 50);
}

#[test]
fn last_page_has_no_next_and_pages_past_the_end_are_empty_with_total() {
    let (mut p, t) = portal_with_admin(120);
    let truth = p.visible_task_ids(1);
    assert_eq!(truth.len(), 120);
    let a = &t.access_token;
    let v = json(&post(
        &mut p,
        LIST,
        &format!("auth={a}&ORDER[ID]=desc&FILTER[]=&start=100"),
    ));
    assert_eq!(ids(&v["result"]), truth[100..]);
    assert!(v.get("next").is_none());
    assert_eq!(v["total"], 120);
    let v = json(&post(
        &mut p,
        LIST,
        &format!("auth={a}&ORDER[ID]=desc&FILTER[]=&start=500"),
    ));
    assert_eq!(v["result"], Value::Array(vec![]));
    assert!(v.get("next").is_none());
    assert_eq!(v["total"], 120);
    assert_eq!(keys(&v), ["result", "total", "time"]);
}

#[test]
fn full_row_key_order_types_and_allowed_actions() {
    let (mut p, t) = portal_with_admin(400);
    let v = json(&post(
        &mut p,
        LIST,
        &format!("auth={}&ORDER[ID]=desc", t.access_token),
    ));
    let rows = v["result"].as_array().unwrap();
    let expected = [
        "TITLE",
        "STAGE_ID",
        "DESCRIPTION",
        "DEADLINE",
        "START_DATE_PLAN",
        "END_DATE_PLAN",
        "PRIORITY",
        "ALLOW_CHANGE_DEADLINE",
        "TASK_CONTROL",
        "PARENT_ID",
        "GROUP_ID",
        "RESPONSIBLE_ID",
        "TIME_ESTIMATE",
        "ID",
        "CREATED_BY",
        "DESCRIPTION_IN_BBCODE",
        "DECLINE_REASON",
        "REAL_STATUS",
        "STATUS",
        "RESPONSIBLE_NAME",
        "RESPONSIBLE_LAST_NAME",
        "RESPONSIBLE_SECOND_NAME",
        "DATE_START",
        "DURATION_FACT",
        "DURATION_PLAN",
        "DURATION_TYPE",
        "CREATED_BY_NAME",
        "CREATED_BY_LAST_NAME",
        "CREATED_BY_SECOND_NAME",
        "CREATED_DATE",
        "CHANGED_BY",
        "CHANGED_DATE",
        "STATUS_CHANGED_BY",
        "STATUS_CHANGED_DATE",
        "CLOSED_BY",
        "CLOSED_DATE",
        "ACTIVITY_DATE",
        "GUID",
        "MARK",
        "VIEWED_DATE",
        "TIME_SPENT_IN_LOGS",
        "FAVORITE",
        "ALLOW_TIME_TRACKING",
        "MATCH_WORK_TIME",
        "ADD_IN_REPORT",
        "FORUM_ID",
        "FORUM_TOPIC_ID",
        "COMMENTS_COUNT",
        "SITE_ID",
        "SUBORDINATE",
        "FORKED_BY_TEMPLATE_ID",
        "MULTITASK",
        "ALLOWED_ACTIONS",
    ];
    for row in rows {
        assert_eq!(keys(row), expected);
        for f in [
            "ID",
            "PRIORITY",
            "REAL_STATUS",
            "STATUS",
            "RESPONSIBLE_ID",
            "CREATED_BY",
            "GROUP_ID",
        ] {
            let s = row[f]
                .as_str()
                .unwrap_or_else(|| panic!("{f} must be a string: {row}"));
            assert!(s.parse::<i64>().is_ok(), "{f}={s}");
        }
        for f in [
            "DEADLINE",
            "CREATED_DATE",
            "CLOSED_DATE",
            "DATE_START",
            "VIEWED_DATE",
        ] {
            let s = row[f].as_str().unwrap();
            assert!(
                s.is_empty() || (s.len() == 25 && s.ends_with("+03:00")),
                "{f}={s}"
            );
        }
        let acts = &row["ALLOWED_ACTIONS"];
        assert_eq!(keys(acts).len(), 22);
        assert_eq!(keys(acts)[0], "ACTION_ACCEPT");
        assert_eq!(keys(acts)[21], "ACTION_RATE");
        assert!(acts.as_object().unwrap().values().all(Value::is_boolean));
    }
    assert!(
        rows.iter().any(|r| r["GROUP_ID"] == "0"),
        "GROUP_ID is \"0\" without a group"
    );
    assert!(
        rows.iter().any(|r| r["DEADLINE"] == ""),
        "unset dates are \"\""
    );
    assert!(
        rows.iter().any(|r| r["CLOSED_BY"].is_null()),
        "nullable non-dates are null"
    );
}

#[test]
fn minimal_select_is_merged_and_keys_follow_the_allow_list() {
    let (mut p, t) = portal_with_admin(60);
    let body = format!(
        "auth={}&ORDER[ID]=desc&FILTER[]=&PARAMS[]=&SELECT[]=ID&SELECT[]=TITLE&SELECT[]=PRIORITY&SELECT[]=STATUS&SELECT[]=NO_SUCH_FIELD",
        t.access_token
    );
    let v = json(&post(&mut p, LIST, &body));
    assert_eq!(
        keys(&v["result"][0]),
        [
            "TITLE",
            "PRIORITY",
            "GROUP_ID",
            "RESPONSIBLE_ID",
            "ID",
            "CREATED_BY",
            "REAL_STATUS",
            "STATUS",
            "ALLOWED_ACTIONS"
        ]
    );
    // `*` adds ACCOMPLICES/AUDITORS; LOAD_TAGS adds TAGS.
    let body = format!(
        "auth={}&ORDER[ID]=desc&FILTER[]=&PARAMS[LOAD_TAGS]=Y&SELECT[]=*",
        t.access_token
    );
    let row = json(&post(&mut p, LIST, &body))["result"][0].clone();
    let k = keys(&row);
    assert_eq!(&k[6..10], ["PRIORITY", "ACCOMPLICES", "AUDITORS", "TAGS"]);
    assert_eq!(row["ACCOMPLICES"], Value::Array(vec![]));
}

#[test]
fn meta_status_depends_on_request_time_and_caller() {
    let (mut p, t) = portal_with_admin(1000);
    let a = t.access_token.clone();
    let rows = all_rows(&mut p, &a, "");
    let task = rows
        .iter()
        .find(|r| r["DEADLINE"] != "" && (r["REAL_STATUS"] == "2" || r["REAL_STATUS"] == "3"))
        .unwrap();
    let id = task["ID"].as_str().unwrap();
    let d = parse_iso(task["DEADLINE"].as_str().unwrap());
    let status_at = |p: &mut b24_portal::Portal, unix_s: i64| {
        // A fresh token per instant (tokens expire after an hour).
        let tok = p.issue_auth(1, unix_s as u64 * 1000);
        let r = post_at(
            p,
            LIST,
            &format!("auth={}&ORDER[ID]=desc&FILTER[ID]={id}", tok.access_token),
            unix_s as u64 * 1000,
        );
        let v = json(&r);
        (
            v["result"][0]["STATUS"].as_str().unwrap().to_string(),
            v["result"][0]["REAL_STATUS"].as_str().unwrap().to_string(),
        )
    };
    let real = task["REAL_STATUS"].as_str().unwrap().to_string();
    // -3 window: now <= DEADLINE < now + 86400, i.e. now in (d - 86400, d].
    let (before, r0) = status_at(&mut p, d - 86_400);
    assert!(before == real || before == "-2", "{before}");
    assert_eq!(r0, real, "REAL_STATUS never changes");
    assert_eq!(status_at(&mut p, d - 86_399).0, "-3");
    assert_eq!(status_at(&mut p, d - 1).0, "-3");
    assert_eq!(status_at(&mut p, d).0, "-3");
    assert_eq!(status_at(&mut p, d + 1).0, "-1");

    // -2: real status 1/2, no deadline issue, caller is not the creator and has not viewed it.
    let mut unviewed = 0;
    let mut viewed = 0;
    for r in &rows {
        let dl = r["DEADLINE"].as_str().unwrap();
        let deadline_far = dl.is_empty() || parse_iso(dl) >= (NOW_MS / 1000) as i64 + 86_400;
        let new_or_pending = r["REAL_STATUS"] == "1" || r["REAL_STATUS"] == "2";
        if deadline_far && new_or_pending && r["CREATED_BY"] != "1" {
            if r["VIEWED_DATE"] == "" {
                assert_eq!(r["STATUS"], "-2", "{r}");
                unviewed += 1;
            } else {
                assert_eq!(r["STATUS"], r["REAL_STATUS"], "{r}");
                viewed += 1;
            }
        }
    }
    assert!(unviewed > 0 && viewed > 0);
}

#[test]
fn status_filter_uses_the_meta_status() {
    let (mut p, t) = portal_with_admin(600);
    let a = t.access_token.clone();
    let all = all_rows(&mut p, &a, "");
    for s in ["-1", "-2", "-3", "5"] {
        let expected: Vec<u64> = all
            .iter()
            .filter(|r| r["STATUS"] == s)
            .map(|r| r["ID"].as_str().unwrap().parse().unwrap())
            .collect();
        assert!(!expected.is_empty(), "dataset has STATUS {s}");
        let v = json(&post(
            &mut p,
            LIST,
            &format!("auth={a}&ORDER[ID]=desc&FILTER[STATUS]={s}&PARAMS[NAV_PARAMS][nPageSize]=50"),
        ));
        assert_eq!(v["total"], expected.len(), "STATUS {s}");
        assert_eq!(ids(&v["result"]), expected[..expected.len().min(50)]);
    }
}

#[test]
fn filters_match_a_brute_force_scan() {
    let (mut p, t) = portal_with_admin(700);
    let a = t.access_token.clone();
    let all = all_rows(&mut p, &a, "");
    let id = |r: &Value| r["ID"].as_str().unwrap().parse::<u64>().unwrap();
    let mid = id(&all[300]);
    let check = |p: &mut b24_portal::Portal, filter: &str, pred: &dyn Fn(&Value) -> bool| {
        let expected: Vec<u64> = all.iter().filter(|r| pred(r)).map(id).collect();
        let v = json(&post(p, LIST, &format!("auth={a}&ORDER[ID]=desc&{filter}")));
        assert_eq!(v["total"], expected.len(), "{filter}");
        assert_eq!(
            ids(&v["result"]),
            expected[..expected.len().min(50)],
            "{filter}"
        );
    };
    check(&mut p, &format!("FILTER[%3CID]={mid}"), &|r| id(r) < mid);
    check(&mut p, &format!("FILTER[%3C%3DID]={mid}"), &|r| {
        id(r) <= mid
    });
    check(&mut p, &format!("FILTER[%3EID]={mid}"), &|r| id(r) > mid);
    check(
        &mut p,
        &format!("FILTER[!ID][]={mid}&FILTER[!ID][]={}", id(&all[0])),
        &|r| id(r) != mid && id(r) != id(&all[0]),
    );
    check(&mut p, "FILTER[PRIORITY][]=0&FILTER[PRIORITY][]=2", &|r| {
        r["PRIORITY"] != "1"
    });
    check(&mut p, "FILTER[!REAL_STATUS]=5", &|r| {
        r["REAL_STATUS"] != "5"
    });
    check(
        &mut p,
        "FILTER[GROUP_ID]=0&FILTER[RESPONSIBLE_ID]=2",
        &|r| r["GROUP_ID"] == "0" && r["RESPONSIBLE_ID"] == "2",
    );
    check(
        &mut p,
        "FILTER[%25TITLE]=%D0%9E%D0%A2%D0%A7%D0%81%D0%A2",
        &|r| {
            r["TITLE"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("отчёт")
        },
    );
    check(&mut p, "FILTER[%3ECREATED_BY]=15", &|r| {
        r["CREATED_BY"].as_str().unwrap().parse::<i64>().unwrap() > 15
    });
}

#[test]
fn other_sort_orders_are_stable_and_complete() {
    let (mut p, t) = portal_with_admin(150);
    let a = t.access_token.clone();
    let mut seen = Vec::new();
    let mut last_priority = i64::MAX;
    for start in [0, 50, 100] {
        let v = json(&post(
            &mut p,
            LIST,
            &format!("auth={a}&ORDER[PRIORITY]=desc&ORDER[STATUS]=asc&FILTER[]=&start={start}"),
        ));
        for r in v["result"].as_array().unwrap() {
            let pr: i64 = r["PRIORITY"].as_str().unwrap().parse().unwrap();
            assert!(pr <= last_priority);
            last_priority = pr;
            seen.push(r["ID"].as_str().unwrap().parse::<u64>().unwrap());
        }
    }
    seen.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(seen, p.visible_task_ids(1));
}

#[test]
fn non_admin_sees_only_own_tasks_and_statuses_are_per_caller() {
    let mut p = portal(800);
    let t = p.issue_auth(5, NOW_MS);
    let truth = p.visible_task_ids(5);
    assert!(!truth.is_empty() && truth.len() < 800);
    let rows = all_rows(&mut p, &t.access_token, "");
    let got: Vec<u64> = rows
        .iter()
        .map(|r| r["ID"].as_str().unwrap().parse().unwrap())
        .collect();
    assert_eq!(got, truth);
    for r in &rows {
        assert!(r["RESPONSIBLE_ID"] == "5" || r["CREATED_BY"] == "5", "{r}");
        if r["CREATED_BY"] == "5" {
            assert_ne!(r["STATUS"], "-2", "a creator never sees -2");
        }
    }
}

#[test]
fn keyset_paging_over_twenty_thousand_tasks_sees_every_task_once() {
    let (mut p, t) = portal_with_admin(20_000);
    let rows = all_rows(&mut p, &t.access_token, "&SELECT[]=ID");
    let got: Vec<u64> = rows
        .iter()
        .map(|r| r["ID"].as_str().unwrap().parse().unwrap())
        .collect();
    assert_eq!(got, p.visible_task_ids(1));
}
