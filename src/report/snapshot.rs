//! The stored snapshot of a complete load (issue 15), pure: what is stored (the tasks, when,
//! how many refreshes since), under which record name, and the per-user key material kept in
//! `BX24.userOption`. The browser side (IndexedDB, WebCrypto) is `crate::snapshot_store`.
//!
//! Isolation: the record name holds the portal (member id, else domain), a per-user random
//! slot and [`SCHEMA`]; the key material (slot and a 256-bit AES-GCM key) lives only in the
//! user's `BX24.userOption`, stored by the portal per app and per user. The slot stands for
//! the user ID, which the SDK does not give without a REST call (`user.current`) under a
//! scope the app does not ask for. Another user never has the slot or the key.

use std::cmp::Ordering;

use crate::report::codec::{decode_tasks, encode_tasks};
use crate::report::id_ranges::newest_first;
use crate::report::task::{Task, TaskId};

/// The version of the stored form (envelope and codec); another version is not read.
pub const SCHEMA: u8 = 1;

/// The `BX24.userOption` name of the key material.
pub const USER_OPTION_KEY: &str = "taskReportSnapshotKey";

const MAGIC: &[u8; 3] = b"TRS";

/// What a snapshot holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    /// When the rows it holds were read from (unix seconds: the start of that load or refresh).
    pub saved_at_s: i64,
    /// Refreshes since the last full load (moves the refresh's range boundaries).
    pub refreshes: u64,
    /// Every task of that load, as the table had them.
    pub tasks: Vec<Task>,
}

impl Stored {
    /// Where the tasks (their [`encode_tasks`] bytes) start in [`Stored::encode`]'s bytes.
    pub const TASKS_AT: usize = 20;

    /// The bytes to encrypt and store.
    pub fn encode(&self) -> Vec<u8> {
        Self::envelope(self.saved_at_s, self.refreshes, &encode_tasks(&self.tasks))
    }

    /// [`Stored::encode`]'s bytes around tasks already encoded by [`encode_tasks`].
    pub fn envelope(saved_at_s: i64, refreshes: u64, tasks: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(Self::TASKS_AT + tasks.len());
        out.extend_from_slice(MAGIC);
        out.push(SCHEMA);
        out.extend_from_slice(&saved_at_s.to_le_bytes());
        out.extend_from_slice(&refreshes.to_le_bytes());
        out.extend_from_slice(tasks);
        out
    }

    /// Reads [`Stored::encode`]'s bytes of this [`SCHEMA`]; anything else is `None`.
    pub fn decode(bytes: &[u8]) -> Option<Self> {
        if bytes.get(..3)? != MAGIC || *bytes.get(3)? != SCHEMA {
            return None;
        }
        let word = |at: usize| -> Option<[u8; 8]> { bytes.get(at..at + 8)?.try_into().ok() };
        Some(Self {
            saved_at_s: i64::from_le_bytes(word(4)?),
            refreshes: u64::from_le_bytes(word(12)?),
            tasks: decode_tasks(bytes.get(Self::TASKS_AT..)?)?,
        })
    }
}

/// What is gone between the snapshot shown on opening and the tasks now (the new and
/// changed tasks are marked in the table: `TaskTable::mark_since_visit`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SinceVisit {
    /// Tasks of the snapshot that are gone (deleted, or no longer visible to the user):
    /// their ID and last known title, ID descending.
    pub gone: Vec<(TaskId, String)>,
}

/// `tasks` by ID, largest first, each ID once (its last row).
fn by_id_down(tasks: &[Task]) -> Vec<&Task> {
    let ids: Vec<u64> = tasks.iter().map(|t| t.id.0).collect();
    newest_first(&ids).into_iter().map(|i| &tasks[i]).collect()
}

/// Compares the snapshot's tasks with the tasks now: both walked by ID, largest first.
pub fn since_visit(before: &[Task], now: &[Task]) -> SinceVisit {
    let (old, new) = (by_id_down(before), by_id_down(now));
    let mut since = SinceVisit::default();
    let (mut o, mut n) = (old.iter().peekable(), new.iter().peekable());
    loop {
        let order = match (o.peek(), n.peek()) {
            (None, None) => break,
            (Some(_), None) => Ordering::Greater,
            (None, Some(_)) => Ordering::Less,
            (Some(a), Some(b)) => a.id.0.cmp(&b.id.0),
        };
        let was = o.next_if(|_| order.is_ge());
        if order.is_le() {
            n.next();
        }
        if let (Ordering::Greater, Some(gone)) = (order, was) {
            since.gone.push((gone.id, gone.title.clone()));
        }
    }
    since
}

/// A user's key material: the slot naming their record and the AES-GCM key.
#[derive(Clone, PartialEq, Eq)]
pub struct KeyMaterial {
    /// Random; names the user's record.
    pub slot: [u8; 16],
    /// The raw 256-bit AES-GCM key.
    pub key: [u8; 32],
}

impl std::fmt::Debug for KeyMaterial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeyMaterial {{ slot: {}, key: … }}", hex(&self.slot))
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Lower-case hex of `bytes` (written by hand: `format!("{:02x}")` and `from_str_radix`
/// link core's formatting and parsing code, which the snapshot otherwise does not need).
fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(2 * bytes.len());
    for b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}

