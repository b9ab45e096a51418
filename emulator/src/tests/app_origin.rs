//! The app origin: files, MIME types, SDK rewrite, zip archives, 404s.

use super::client::Req;
use super::{config, start, stored_zip, INDEX_HTML};
use crate::config::WasmMime;
use crate::server::serve;

#[tokio::test]
async fn serves_files_with_types_and_no_listing() {
    let running = start(false, |_| {}).await;
    let s = &running;
    let base = s.app_path();
    let get = |file: &str| {
        let target = format!("{base}{file}");
        async move {
            Req::get(s.app(), &target)
                .host(&format!("127.0.0.1:{}", s.app()))
                .send()
                .await
                .unwrap()
        }
    };
    let r = get("index.html").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(r.text(), INDEX_HTML, "no rewrite by default");
    assert!(r.header("x-frame-options").is_none());
    let r = get("app_bg.wasm").await;
    assert_eq!(r.header("content-type"), Some("application/wasm"));
    assert_eq!(r.body, b"\0asm\x01\0\0\0");
    let r = get("assets/app.js").await;
    assert_eq!(
        r.header("content-type"),
        Some("application/javascript; charset=utf-8")
    );
    for missing in [
        "",
        "assets",
        "assets/",
        "nope.js",
        "../index.html",
        "assets/../index.html",
        "%2e%2e/index.html",
    ] {
        assert_eq!(get(missing).await.status, 404, "{missing:?}");
    }
    let wrong_hash = Req::get(
        s.app(),
        "/b1/app_local/00000000000000000000000000000000/index.html",
    )
    .send()
    .await
    .unwrap();
    assert_eq!(wrong_hash.status, 404);
    // The portal's routes are not on the app origin.
    assert_eq!(
        Req::get(s.app(), "/__stats").send().await.unwrap().status,
        404
    );
}

#[tokio::test]
async fn wasm_mime_switch_and_sdk_rewrite() {
    let s = start(false, |c| {
        c.wasm_mime = WasmMime::OctetStream;
        c.sdk_rewrite = true;
    })
    .await;
    let base = s.app_path();
    let wasm = Req::get(s.app(), &format!("{base}app_bg.wasm"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        wasm.header("content-type"),
        Some("application/octet-stream")
    );
    let html = Req::get(s.app(), &format!("{base}index.html"))
        .send()
        .await
        .unwrap()
        .text();
    assert!(
        html.contains(&format!("src=\"http://localhost:{}/api/v1/\"", s.portal())),
        "{html}"
    );
    assert!(!html.contains("api.bitrix24.com"));
}

#[tokio::test]
async fn serves_a_zip_archive_like_the_cdn() {
    let dir = super::AppDir::new(false);
    let zip_path = dir.path().join("app.zip");
    let archive = stored_zip(&[
        ("index.html", b"<html>zipped</html>".as_slice()),
        ("install.html", b"<html>install</html>".as_slice()),
        ("pkg/app_bg.wasm", b"\0asm\x01\0\0\0".as_slice()),
    ]);
    std::fs::write(&zip_path, archive).unwrap();
    let h = serve(config(&zip_path)).await.unwrap();
    let base = h
        .app_url
        .trim_start_matches(&format!("http://127.0.0.1:{}", h.app_port))
        .to_string();
    let extracted = h.app_dir().to_path_buf();
    assert!(extracted.join("index.html").is_file());
    let r = Req::get(h.app_port, &format!("{base}index.html"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.text(), "<html>zipped</html>");
    let r = Req::get(h.app_port, &format!("{base}pkg/app_bg.wasm"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.header("content-type"), Some("application/wasm"));
    // install.html at the archive root: the admin gets the installer stage.
    let page = Req::get(h.portal_port, "/").send().await.unwrap().text();
    let c = super::page_config_of(&page);
    assert_eq!(c["install"], true);
    // Same archive path → same hash.
    let h2 = serve(config(&zip_path)).await.unwrap();
    assert_eq!(
        h.app_url.rsplit("/app_local/").next(),
        h2.app_url.rsplit("/app_local/").next()
    );
    h.shutdown().await;
    h2.shutdown().await;
    assert!(!extracted.exists(), "temp dir removed on shutdown");
}

#[tokio::test]
async fn bad_archive_is_an_error() {
    let dir = super::AppDir::new(false);
    let zip_path = dir.path().join("broken.zip");
    std::fs::write(&zip_path, b"not a zip").unwrap();
    let err = serve(config(&zip_path)).await.err().unwrap();
    assert!(err.contains("unzip"), "{err}");
    let err = serve(config(&dir.path().join("missing")))
        .await
        .err()
        .unwrap();
    assert!(err.contains("missing"), "{err}");
}
