//! The snapshot store in a real browser (`./test.sh browser`): IndexedDB and WebCrypto.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use wasm_bindgen_test::*;

use super::*;
use crate::report::task::{Priority, Task, TaskId};

wasm_bindgen_test_configure!(run_in_browser);

fn stored(n: u64) -> Stored {
    Stored {
        saved_at_s: 1_767_225_600,
        refreshes: 1,
        tasks: (1..=n)
            .map(|i| {
                Task::from_status_fields(
                    TaskId(i),
                    format!("task {i}"),
                    Priority::High,
                    Some("2"),
                    None,
                )
            })
            .collect(),
    }
}

fn material(fill: u8) -> KeyMaterial {
    KeyMaterial::from_random(&[fill; 48])
}

#[wasm_bindgen_test]
async fn a_saved_snapshot_reads_back_for_its_user_only() {
    let alice = material(1);
    let store = SnapshotStore::open("portal-a", &alice).await.unwrap();
    store.save(&stored(1_000)).await.unwrap();
    assert_eq!(store.load().await, Some(stored(1_000)));
    // Another user of the same portal, in the same browser profile: no record of theirs.
    let bob = SnapshotStore::open("portal-a", &material(2)).await.unwrap();
    assert_eq!(bob.load().await, None);
    // Alice on another portal.
    let other = SnapshotStore::open("portal-b", &alice).await.unwrap();
    assert_eq!(other.load().await, None);
    // Alice's slot with a changed key (the option was replaced): the record does not open.
    let mut changed = alice.clone();
    changed.key[0] ^= 1;
    let changed = SnapshotStore::open("portal-a", &changed).await.unwrap();
    assert_eq!(changed.load().await, None);
    // A new save replaces the old one; clear removes it.
    store.save(&stored(3)).await.unwrap();
    assert_eq!(store.load().await, Some(stored(3)));
    store.clear().await;
    assert_eq!(store.load().await, None);
}

#[wasm_bindgen_test]
async fn a_damaged_record_reads_as_none() {
    let k = material(3);
    let store = SnapshotStore::open("portal-c", &k).await.unwrap();
    store.save(&stored(10)).await.unwrap();
    // Overwrite the record with other bytes under the same name.
    store
        .put(&Uint8Array::from([7u8; 40].as_slice()))
        .await
        .unwrap();
    assert_eq!(store.load().await, None);
}

#[wasm_bindgen_test]
fn key_material_is_created_once_and_kept_in_the_user_option() {
    js_sys::eval(
        "window.BX24 = { userOption: { store: {}, get(n) { return this.store[n]; }, set(n, v) { this.store[n] = v; } } };",
    )
    .unwrap();
    let first = key_material().unwrap();
    let again = key_material().unwrap();
    assert_eq!(first, again);
    let kept = js_sys::eval(&format!("BX24.userOption.store['{USER_OPTION_KEY}']"))
        .unwrap()
        .as_string()
        .unwrap();
    assert_eq!(kept, first.to_option());
    js_sys::eval(&format!(
        "BX24.userOption.store['{USER_OPTION_KEY}'] = 'garbage'"
    ))
    .unwrap();
    let replaced = key_material().unwrap();
    assert_ne!(replaced, first);
    js_sys::eval("delete window.BX24;").unwrap();
}

#[wasm_bindgen_test]
async fn blocked_storage_is_unavailable_not_a_panic() {
    // What Chromium does in a cross-site frame with third-party storage blocked: any
    // access to IndexedDB throws.
    js_sys::eval(
        "window.__idb = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(window), 'indexedDB') || Object.getOwnPropertyDescriptor(window, 'indexedDB');
         Object.defineProperty(window, 'indexedDB', { configurable: true, get() { throw new DOMException('The user denied permission to access the database.', 'SecurityError'); } });",
    )
    .unwrap();
    let opened = SnapshotStore::open("portal-d", &material(4)).await;
    js_sys::eval("delete window.indexedDB; if (!('indexedDB' in window)) Object.defineProperty(window, 'indexedDB', window.__idb);").unwrap();
    assert_eq!(opened.err(), Some(StoreError::Unavailable));
    // And it works again once storage is allowed.
    assert!(SnapshotStore::open("portal-d", &material(4)).await.is_ok());
}
