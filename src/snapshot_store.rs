//! The snapshot's browser side (issue 15): one record per portal and user in the app origin's
//! IndexedDB (through the `idb` crate), encrypted with AES-GCM by WebCrypto under the user's
//! key from `BX24.userOption` (`report::snapshot` has the record name, the key material and
//! what is stored). Nothing here shows an error: a record that is missing, of another schema,
//! another key or damaged reads as none; storage that is blocked or throws (third-party
//! storage in a cross-site frame, private mode, quota) is [`StoreError::Unavailable`] and
//! the report works as without a snapshot.

use idb::DatabaseEvent;
use js_sys::{Array, Object, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AesGcmParams, CryptoKey, SubtleCrypto};

use crate::bx24;
use crate::report::snapshot::{KeyMaterial, Stored, USER_OPTION_KEY};

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
    db: idb::Database,
    subtle: SubtleCrypto,
    key: CryptoKey,
    record: String,
}

fn subtle() -> Result<SubtleCrypto, StoreError> {
    let crypto = web_sys::window()
        .ok_or(StoreError::Crypto)?
        .crypto()
        .map_err(|_| StoreError::Crypto)?;
    Ok(crypto.subtle())
}

fn random<const N: usize>() -> Result<[u8; N], StoreError> {
    let mut bytes = [0u8; N];
    web_sys::window()
        .ok_or(StoreError::Crypto)?
        .crypto()
        .map_err(|_| StoreError::Crypto)?
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(|_| StoreError::Crypto)?;
    Ok(bytes)
}

/// The user's key material from `BX24.userOption`; a new one (stored there) when there is
/// none or it is not readable. Either way, a new key makes any older record unreadable.
pub fn key_material() -> Result<KeyMaterial, StoreError> {
    if let Some(k) = bx24::user_option(USER_OPTION_KEY)
        .ok()
        .flatten()
        .and_then(|text| KeyMaterial::parse(&text))
    {
        return Ok(k);
    }
    let material = KeyMaterial::from_random(&random::<48>()?);
    bx24::set_user_option(USER_OPTION_KEY, &material.to_option())
        .map_err(|_| StoreError::Crypto)?;
    Ok(material)
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

async fn open_database() -> Result<idb::Database, StoreError> {
    let factory = idb::Factory::new().map_err(|_| StoreError::Unavailable)?;
    let mut request = factory
        .open(DATABASE, Some(1))
        .map_err(|_| StoreError::Unavailable)?;
    request.on_upgrade_needed(|event| {
        if let Ok(db) = event.database() {
            if !db.store_names().iter().any(|n| n == OBJECTS) {
                let _ = db.create_object_store(OBJECTS, idb::ObjectStoreParams::new());
            }
        }
    });
    request.await.map_err(|_| StoreError::Unavailable)
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
        let tx = self
            .db
            .transaction(&[OBJECTS], idb::TransactionMode::ReadOnly)
            .ok()?;
        let value = tx
            .object_store(OBJECTS)
            .ok()?
            .get(JsValue::from_str(&self.record))
            .ok()?
            .await
            .ok()??;
        let sealed = Uint8Array::new(&value).to_vec();
        let (iv, body) = sealed.split_at_checked(IV_LEN)?;
        let plain = bytes_of(self.subtle.decrypt_with_object_and_u8_array(
            &Object::from(params(iv, &self.record)),
            &self.key,
            body,
        ))
        .await?;
        Stored::decode(&plain)
    }

    /// Replaces the user's snapshot with `stored`.
    ///
    /// # Errors
    /// [`StoreError::Crypto`] when encryption fails; [`StoreError::Unavailable`] when the
    /// write fails (quota, storage cleared or blocked meanwhile).
    pub async fn save(&self, stored: &Stored) -> Result<(), StoreError> {
        let iv = random::<IV_LEN>()?;
        let plain = stored.encode();
        let sealed = bytes_of(self.subtle.encrypt_with_object_and_u8_array(
            &Object::from(params(&iv, &self.record)),
            &self.key,
            &plain,
        ))
        .await
        .ok_or(StoreError::Crypto)?;
        let mut value = Vec::with_capacity(IV_LEN + sealed.len());
        value.extend_from_slice(&iv);
        value.extend_from_slice(&sealed);
        let unavailable = |_| StoreError::Unavailable;
        let tx = self
            .db
            .transaction(&[OBJECTS], idb::TransactionMode::ReadWrite)
            .map_err(unavailable)?;
        tx.object_store(OBJECTS)
            .map_err(unavailable)?
            .put(
                &Uint8Array::from(value.as_slice()),
                Some(&JsValue::from_str(&self.record)),
            )
            .map_err(unavailable)?
            .await
            .map_err(unavailable)?;
        tx.commit()
            .map_err(unavailable)?
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    /// Deletes the user's snapshot (a later full load stores a new one).
    pub async fn clear(&self) {
        if let Ok(tx) = self
            .db
            .transaction(&[OBJECTS], idb::TransactionMode::ReadWrite)
        {
            if let Ok(Ok(req)) = tx
                .object_store(OBJECTS)
                .map(|s| s.delete(JsValue::from_str(&self.record)))
            {
                let _ = req.await;
            }
            let _ = tx.await;
        }
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
#[path = "snapshot_store/browser_tests.rs"]
mod browser_tests;