/// The value of one lower-case hex digit.
fn nibble(digit: u8) -> Option<u8> {
    let digit = digit.to_ascii_lowercase();
    let at = HEX.iter().position(|&h| h == digit)?;
    u8::try_from(at).ok()
}

/// Reads exactly `N` bytes of hex (two digits each, either case, nothing else).
fn unhex<const N: usize>(text: &str) -> Option<[u8; N]> {
    let raw = text.as_bytes();
    if raw.len() != 2 * N {
        return None;
    }
    let mut out = [0u8; N];
    for (byte, pair) in out.iter_mut().zip(raw.chunks_exact(2)) {
        *byte = nibble(pair[0])? << 4 | nibble(pair[1])?;
    }
    Some(out)
}

impl KeyMaterial {
    /// Key material from 48 random bytes (16 of slot, 32 of key).
    pub fn from_random(bytes: &[u8; 48]) -> Self {
        let mut slot = [0u8; 16];
        let mut key = [0u8; 32];
        slot.copy_from_slice(&bytes[..16]);
        key.copy_from_slice(&bytes[16..]);
        Self { slot, key }
    }

    /// The `BX24.userOption` value: `k1.<slot hex>.<key hex>`.
    pub fn to_option(&self) -> String {
        format!("k1.{}.{}", hex(&self.slot), hex(&self.key))
    }

    /// Reads [`KeyMaterial::to_option`]'s text; anything else (missing, changed) is `None`.
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.trim().split('.');
        if parts.next()? != "k1" {
            return None;
        }
        let slot = unhex::<16>(parts.next()?)?;
        let key = unhex::<32>(parts.next()?)?;
        parts.next().is_none().then_some(Self { slot, key })
    }

    /// The record name for `portal` (member id or domain): portal, slot and [`SCHEMA`]. Also
    /// the additional authenticated data of the encryption, so a record copied under
    /// another name does not decrypt.
    pub fn record(&self, portal: &str) -> String {
        format!("{portal}|{}|v{SCHEMA}", hex(&self.slot))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::report::task::{Priority, TaskId};

    fn stored() -> Stored {
        Stored {
            saved_at_s: 1_767_225_600,
            refreshes: 3,
            tasks: (1..=3)
                .map(|i| {
                    Task::from_status_fields(
                        TaskId(i),
                        format!("t{i}"),
                        Priority::Low,
                        Some("3"),
                        None,
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn a_snapshot_survives_and_damage_or_another_schema_is_none() {
        let s = stored();
        let bytes = s.encode();
        assert_eq!(Stored::decode(&bytes), Some(s));
        for len in 0..bytes.len() {
            assert_eq!(Stored::decode(&bytes[..len]), None, "cut at {len}");
        }
        let mut old = bytes.clone();
        old[3] = SCHEMA.wrapping_sub(1);
        assert_eq!(Stored::decode(&old), None);
    }

    #[test]
    fn since_visit_names_the_gone_tasks() {
        let before = stored().tasks;
        let mut now = before.clone();
        now.remove(0); // task 1 gone
        now[0].changed = crate::report::dates::PortalTime::new(1_767_225_600, 180); // task 2
        now[1].title = "renamed without a date".into(); // task 3: CHANGED_DATE did not move
        now.push(Task::from_status_fields(
            TaskId(9),
            "new".into(),
            Priority::Low,
            None,
            None,
        ));
        let s = since_visit(&before, &now);
        assert_eq!(s.gone, vec![(TaskId(1), "t1".to_string())]);
        assert_eq!(since_visit(&before, &before), SinceVisit::default());
    }

    #[test]
    fn key_material_round_trips_and_rejects_changed_text() {
        let mut random = [0u8; 48];
        for (i, b) in random.iter_mut().enumerate() {
            *b = (i * 37 % 251) as u8;
        }
        let k = KeyMaterial::from_random(&random);
        let text = k.to_option();
        assert_eq!(text.len(), 3 + 32 + 1 + 64);
        assert_eq!(KeyMaterial::parse(&text), Some(k.clone()));
        assert_eq!(
            KeyMaterial::parse(&text.to_uppercase().replacen("K1", "k1", 1)),
            Some(k.clone())
        );
        for bad in [
            String::new(),
            "k2".to_string() + &text[2..],
            text[..text.len() - 1].to_string(),
            text.clone() + ".x",
            text.replace('a', "g"),
            // Two characters that `u8::from_str_radix` would read as one byte.
            format!("k1.+{}", &text[4..]),
        ] {
            assert_eq!(KeyMaterial::parse(&bad), None, "{bad}");
        }
        assert!(
            !format!("{k:?}").contains(&text[36..]),
            "Debug hides the key"
        );
        let record = k.record("m1");
        assert!(
            record.starts_with("m1|") && record.ends_with("|v1"),
            "{record}"
        );
        assert_ne!(record, KeyMaterial::from_random(&[1; 48]).record("m1"));
    }
}
