//! The portal origin: start-up line, portal page, install flow, /__portal/*, SDK stand-in.

use serde_json::{json, Value};

use super::client::Req;
use super::start;
use crate::assets::BX24_JS;

#[tokio::test]
async fn startup_line_names_both_origins_and_the_webhook() {
    let s = start(false, |_| {}).await;
    let line: Value = serde_json::from_str(&s.h.startup_line()).unwrap();
    let keys: Vec<&str> = line
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["portal", "app", "webhook", "control_token"]);
    assert_eq!(line["control_token"], s.h.control_token.as_str());
    let pa = s.portal();
    let pb = s.app();
    assert_eq!(line["portal"], format!("http://localhost:{pa}"));
    assert_eq!(
        line["webhook"],
        format!("http://localhost:{pa}/rest/1/emulatorsecret0001/")
    );
    let app = line["app"].as_str().unwrap();
    let hash = app
        .strip_prefix(&format!("http://127.0.0.1:{pb}/b1/app_local/"))
        .and_then(|h| h.strip_suffix('/'))
        .unwrap();
    assert_eq!(hash.len(), 32);
    assert!(hash.chars().all(|c| c.is_ascii_hexdigit()));
    assert_ne!(pa, pb);
}

#[tokio::test]
async fn portal_page_injects_the_frame_configuration() {
    let s = start(false, |_| {}).await;
    let pa = s.portal();
    let reply = Req::get(pa, "/").send().await.unwrap();
    assert_eq!(reply.status, 200);
    assert!(reply
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    assert!(reply.header("x-frame-options").is_none());
    let html = reply.text();
    assert!(!html.contains(crate::assets::CONFIG_MARKER));
    let c = super::page_config_of(&html);
    let sid = c["sid"].as_str().unwrap();
    assert_eq!(sid.len(), 32);
    assert!(sid.chars().all(|ch| ch.is_ascii_hexdigit()));
    assert_eq!(c["domain"], format!("localhost:{pa}"));
    assert_eq!(c["protocol"], 0);
    assert_eq!(c["lang"], "en");
    assert_eq!(c["path"], "/rest");
    assert_eq!(c["appUrl"], format!("{}index.html", s.h.app_url));
    assert_eq!(c["appOrigin"], format!("http://127.0.0.1:{}", s.app()));
    assert_eq!(c["install"], false);
    assert_eq!(c["firstRun"], true);
    assert_eq!(c["isAdmin"], true);
    assert_eq!(c["userId"], 1);
    assert_eq!(c["userOptions"], json!([]));
    assert_eq!(c["appOptions"], json!([]));
    assert_eq!(c["placement"], "DEFAULT");
    assert_eq!(c["placementOptions"], json!({}));
    // The iframe name the SDK reads: DOMAIN|PROTOCOL|APP_SID.
    assert_eq!(c["frameName"], format!("localhost:{pa}|0|{sid}"));
    assert!(c["frameSrc"].as_str().unwrap().ends_with(&format!(
        "index.html?DOMAIN=localhost:{pa}&PROTOCOL=0&LANG=en&APP_SID={sid}"
    )));
    let auth = c["auth"].as_object().unwrap();
    assert!(!auth["AUTH_ID"].as_str().unwrap().is_empty());
    assert!(!auth["REFRESH_ID"].as_str().unwrap().is_empty());
    assert_eq!(auth["AUTH_EXPIRES"], "3600");
    assert!(auth["MEMBER_ID"].is_string());
    // A fresh SID per render; /index.php is the same page; lang/user/placement come from the query.
    let again = s
        .page_config("index.php?user=2&lang=de&placement=TASK_VIEW_TAB")
        .await;
    assert_ne!(again["sid"], c["sid"]);
    assert_eq!(again["userId"], 2);
    assert_eq!(again["isAdmin"], false);
    assert_eq!(again["lang"], "de");
    assert_eq!(again["placement"], "TASK_VIEW_TAB");
    let bad = Req::get(pa, "/?user=abc").send().await.unwrap();
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn installer_stage_until_install_finish() {
    let s = start(true, |_| {}).await;
    let pa = s.portal();
    // A non-admin cannot open a not-yet-installed app.
    let other = Req::get(pa, "/?user=2").send().await.unwrap();
    assert_eq!(other.status, 200);
    assert!(other
        .text()
        .contains("The application is not installed yet; ask an administrator"));
    assert!(!other.text().contains("__B24_PORTAL__ = {"));
    // The admin gets install.html.
    let c = s.page_config("").await;
    assert_eq!(c["install"], true);
    assert_eq!(c["appUrl"], format!("{}install.html", s.h.app_url));
    // setInstallFinish → installed; setInstall → FIRST_RUN false for that user only.
    let post = |path: &'static str, body: &'static str| {
        Req::post(pa, path, "application/json", body).send()
    };
    let r = post("/__portal/installed", r#"{"v":"Y"}"#).await.unwrap();
    assert_eq!(r.status, 200);
    let r = post("/__portal/install", r#"{"user":1,"install":true}"#)
        .await
        .unwrap();
    assert_eq!(r.json(), json!({"user":1,"install":true}));
    let c = s.page_config("").await;
    assert_eq!(c["install"], false);
    assert_eq!(c["appUrl"], format!("{}index.html", s.h.app_url));
    assert_eq!(c["firstRun"], false);
    let c2 = s.page_config("?user=2").await;
    assert_eq!(c2["firstRun"], true);
    assert_eq!(c2["install"], false);
    // install=1 forces the installer stage again.
    let forced = s.page_config("?install=1").await;
    assert_eq!(forced["install"], true);
    assert_eq!(s.stats().await["installed"], true);
}

#[tokio::test]
async fn options_refresh_and_frame_log() {
    let s = start(false, |_| {}).await;
    let pa = s.portal();
    let post =
        |path: &'static str, body: String| Req::post(pa, path, "application/json", body).send();
    let r = post(
        "/__portal/user-option",
        r#"{"user":1,"name":"cols","value":"id,title"}"#.into(),
    )
    .await
    .unwrap();
    assert_eq!(r.json(), json!({"name":"cols","value":"id,title"}));
    let r = post("/__portal/app-option", r#"{"name":"a","value":"1"}"#.into())
        .await
        .unwrap();
    assert_eq!(r.json(), json!({"a":"1"}));
    let r = post("/__portal/app-option", r#"{"name":"b","value":"2"}"#.into())
        .await
        .unwrap();
    assert_eq!(r.json(), json!({"a":"1","b":"2"}));
    let c = s.page_config("").await;
    assert_eq!(c["userOptions"], json!({"cols":"id,title"}));
    assert_eq!(c["appOptions"], json!({"a":"1","b":"2"}));
    assert_eq!(s.page_config("?user=3").await["userOptions"], json!([]));

    let refresh_id = c["auth"]["REFRESH_ID"].as_str().unwrap().to_string();
    let r = post(
        "/__portal/refresh",
        json!({"refresh_token": refresh_id}).to_string(),
    )
    .await
    .unwrap();
    assert_eq!(r.status, 200);
    let fresh = r.json();
    assert!(fresh["AUTH_ID"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(fresh["REFRESH_ID"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(fresh["AUTH_EXPIRES"], "3600");
    let r = post("/__portal/refresh", r#"{"refresh_token":"nope"}"#.into())
        .await
        .unwrap();
    assert_eq!(r.status, 401);
    assert_eq!(r.json(), json!({"error":"invalid_grant"}));

    let r = post(
        "/__portal/log",
        r#"{"dir":"in","data":"getInitData::cb:sid"}"#.into(),
    )
    .await
    .unwrap();
    assert_eq!(r.status, 200);
    let r = post("/__portal/log", "not json".into()).await.unwrap();
    assert_eq!(r.status, 400);
    let stats = s.stats().await;
    assert_eq!(
        stats["frame_log"],
        json!([{"dir":"in","data":"getInitData::cb:sid"}])
    );
    assert_eq!(stats["user_options"], json!({"1": {"cols":"id,title"}}));
    assert_eq!(stats["refused_paths"], 0);
    // The page reports a path it refused (e.g. a task under user 0): counted apart.
    let refused = json!({"dir":"refused","data":"/company/personal/user/0/tasks/task/view/7/"});
    let r = post("/__portal/log", refused.to_string()).await.unwrap();
    assert_eq!(r.status, 200);
    let stats = s.stats().await;
    assert_eq!(stats["refused_paths"], 1);
    assert_eq!(stats["frame_log"][1], refused);
}

#[tokio::test]
async fn serves_the_sdk_stand_in_and_portal_script() {
    let s = start(false, |_| {}).await;
    let pa = s.portal();
    for target in ["/api/v1/", "/api/v1/index.js"] {
        let r = Req::get(pa, target).send().await.unwrap();
        assert_eq!(r.status, 200, "{target}");
        assert!(r
            .header("content-type")
            .unwrap()
            .starts_with("application/javascript"));
        assert_eq!(r.text(), BX24_JS);
    }
    // A browser mapping api.bitrix24.com to the emulator loads it from the real URL.
    let r = Req::get(pa, "/api/v1/?x=1")
        .host("api.bitrix24.com")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.text(), BX24_JS);
    let r = Req::get(pa, "/portal.js").send().await.unwrap();
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/javascript"));
    assert_eq!(r.text(), crate::assets::PORTAL_JS);
    assert_eq!(Req::get(pa, "/nothing").send().await.unwrap().status, 404);
}
