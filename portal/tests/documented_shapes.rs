//! The model's answers held to the documented examples, field by field.
//!
//! Every `DOC_*` constant below is a documented answer, typed here from its public source
//! (named above it: `bitrix24/b24restdocs` @ 5988ed130d13 or `bitrix24/b24jssdk` @ b6861d7);
//! docs/platform/rest-answers.md says the same in prose. Each test calls the model the way the
//! app or its installer does — as the app's OAuth token and as an incoming webhook — and
//! compares with [`assert_shape`]: the same keys, and under each key a value of the same JSON
//! type, recursively. A `time` object is compared with the full `time` of data-types.md (the
//! examples on method pages show subsets of it, which the test checks too).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use b24_portal::{Portal, PortalConfig, RestResponse, Webhook};
use common::*;
use serde_json::{json, Value};

/// `api-reference/data-types.md` ("Time Object", the full structure).
const DOC_TIME: &str = r#"{
    "start": 1757424671.509725,
    "finish": 1757424672.203906,
    "duration": 0.694180965423584,
    "processing": 0.6726489067077637,
    "date_start": "2025-09-09T16:31:11+03:00",
    "date_finish": "2025-09-09T16:31:12+03:00",
    "operating_reset_at": 1757425271,
    "operating": 0.6726338863372803
}"#;

/// `api-reference/common/system/app-info.md`, "Response Handling" (HTTP 200).
const DOC_APP_INFO: &str = r#"{
    "result": {
        "ID": 5,
        "CODE": "telefum24.kp10",
        "VERSION": 4,
        "STATUS": "F",
        "INSTALLED": true,
        "PAYMENT_EXPIRED": "N",
        "DAYS": null,
        "LANGUAGE_ID": "de",
        "LICENSE": "de_ent10000",
        "LICENSE_TYPE": "ent10000",
        "LICENSE_FAMILY": "ent"
    },
    "time": {
        "start": 1722841503.0585,
        "finish": 1722841503.09885,
        "duration": 0.0403509140014648,
        "processing": 0.00533103942871094,
        "date_start": "2024-08-05T07:05:03+00:00",
        "date_finish": "2024-08-05T07:05:03+00:00",
        "operating": 0
    }
}"#;

/// `api-reference/common/system/app-info.md`, "Error Handling" (HTTP 400): a call outside an
/// application's context, which is what an incoming webhook is.
const DOC_APP_INFO_ERROR: &str = r#"{
    "error":"ACCESS_DENIED",
    "error_description":"Access denied! Application context required"
}"#;

/// `api-reference/common/system/scope.md`, "Response Handling" (HTTP 200).
const DOC_SCOPE: &str = r#"{
    "result": ["department", "entity", "log", "user"],
    "time": {
        "start": 1721993326.41019,
        "finish": 1721993326.44899,
        "duration": 0.0387959480285645,
        "processing": 0.000020980834960937,
        "date_start": "2024-07-26T11:28:46+00:00",
        "date_finish": "2024-07-26T11:28:46+00:00",
        "operating": 0
    }
}"#;

/// `api-reference/user/user-current.md`, "Response Handling" (HTTP 200).
const DOC_USER_CURRENT: &str = r#"{
    "result":{
        "ID":"3",
        "ACTIVE":true,
        "NAME":"John",
        "LAST_NAME":"Smith",
        "EMAIL":"test@gmail.com",
        "LAST_LOGIN":"2024-07-23T08:07:26+00:00",
        "DATE_REGISTER":"2024-07-22T00:00:00+00:00",
        "IS_ONLINE":"Y",
        "LAST_ACTIVITY_DATE":"2024-07-23 08:08:50",
        "PERSONAL_GENDER":"",
        "PERSONAL_BIRTHDAY":"",
        "WORK_POSITION":"",
        "UF_EMPLOYMENT_DATE":"",
        "UF_DEPARTMENT":[1]
    },
    "time":{
        "start":1721722262.960948,
        "finish":1721722262.985244,
        "duration":0.024296045303344727,
        "processing":0.0012989044189453125,
        "date_start":"2024-07-23T08:11:02+00:00",
        "date_finish":"2024-07-23T08:11:02+00:00",
        "operating":0
    }
}"#;

