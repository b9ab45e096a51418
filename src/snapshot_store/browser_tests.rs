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
fn key_material_is_read_from_the_option_or_made_new_with_its_text() {
    let (first, text) = key_material("").unwrap();
    let text = text.expect("new material comes with its option text");
    assert_eq!(text, first.to_option());
    // The page keeps the text; the next open reads the same material and makes none.
    assert_eq!(key_material(&text).unwrap(), (first.clone(), None));
    // A damaged option: new material, another key.
    let (replaced, new_text) = key_material("garbage").unwrap();
    assert_ne!(replaced, first);
    assert_eq!(new_text, Some(replaced.to_option()));
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
