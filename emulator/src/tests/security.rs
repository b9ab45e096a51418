//! Hardening: Host check (DNS rebinding), control token, cross-site POSTs, symbolic links in
//! the app folder or archive, and the private temp folder of an extracted archive.

use serde_json::Value;

use super::client::Req;
use super::{config, start, stored_zip_with_links, AppDir};
use crate::security::PrivateTempDir;
use crate::server::serve;

#[tokio::test]
async fn foreign_host_names_are_refused_on_both_origins() {
    let s = start(false, |_| {}).await;
    let (pa, pb) = (s.portal(), s.app());
    let file = format!("{}index.html", s.app_path());
    for (port, target) in [(pa, "/"), (pa, "/__stats"), (pa, "/rest/user.current.json")] {
        let r = Req::get(port, target)
            .host("evil.example")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status, 421, "{target}: {}", r.text());
        assert!(r.text().contains("Host"), "{}", r.text());
        // The name resolves here, but the port is not this listener's either.
        let r = Req::get(port, target)
            .host(&format!("evil.example:{pa}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status, 421, "{target}");
    }
    let r = Req::get(pb, &file)
        .host("evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status, 421);
    assert!(!r.text().contains("report"), "no app file content");
    // The other origin's port is not this one's name either.
    let r = Req::get(pb, &file)
        .host(&format!("127.0.0.1:{pa}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status, 421);
    // An absolute request target names the host too.
    let r = Req::get(pa, "http://evil.example/__stats")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status, 421);
    // The addresses it listens on work.
    for host in [format!("localhost:{pa}"), format!("127.0.0.1:{pa}")] {
        let r = Req::get(pa, "/").host(&host).send().await.unwrap();
        assert_eq!(r.status, 200, "{host}");
    }
    let r = Req::get(pb, &file)
        .host(&format!("127.0.0.1:{pb}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    // The SDK stand-in still answers for api.bitrix24.com (the test browser maps it here).
    let r = Req::get(pa, "/api/v1/")
        .host("api.bitrix24.com")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn control_and_truth_need_the_run_token() {
    let s = start(false, |_| {}).await;
    let token = s.h.control_token.clone();
    assert_eq!(token.len(), 32);
    for target in ["/__truth?user=1", "/__control"] {
        let none = Req::get(s.portal(), target).send().await.unwrap();
        assert_eq!(none.status, 403, "{target}");
        assert!(none.text().contains("X-Emulator-Token"), "{}", none.text());
        let wrong = Req::get(s.portal(), target)
            .header("X-Emulator-Token", "00000000000000000000000000000000")
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status, 403, "{target}");
        assert_eq!(s.get_with_token(target).await.status, 200, "{target}");
    }
    // A POST without the token changes nothing.
    let r = Req::post(
        s.portal(),
        "/__control",
        "application/json",
        r#"{"latency_ms":55}"#,
    )
    .send()
    .await
    .unwrap();
    assert_eq!(r.status, 403);
    // A cross-site form can send text/plain without a preflight: refused even with the token.
    let r = Req::post(
        s.portal(),
        "/__control",
        "text/plain;charset=UTF-8",
        r#"{"latency_ms":56}"#,
    )
    .header("X-Emulator-Token", &token)
    .send()
    .await
    .unwrap();
    assert_eq!(r.status, 415, "{}", r.text());
    assert_eq!(s.get_with_token("/__control").await.json()["latency_ms"], 0);
    assert_eq!(s.control(r#"{"latency_ms":57}"#).await.status, 200);
    assert_eq!(
        s.get_with_token("/__control").await.json()["latency_ms"],
        57
    );
    // Another run has another token.
    let other = start(false, |_| {}).await;
    assert_ne!(other.h.control_token, token);
}

#[tokio::test]
async fn cross_site_posts_to_the_portal_endpoints_are_refused() {
    let s = start(true, |_| {}).await;
    let installed = || async { s.stats().await["installed"].clone() };
    let post = |origin: String| {
        let port = s.portal();
        async move {
            Req::post(port, "/__portal/installed", "text/plain", r#"{"v":"Y"}"#)
                .header("Origin", &origin)
                .send()
                .await
                .unwrap()
        }
    };
    let r = post("http://evil.example".into()).await;
    assert_eq!(r.status, 403, "{}", r.text());
    assert_eq!(installed().await, Value::Bool(false));
    let r = post(format!("http://localhost:{}", s.portal())).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(installed().await, Value::Bool(true));
}

/// A file outside the app folder that a link may point to.
fn outside_secret() -> PrivateTempDir {
    let outside = PrivateTempDir::create("b24-emulator-test-outside-").unwrap();
    std::fs::write(outside.path().join("secret.txt"), "TOP-SECRET").unwrap();
    outside
}

#[cfg(unix)]
#[tokio::test]
async fn symbolic_links_in_the_app_folder_are_not_followed() {
    use std::os::unix::fs::symlink;
    let outside = outside_secret();
    let app = AppDir::new(false);
    symlink(
        outside.path().join("secret.txt"),
        app.path().join("leak.txt"),
    )
    .unwrap();
    symlink(outside.path(), app.path().join("linked")).unwrap();
    let h = serve(config(app.path())).await.unwrap();
    let base = h
        .app_url
        .trim_start_matches(&format!("http://127.0.0.1:{}", h.app_port))
        .to_string();
    for file in ["leak.txt", "linked/secret.txt", "linked%2fsecret.txt"] {
        let r = Req::get(h.app_port, &format!("{base}{file}"))
            .send()
            .await
            .unwrap();
        assert!(!r.text().contains("TOP-SECRET"), "{file}");
        assert!(r.status == 403 || r.status == 404, "{file}: {}", r.status);
    }
    let r = Req::get(h.app_port, &format!("{base}leak.txt"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status, 403);
    assert!(r.text().contains("symbolic link"), "{}", r.text());
    let r = Req::get(h.app_port, &format!("{base}index.html"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    h.shutdown().await;
}

#[cfg(unix)]
#[tokio::test]
async fn symbolic_links_in_an_archive_are_not_followed() {
    let outside = outside_secret();
    let secret = outside.path().join("secret.txt");
    let dir = AppDir::new(false);
    let zip_path = dir.path().join("app.zip");
    let archive = stored_zip_with_links(
        &[("index.html", b"<html>zipped</html>".as_slice())],
        &[
            ("leak.txt", &secret.to_string_lossy()),
            ("up", &outside.path().to_string_lossy()),
        ],
    );
    std::fs::write(&zip_path, archive).unwrap();
    let h = serve(config(&zip_path)).await.unwrap();
    let extracted = h.app_dir().to_path_buf();
    // unzip restored the links (else this test would prove nothing).
    let meta = std::fs::symlink_metadata(extracted.join("leak.txt")).unwrap();
    assert!(meta.file_type().is_symlink());
    let base = h
        .app_url
        .trim_start_matches(&format!("http://127.0.0.1:{}", h.app_port))
        .to_string();
    for file in ["leak.txt", "up/secret.txt"] {
        let r = Req::get(h.app_port, &format!("{base}{file}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status, 403, "{file}");
        assert!(!r.text().contains("TOP-SECRET"), "{file}");
    }
    h.shutdown().await;
    assert!(secret.exists(), "the link target is left alone");
}

#[tokio::test]
async fn each_run_extracts_into_a_fresh_private_folder() {
    let dir = AppDir::new(false);
    let zip_path = dir.path().join("app.zip");
    let archive = super::stored_zip(&[("index.html", b"<html>zipped</html>".as_slice())]);
    std::fs::write(&zip_path, archive).unwrap();
    let a = serve(config(&zip_path)).await.unwrap();
    let b = serve(config(&zip_path)).await.unwrap();
    let (da, db) = (a.app_dir().to_path_buf(), b.app_dir().to_path_buf());
    assert_ne!(da, db, "two runs, two folders");
    assert_eq!(da.parent(), Some(std::env::temp_dir().as_path()));
    // 128 random bits: not guessable from the process id or a counter.
    let name = da.file_name().unwrap().to_string_lossy().into_owned();
    let suffix = name.strip_prefix("b24-emulator-").unwrap();
    assert_eq!(suffix.len(), 32);
    assert!(suffix.bytes().all(|c| c.is_ascii_hexdigit()));
    #[cfg(unix)]
    for d in [&da, &db] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::symlink_metadata(d).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700, "{}", d.display());
    }
    a.shutdown().await;
    b.shutdown().await;
    assert!(!da.exists() && !db.exists(), "removed on shutdown");
}