/// `api-reference/common/users/profile.md`, "Response Handling" (HTTP 200). `PERSONAL_PHOTO`
/// is documented as present only when a photo was uploaded; the model's users have none.
const DOC_PROFILE: &str = r#"{
    "result": {
        "ID": "1",
        "ADMIN": true,
        "NAME": "Vadim",
        "LAST_NAME": "Valeev",
        "PERSONAL_GENDER": "",
        "TIME_ZONE": ""
    },
    "time": {
        "start": 1722848182.67776,
        "finish": 1722848182.71787,
        "duration": 0.0401120185852051,
        "processing": 0.00115704536437988,
        "date_start": "2024-08-05T08:56:22+00:00",
        "date_finish": "2024-08-05T08:56:22+00:00",
        "operating": 0
    }
}"#;

/// `api-reference/tasks/tasks-task-list.md`, "Response Handling" (HTTP 200), the members the
/// model emits (the example also shows `description`, `auditors`, `responsible`, `counter`,
/// `tags`… which the model does not select; "the set of fields depends on the select
/// parameter"). `next` is not in this example (one row); its type is the list envelope's,
/// below.
const DOC_TASKS_TASK_LIST: &str = r#"{
    "result": {
        "tasks": [
            {
                "id": "8017",
                "title": "Task Example",
                "deadline": "2025-10-24T19:00:00+02:00",
                "createdDate": "2025-06-04T16:15:55+02:00",
                "responsibleId": "547",
                "priority": "2",
                "status": "2",
                "subStatus": "2",
                "responsible": {
                    "id": "547",
                    "name": "Maria",
                    "link": "/company/personal/user/547/",
                    "icon": "/bitrix/images/tasks/default_avatar.png",
                    "workPosition": "Tester"
                }
            }
        ]
    },
    "total": 1,
    "time": {
        "start": 1761054322,
        "finish": 1761054322.348041,
        "duration": 0.3480410575866699,
        "processing": 0,
        "date_start": "2025-10-21T16:45:22+02:00",
        "date_finish": "2025-10-21T16:45:22+02:00",
        "operating_reset_at": 1761054922,
        "operating": 0
    }
}"#;

/// The list envelope: `@bitrix24/b24jssdk` `packages/jssdk/src/types/payloads.ts`
/// `ListPayload<P>` = `{ result: P[], total: number, next?: number, time: PayloadTime }`, and
/// `settings/how-to-call-rest-api/list-methods-pecularities.md` (`result`, `total`, `next`).
/// `task.item.list`'s page (`api-reference/tasks/deprecated/task-item/task-item-list.md`)
/// shows no answer; its rows carry the fields named on that page (`ID`, `TITLE`, `PRIORITY`,
/// `STATUS`, `REAL_STATUS`, `RESPONSIBLE_ID`, `CREATED_BY`, `GROUP_ID`), typed as
/// `api-reference/tasks/fields.md` types them (`string`). The model also sends
/// `ALLOWED_ACTIONS` (an object of booleans), which no documented example shows: it comes from
/// the core's code (`CTaskItem`, see docs/platform/rest-answers.md) and is checked apart
/// ([`take_allowed_actions`]); nothing in the app reads it.
const DOC_TASK_ITEM_LIST: &str = r#"{
    "result": [
        {
            "TITLE": "",
            "PRIORITY": "1",
            "GROUP_ID": "0",
            "RESPONSIBLE_ID": "1",
            "ID": "1",
            "CREATED_BY": "1",
            "REAL_STATUS": "2",
            "STATUS": "2"
        }
    ],
    "next": 50,
    "total": 1,
    "time": {}
}"#;

/// `settings/how-to-call-rest-api/batch.md`, "Response Handling" (HTTP 200), with the
/// sub-answers taken from their own method pages (the batch page's `get_user` is an older
/// capture: it has `TIMESTAMP_X` and lacks `WORK_POSITION`) and `get_department` replaced by a
/// list call (`department.get` is not modelled). Empty members are `[]`, as in the example.
const DOC_BATCH: &str = r#"{
    "result": {
        "result": {"get_user": {}, "get_list": []},
        "result_error": [],
        "result_total": {"get_list": 1},
        "result_next": [],
        "result_time": {"get_user": {}, "get_list": {}}
    },
    "time": {}
}"#;

