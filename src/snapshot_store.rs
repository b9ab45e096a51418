//! The snapshot's browser side (issue 15): one record per portal and user in the app origin's
//! IndexedDB, encrypted with AES-GCM by WebCrypto under the user's key from `BX24.userOption`
//! (`report::snapshot` has the record name, the key material and what is stored). It runs in
//! the snapshot worker (`snapshot/`, fetched on first use, never in the first load), which
//! gets the key option's text from the page; it reaches IndexedDB and WebCrypto through the
//! global object, so it runs in a page too (the browser tests). Nothing here shows an error: a record that is missing, of another schema, another key or damaged
//! reads as none; storage that is blocked or throws (third-party storage in a cross-site
//! frame, private mode, quota) is [`StoreError::Unavailable`] and the report works as
//! without a snapshot.
//!
//! IndexedDB through web-sys, not the `idb` crate: each request is awaited as a promise whose
//! `resolve`/`reject` are the request's `onsuccess`/`onerror` handlers. With the crate the
//! snapshot's first load was about 5 KB of gzip larger (README "Sizes"), for the four calls
//! it makes.

use js_sys::{Array, Function, Object, Promise, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AesGcmParams, CryptoKey, IdbDatabase, IdbFactory, IdbOpenDbRequest, IdbRequest, IdbTransaction,
    IdbTransactionMode, SubtleCrypto,
};

use crate::report::snapshot::{KeyMaterial, Stored};

const DATABASE: &str = "task-report";
const OBJECTS: &str = "snapshots";
const IV_LEN: usize = 12;

/// Why the snapshot store cannot be used (the report goes on without it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// IndexedDB is missing, blocked or failed.
    Unavailable,
    /// WebCrypto or the key is missing or refused the key.
    Crypto,
}

/// An open store for one portal and user.
pub struct SnapshotStore {
    db: IdbDatabase,
    subtle: SubtleCrypto,
    key: CryptoKey,
    record: String,
}

/// `name` of the global object (the window, or the worker's scope) as a `T`; a getter that
/// throws (storage blocked) or a missing member is `error`.
fn global<T: JsCast>(name: &str, error: StoreError) -> Result<T, StoreError> {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str(name))
        .ok()
        .and_then(|value| value.dyn_into().ok())
        .ok_or(error)
}

fn subtle() -> Result<SubtleCrypto, StoreError> {
    Ok(global::<web_sys::Crypto>("crypto", StoreError::Crypto)?.subtle())
}

fn random<const N: usize>() -> Result<[u8; N], StoreError> {
    let mut bytes = [0u8; N];
    global::<web_sys::Crypto>("crypto", StoreError::Crypto)?
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(|_| StoreError::Crypto)?;
    Ok(bytes)
}

/// The key material in `option` (the `BX24.userOption` text the page read); new material
/// when it is empty or not readable, with its text for the page to keep (a new key makes
/// any older record unreadable).
pub fn key_material(option: &str) -> Result<(KeyMaterial, Option<String>), StoreError> {
    if let Some(k) = KeyMaterial::parse(option) {
        return Ok((k, None));
    }
    let material = KeyMaterial::from_random(&random::<48>()?);
    let text = material.to_option();
    Ok((material, Some(text)))
}

async fn import(subtle: &SubtleCrypto, raw: &[u8; 32]) -> Result<CryptoKey, StoreError> {
    let data = Uint8Array::from(raw.as_slice());
    let usages = Array::of2(&"encrypt".into(), &"decrypt".into());
    let promise = subtle
        .import_key_with_str("raw", &data, "AES-GCM", false, &usages)
        .map_err(|_| StoreError::Crypto)?;
    let key = JsFuture::from(promise)
        .await
        .map_err(|_| StoreError::Crypto)?;
    key.dyn_into().map_err(|_| StoreError::Crypto)
}

fn params(iv: &[u8], aad: &str) -> AesGcmParams {
    let params = AesGcmParams::new("AES-GCM", &Uint8Array::from(iv));
    params.set_additional_data(&Uint8Array::from(aad.as_bytes()));
    params
}

async fn bytes_of(promise: Result<js_sys::Promise, JsValue>) -> Option<Vec<u8>> {
    let buffer = JsFuture::from(promise.ok()?).await.ok()?;
    Some(Uint8Array::new(&buffer).to_vec())
}

/// A promise that `settle` hands its `resolve` and `reject` to (as event handlers).
fn settled(settle: &mut dyn FnMut(&Function, &Function)) -> JsFuture {
    JsFuture::from(Promise::new(&mut |resolve, reject| {
        settle(&resolve, &reject)
    }))
}

/// The result of an IndexedDB request, once it succeeded.
async fn done(request: &IdbRequest) -> Result<JsValue, StoreError> {
    settled(&mut |ok, fail| {
        request.set_onsuccess(Some(ok));
        request.set_onerror(Some(fail));
    })
    .await
    .map_err(|_| StoreError::Unavailable)?;
    request.result().map_err(|_| StoreError::Unavailable)
}

/// Waits for `tx` to commit (`complete`); an error or abort is [`StoreError::Unavailable`].
fn committed(tx: &IdbTransaction) -> JsFuture {
    settled(&mut |ok, fail| {
        tx.set_oncomplete(Some(ok));
        tx.set_onerror(Some(fail));
        tx.set_onabort(Some(fail));
    })
}