/// `settings/how-to-call-rest-api/batch.md`, "Error example (halt = 0)" (HTTP 200).
const DOC_BATCH_ERROR: &str = r#"{
    "result": {
        "result": [],
        "result_error": {
            "get_user": {"error": "insufficient_scope", "error_description": ""},
            "get_department": {"error": "insufficient_scope", "error_description": ""}
        },
        "result_total": [],
        "result_next": [],
        "result_time": []
    },
    "time": {}
}"#;

/// `error-codes.md` and `_includes/error-info.md`: `error` (string) and `error_description`.
const DOC_ERROR: &str = r#"{
    "error": "ERROR_HANDLER_ALREADY_EXIST",
    "error_description": "Handler already exists!"
}"#;

/// Removes every row's `ALLOWED_ACTIONS` (the model's one undocumented row member) after
/// checking it is an object of booleans.
/// `api-reference/tasks/fields.md`, "Object group": `id` string, `name` string, `opened`
/// boolean, `membersCount` integer, `image` string, `additionalData` array (no example value
/// is documented; these are the documented types). A task without a project has `"group": []`
/// (the example of `tasks-task-list.md`).
const DOC_GROUP: &str = r#"{"id": "7", "name": "Project", "opened": false, "membersCount": 3,
    "image": "", "additionalData": []}"#;

/// `api-reference/tasks/fields.md`, "Object with user description" (`creator`, `responsible`),
/// with the values of the `tasks-task-list.md` example.
const DOC_USER: &str = r#"{"id": "547", "name": "Maria", "link": "/company/personal/user/547/",
    "icon": "/bitrix/images/tasks/default_avatar.png", "workPosition": "Tester"}"#;

/// Takes `group` out of every row of a `tasks.task.list` answer and checks it is `[]` or the
/// documented group object.
fn take_groups(v: &mut Value, what: &str) -> Vec<Value> {
    let rows = v["result"]["tasks"].as_array_mut().unwrap();
    rows.iter_mut()
        .map(|row| {
            let group = row.as_object_mut().unwrap().remove("group");
            let group = group.unwrap_or_else(|| panic!("{what}: a row without group"));
            if group != json!([]) {
                assert_shape(what, &doc(DOC_GROUP), &group);
            }
            group
        })
        .collect()
}

fn take_allowed_actions(rows: &mut Value, what: &str) {
    for row in rows.as_array_mut().unwrap() {
        let actions = row.as_object_mut().unwrap().remove("ALLOWED_ACTIONS");
        let actions = actions.unwrap_or_else(|| panic!("{what}: a row without ALLOWED_ACTIONS"));
        let actions = actions.as_object().unwrap();
        assert_eq!(actions.len(), 22, "{what}");
        assert!(actions.values().all(Value::is_boolean), "{what}");
    }
}

fn doc(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("documented example is not JSON: {e}"))
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Compares `got` with the documented `want`; collects every difference under `path`.
fn compare(path: &str, want: &Value, got: &Value, diffs: &mut Vec<String>) {
    let in_result_time = path
        .rsplit_once('.')
        .is_some_and(|(parent, _)| parent.ends_with(".result_time"));
    let is_time = path.ends_with(".time") || in_result_time;
    if is_time {
        let full = doc(DOC_TIME);
        if let Value::Object(w) = want {
            for k in w.keys() {
                assert!(
                    full.get(k).is_some(),
                    "{path}: the example's time key {k} is not in data-types.md"
                );
            }
        }
        return compare_plain(path, &full, got, diffs);
    }
    compare_plain(path, want, got, diffs);
}

fn compare_plain(path: &str, want: &Value, got: &Value, diffs: &mut Vec<String>) {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for k in w.keys().filter(|k| !g.contains_key(*k)) {
                diffs.push(format!("{path}.{k}: documented, missing"));
            }
            for k in g.keys().filter(|k| !w.contains_key(*k)) {
                diffs.push(format!("{path}.{k}: not documented, present"));
            }
            for (k, wv) in w {
                if let Some(gv) = g.get(k) {
                    compare(&format!("{path}.{k}"), wv, gv, diffs);
                }
            }
        }
        (Value::Array(w), Value::Array(g)) => {
            if let Some(first) = w.first() {
                for (i, gv) in g.iter().enumerate() {
                    compare(&format!("{path}[{i}]"), first, gv, diffs);
                }
            } else if !g.is_empty() {
                diffs.push(format!("{path}: documented empty, got {} items", g.len()));
            }
        }
        _ if kind(want) != kind(got) => diffs.push(format!(
            "{path}: documented {} ({want}), got {} ({got})",
            kind(want),
            kind(got)
        )),
        _ => {}
    }
}

/// Asserts that `got` has the documented shape of `want`.
#[track_caller]
fn assert_shape(what: &str, want: &Value, got: &Value) {
    let mut diffs = Vec::new();
    compare("", want, got, &mut diffs);
    assert!(
        diffs.is_empty(),
        "{what} differs from its documented example ({} differences):\n  {}\ngot: {:.2000}",
        diffs.len(),
        diffs[..diffs.len().min(20)].join("\n  "),
        got.to_string()
    );
}

/// A portal with the default webhook and a `user`-only one (`useronly`).
fn setup() -> (Portal, String) {
    let mut config = PortalConfig {
        tasks: 120,
        bucket: None,
        ..PortalConfig::default()
    };
    config.webhooks.push(Webhook {
        user_id: 1,
        secret: "useronly".into(),
        scopes: vec!["user".into()],
    });
    let mut p = Portal::new(config);
    let t = p.issue_auth(1, NOW_MS);
    (p, format!("auth={}", t.access_token))
}

const HOOK: &str = "/rest/1/emulatorsecret0001";

/// The same call as the app (OAuth token) and through the webhook.
fn both(p: &mut Portal, auth: &str, method: &str, params: &str) -> [(String, RestResponse); 2] {
    let sep = if params.is_empty() { "" } else { "&" };
    [
        (
            format!("{method} (app)"),
            post(
                p,
                &format!("/rest/{method}"),
                &format!("{auth}{sep}{params}"),
            ),
        ),
        (
            format!("{method} (webhook)"),
            post(p, &format!("{HOOK}/{method}"), params),
        ),
    ]
}

#[test]
fn the_time_examples_are_subsets_of_the_full_time_object() {
    let full = doc(DOC_TIME);
    for example in [
        DOC_APP_INFO,
        DOC_SCOPE,
        DOC_USER_CURRENT,
        DOC_PROFILE,
        DOC_TASKS_TASK_LIST,
    ] {
        let t = doc(example)["time"].clone();
        for k in t.as_object().unwrap().keys() {
            assert!(full.get(k).is_some(), "time key {k}");
        }
    }
}

#[test]
fn app_info_for_the_app_is_the_documented_record_without_scope() {
    let (mut p, auth) = setup();
    let r = post(&mut p, "/rest/app.info", &auth);
    assert_eq!(r.status, 200);
    let got = json(&r);
    assert_shape("app.info (app)", &doc(DOC_APP_INFO), &got);
    assert!(got["result"].get("SCOPE").is_none());
}

#[test]
fn app_info_through_a_webhook_is_the_documented_access_denied() {
    let (mut p, _) = setup();
    let r = post(&mut p, &format!("{HOOK}/app.info"), "");
    assert_eq!(r.status, 400);
    assert_eq!(json(&r), doc(DOC_APP_INFO_ERROR));
}

#[test]
fn scope_user_current_and_profile_have_their_documented_shapes() {
    let (mut p, auth) = setup();
    for (method, example) in [
        ("scope", DOC_SCOPE),
        ("user.current", DOC_USER_CURRENT),
        ("profile", DOC_PROFILE),
    ] {
        for (what, r) in both(&mut p, &auth, method, "") {
            assert_eq!(r.status, 200, "{what}: {}", r.body);
            assert_shape(&what, &doc(example), &json(&r));
        }
    }
}