async fn open_database() -> Result<IdbDatabase, StoreError> {
    let unavailable = |_| StoreError::Unavailable;
    let factory: IdbFactory = global("indexedDB", StoreError::Unavailable)?;
    let request: IdbOpenDbRequest = factory.open_with_u32(DATABASE, 1).map_err(unavailable)?;
    let upgrading = request.clone();
    // Runs inside the version change (first open): creates the object store.
    let upgrade = Closure::once_into_js(move || {
        if let Some(db) = upgrading
            .result()
            .ok()
            .and_then(|db| db.dyn_into::<IdbDatabase>().ok())
        {
            if !db.object_store_names().contains(OBJECTS) {
                let _ = db.create_object_store(OBJECTS);
            }
        }
    });
    request.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    let db = done(&request).await;
    request.set_onupgradeneeded(None);
    db?.dyn_into().map_err(unavailable)
}

impl SnapshotStore {
    /// Opens the store of `portal` (member id, else domain) for the user of `material`.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when IndexedDB cannot be opened (blocked, missing);
    /// [`StoreError::Crypto`] without WebCrypto.
    pub async fn open(portal: &str, material: &KeyMaterial) -> Result<Self, StoreError> {
        let subtle = subtle()?;
        let key = import(&subtle, &material.key).await?;
        let db = open_database().await?;
        Ok(Self {
            db,
            subtle,
            key,
            record: material.record(portal),
        })
    }

    /// The stored snapshot, if there is one this user's key opens and this version reads.
    pub async fn load(&self) -> Option<Stored> {
        Stored::decode(&self.load_plain().await?)
    }

    /// The stored record decrypted ([`Stored::encode`]'s bytes, not checked further), if
    /// there is one this user's key opens.
    pub async fn load_plain(&self) -> Option<Vec<u8>> {
        let tx = self.db.transaction_with_str(OBJECTS).ok()?;
        let request = tx
            .object_store(OBJECTS)
            .ok()?
            .get(&JsValue::from_str(&self.record))
            .ok()?;
        let value = done(&request).await.ok()?;
        if value.is_undefined() {
            return None;
        }
        let sealed = Uint8Array::new(&value).to_vec();
        let (iv, body) = sealed.split_at_checked(IV_LEN)?;
        bytes_of(self.subtle.decrypt_with_object_and_u8_array(
            &Object::from(params(iv, &self.record)),
            &self.key,
            body,
        ))
        .await
    }

    /// A read-write transaction on the store and the wait for its commit.
    fn writing(&self) -> Result<(IdbTransaction, JsFuture), StoreError> {
        let tx = self
            .db
            .transaction_with_str_and_mode(OBJECTS, IdbTransactionMode::Readwrite)
            .map_err(|_| StoreError::Unavailable)?;
        let commit = committed(&tx);
        Ok((tx, commit))
    }

    /// Replaces the user's snapshot with `stored`.
    ///
    /// # Errors
    /// [`StoreError::Crypto`] when encryption fails; [`StoreError::Unavailable`] when the
    /// write fails (quota, storage cleared or blocked meanwhile).
    pub async fn save(&self, stored: &Stored) -> Result<(), StoreError> {
        self.save_plain(&stored.encode()).await
    }

    /// Replaces the user's snapshot with `plain` ([`Stored::encode`]'s bytes, or
    /// [`Stored::envelope`]'s).
    ///
    /// # Errors
    /// As [`SnapshotStore::save`].
    pub async fn save_plain(&self, plain: &[u8]) -> Result<(), StoreError> {
        let iv = random::<IV_LEN>()?;
        let sealed = bytes_of(self.subtle.encrypt_with_object_and_u8_array(
            &Object::from(params(&iv, &self.record)),
            &self.key,
            plain,
        ))
        .await
        .ok_or(StoreError::Crypto)?;
        let mut value = Vec::with_capacity(IV_LEN + sealed.len());
        value.extend_from_slice(&iv);
        value.extend_from_slice(&sealed);
        self.put(&Uint8Array::from(value.as_slice())).await
    }

    /// Writes `value` as the user's record and waits for the commit.
    async fn put(&self, value: &JsValue) -> Result<(), StoreError> {
        let unavailable = |_| StoreError::Unavailable;
        let (tx, commit) = self.writing()?;
        let request = tx
            .object_store(OBJECTS)
            .map_err(unavailable)?
            .put_with_key(value, &JsValue::from_str(&self.record))
            .map_err(unavailable)?;
        done(&request).await?;
        commit.await.map_err(unavailable)?;
        Ok(())
    }

    /// Deletes the user's snapshot (a later full load stores a new one).
    pub async fn clear(&self) {
        if let Ok((tx, commit)) = self.writing() {
            if let Ok(Ok(request)) = tx
                .object_store(OBJECTS)
                .map(|s| s.delete(&JsValue::from_str(&self.record)))
            {
                let _ = done(&request).await;
            }
            let _ = commit.await;
        }
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
#[path = "snapshot_store/browser_tests.rs"]
mod browser_tests;