#[test]
fn task_item_list_pages_have_the_list_envelope_and_documented_fields() {
    let (mut p, auth) = setup();
    let want = doc(DOC_TASK_ITEM_LIST);
    // The app's select, and the installer's one-row probe (SELECT ID: the minimal select).
    for select in [
        "SELECT[]=ID&SELECT[]=TITLE&SELECT[]=PRIORITY&SELECT[]=STATUS&SELECT[]=REAL_STATUS&SELECT[]=RESPONSIBLE_ID",
        "SELECT[]=ID",
    ] {
        let params = format!("ORDER[ID]=desc&FILTER[%3EID]=0&PARAMS[NAV_PARAMS][nPageSize]=1&PARAMS[NAV_PARAMS][iNumPage]=1&{select}");
        for (what, r) in both(&mut p, &auth, "task.item.list", &params) {
            assert_eq!(r.status, 200, "{what}: {}", r.body);
            let mut got = json(&r);
            // TITLE is only there when selected.
            let mut want = want.clone();
            if select == "SELECT[]=ID" {
                want["result"][0].as_object_mut().unwrap().remove("TITLE");
                want["result"][0].as_object_mut().unwrap().remove("PRIORITY");
            }
            assert_eq!(got["result"].as_array().unwrap().len(), 1, "{what}");
            take_allowed_actions(&mut got["result"], &what);
            assert_shape(&what, &want, &got);
        }
    }
    // The last page has no `next`; `total` is always there.
    let r = post(
        &mut p,
        "/rest/task.item.list",
        &format!("{auth}&ORDER[ID]=desc&FILTER[%3EID]=0&PARAMS[NAV_PARAMS][nPageSize]=50&SELECT[]=ID&start=100"),
    );
    let v = json(&r);
    assert_eq!(keys(&v), ["result", "total", "time"], "{}", r.body);
    assert!(v["total"].is_number());
}

#[test]
fn tasks_task_list_rows_are_the_documented_members() {
    let (mut p, auth) = setup();
    let select = [
        "id",
        "title",
        "deadline",
        "createdDate",
        "responsibleId",
        "priority",
        "status",
        "subStatus",
    ]
    .iter()
    .map(|f| format!("select[]={f}"))
    .collect::<Vec<_>>()
    .join("&");
    let params = format!("order[ID]=desc&{select}");
    let mut want = doc(DOC_TASKS_TASK_LIST);
    // `next` as in the list envelope (ListPayload: `next?: number`): 120 tasks, pages of 50.
    want["next"] = json!(50);
    for (what, r) in both(&mut p, &auth, "tasks.task.list", &params) {
        assert_eq!(r.status, 200, "{what}: {}", r.body);
        let mut got = json(&r);
        let groups = take_groups(&mut got, &what);
        assert!(
            groups.iter().any(|g| g == &json!([])),
            "{what}: no task without a project"
        );
        assert!(
            groups.iter().any(Value::is_object),
            "{what}: no task with a project"
        );
        assert_shape(&what, &want, &got);
    }
}

#[test]
fn tasks_task_list_names_people_and_projects_of_an_id_list() {
    let (mut p, auth) = setup();
    let ids: Vec<u64> = (1..=120).step_by(3).collect();
    let caller: Vec<u64> = p.visible_task_ids(1);
    let visible: Vec<u64> = ids
        .iter()
        .copied()
        .filter(|id| caller.contains(id))
        .collect();
    let filter: String = ids.iter().map(|id| format!("filter[ID][]={id}&")).collect();
    let params = format!(
        "{filter}select[]=ID&select[]=RESPONSIBLE_ID&select[]=CREATED_BY&select[]=GROUP_ID&start=-1"
    );
    for (what, r) in both(&mut p, &auth, "tasks.task.list", &params) {
        assert_eq!(r.status, 200, "{what}: {}", r.body);
        let mut got = json(&r);
        assert!(
            got.get("total").is_none() && got.get("next").is_none(),
            "{what}: start=-1"
        );
        let groups = take_groups(&mut got, &what);
        let rows = got["result"]["tasks"].as_array().unwrap();
        let mut seen: Vec<u64> = Vec::new();
        for (row, group) in rows.iter().zip(&groups) {
            seen.push(row["id"].as_str().unwrap().parse().unwrap());
            for (object, id_key) in [("responsible", "responsibleId"), ("creator", "createdBy")] {
                let person = &row[object];
                assert_shape(&what, &doc(DOC_USER), person);
                let id: u64 = row[id_key].as_str().unwrap().parse().unwrap();
                assert_eq!(person["id"], json!(id.to_string()), "{what}");
                let u = b24_portal::user(id).expect("a dataset user");
                let full = format!("{} {}", u.name, u.last_name);
                assert_eq!(person["name"], json!(full.trim()), "{what}");
            }
            let group_id: u64 = row["groupId"].as_str().unwrap().parse().unwrap();
            match b24_portal::project(group_id) {
                Some(project) => {
                    assert_eq!(group["id"], json!(group_id.to_string()), "{what}");
                    assert_eq!(group["name"], json!(project.name), "{what}");
                }
                None => assert_eq!(group, &json!([]), "{what}: GROUP_ID {group_id}"),
            }
        }
        seen.sort_unstable();
        assert!(seen.len() > 10, "{what}: {seen:?}");
        assert_eq!(
            seen, visible,
            "{what}: FILTER ID with a list gives those tasks"
        );
    }
}

#[test]
fn batch_answers_have_the_documented_members() {
    let (mut p, auth) = setup();
    let cmds = "halt=0&cmd[get_user]=user.current&cmd[get_list]=task.item.list%3FORDER%5BID%5D%3Ddesc%26FILTER%5B%253EID%5D%3D0%26PARAMS%5BNAV_PARAMS%5D%5BnPageSize%5D%3D1%26SELECT%5B%5D%3DID";
    let mut want = doc(DOC_BATCH);
    want["result"]["result"]["get_user"] = doc(DOC_USER_CURRENT)["result"].clone();
    let mut row = doc(DOC_TASK_ITEM_LIST)["result"][0].clone();
    row.as_object_mut().unwrap().remove("TITLE");
    row.as_object_mut().unwrap().remove("PRIORITY");
    want["result"]["result"]["get_list"] = json!([row]);
    // 120 tasks, one per page: a next page.
    want["result"]["result_next"] = json!({"get_list": 1});
    for (what, r) in both(&mut p, &auth, "batch", cmds) {
        assert_eq!(r.status, 200, "{what}: {}", r.body);
        let mut got = json(&r);
        assert!(
            got["result"]["result"]["get_list"].is_array(),
            "{what}: {}",
            r.body
        );
        take_allowed_actions(&mut got["result"]["result"]["get_list"], &what);
        assert_shape(&what, &want, &got);
    }
    // The documented error example: every command fails for want of a scope.
    let r = post(
        &mut p,
        "/rest/1/useronly/batch",
        "halt=0&cmd[get_user]=task.item.list&cmd[get_department]=tasks.task.list",
    );
    assert_eq!(r.status, 200);
    assert_shape("batch (errors)", &doc(DOC_BATCH_ERROR), &json(&r));
}

#[test]
fn error_answers_are_error_and_description_only() {
    let (mut p, auth) = setup();
    let want = doc(DOC_ERROR);
    let cases: Vec<(&str, RestResponse)> = vec![
        (
            "unknown method",
            post(&mut p, "/rest/no.such.method", &auth),
        ),
        ("no auth", post(&mut p, "/rest/task.item.list", "")),
        (
            "bad token",
            post(&mut p, "/rest/task.item.list", "auth=nope"),
        ),
        (
            "missing scope (webhook)",
            post(&mut p, "/rest/1/useronly/task.item.list", ""),
        ),
        (
            "bad argument",
            post(
                &mut p,
                "/rest/task.item.list",
                &format!("{auth}&ORDER[NOPE]=asc"),
            ),
        ),
        (
            "app.info via webhook",
            post(&mut p, &format!("{HOOK}/app.info"), ""),
        ),
    ];
    for (what, r) in cases {
        assert!(r.status >= 400, "{what}: {}", r.status);
        assert_shape(what, &want, &json(&r));
    }
    p.set_app_scopes(&["user".to_string()]);
    let r = post(&mut p, "/rest/task.item.list", &auth);
    assert_shape("missing scope (app)", &want, &json(&r));
    assert_eq!(json(&r)["error"], "insufficient_scope");
}

#[test]
fn error_statuses_are_the_documented_ones() {
    // `_includes/system-errors.md` (the status column), for the codes the model answers.
    let (mut p, auth) = setup();
    let status_of = |r: &RestResponse| (r.status, json(r)["error"].as_str().unwrap().to_string());
    assert_eq!(
        status_of(&post(&mut p, "/rest/task.item.list", "")),
        (401, "NO_AUTH_FOUND".into())
    );
    assert_eq!(
        status_of(&post(&mut p, "/rest/1/wrong/task.item.list", "")),
        (403, "INVALID_CREDENTIALS".into())
    );
    assert_eq!(
        status_of(&post(&mut p, "/rest/1/useronly/task.item.list", "")),
        (403, "insufficient_scope".into())
    );
    p.set_app_scopes(&["user".to_string()]);
    assert_eq!(
        status_of(&post(&mut p, "/rest/task.item.list", &auth)),
        (403, "insufficient_scope".into())
    );
    p.expire_tokens();
    assert_eq!(
        status_of(&post(&mut p, "/rest/task.item.list", &auth)),
        (401, "expired_token".into())
    );
    let mut limited = Portal::new(PortalConfig {
        tasks: 1,
        ..PortalConfig::default()
    });
    let t = limited.issue_auth(1, NOW_MS);
    let body = format!("auth={}", t.access_token);
    let last = (0..60)
        .map(|_| post(&mut limited, "/rest/profile", &body))
        .last()
        .unwrap();
    assert_eq!(status_of(&last), (503, "QUERY_LIMIT_EXCEEDED".into()));
}

/// `api-reference/sonet-group/sonet-group-get.md`, "Response Handling" (HTTP 200): the first
/// group of the example (the list holds two of the same shape).
const DOC_SONET_GROUP_GET: &str = r#"{
    "result": [
        {
        "ID": "77",
        "SITE_ID": "s1",
        "NAME": "New Project Title",
        "DESCRIPTION": null,
        "DATE_CREATE": "2026-03-19T15:01:27+02:00",
        "DATE_UPDATE": "2026-03-19T15:01:27+02:00",
        "ACTIVE": "Y",
        "VISIBLE": "Y",
        "OPENED": "N",
        "CLOSED": "N",
        "SUBJECT_ID": "1",
        "OWNER_ID": "1271",
        "KEYWORDS": null,
        "NUMBER_OF_MEMBERS": "12",
        "DATE_ACTIVITY": "2026-03-19T15:01:27+02:00",
        "SUBJECT_NAME": "Workgroups",
        "PROJECT": "Y",
        "IS_EXTRANET": "N"
        }
    ],
    "total": 2,
    "time": {
        "start": 1773925430,
        "finish": 1773925430.419962,
        "duration": 0.41996192932128906,
        "processing": 0,
        "date_start": "2026-03-19T16:03:50+02:00",
        "date_finish": "2026-03-19T16:03:50+02:00",
        "operating_reset_at": 1773926030,
        "operating": 0
    }
}"#;

#[test]
fn sonet_group_get_is_the_documented_list_and_needs_its_scope() {
    let mut config = PortalConfig {
        tasks: 10,
        bucket: None,
        app_scopes: vec!["task".into(), "user".into(), "sonet_group".into()],
        ..PortalConfig::default()
    };
    config.webhooks[0].scopes.push("sonet_group".into());
    let mut p = Portal::new(config);
    let auth = format!("auth={}", p.issue_auth(1, NOW_MS).access_token);
    let params = "FILTER[ID][]=3&FILTER[ID][]=19&FILTER[ID][]=999";
    for (what, r) in both(&mut p, &auth, "sonet_group.get", params) {
        assert_eq!(r.status, 200, "{what}: {}", r.body);
        let got = json(&r);
        assert_shape(&what, &doc(DOC_SONET_GROUP_GET), &got);
        let names: Vec<&str> = got["result"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["NAME"].as_str().unwrap())
            .collect();
        let want = [19, 3].map(|id| b24_portal::project(id).unwrap().name);
        assert_eq!(names, want, "{what}: ID descending, unknown IDs left out");
        assert_eq!(got["total"], 2, "{what}");
    }
    // Without the scope (the default app): insufficient_scope, as for any method.
    let (mut p, auth) = setup();
    let r = post(&mut p, "/rest/sonet_group.get", &format!("{auth}&{params}"));
    assert_eq!(json(&r)["error"], "insufficient_scope", "{}", r.body);
}
