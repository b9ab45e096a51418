//! A compact, versioned binary encoding of task lists (issue 15: the stored snapshot; also
//! fit for handing rows to a worker). Decoding is lenient: a wrong magic or version, a cut
//! or corrupt buffer, trailing bytes → `None`, never a panic.
//!
//! Layout: `b"TRC"`, [`VERSION`], the task count, then per task: ID, a presence bitmap,
//! priority and status tags (an unknown value carries its text), the meta status, the
//! people and project, four dates (unix seconds and offset) and two durations, the title.
//! Integers are LEB128 varints, signed ones zigzag-coded; text is a length and UTF-8.

use crate::report::dates::PortalTime;
use crate::report::task::{GroupId, MetaStatus, Priority, RealStatus, Task, TaskId, UserId};

/// The encoding's version; a buffer of another version decodes as `None`.
pub const VERSION: u8 = 1;

const MAGIC: &[u8; 3] = b"TRC";

/// Encodes `tasks` (any order; decoding keeps it).
pub fn encode_tasks(tasks: &[Task]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + tasks.len() * 64);
    out.extend_from_slice(MAGIC);
    out.push(VERSION);
    put(&mut out, tasks.len() as u64);
    for t in tasks {
        encode_task(&mut out, t);
    }
    out
}

/// Decodes a buffer written by [`encode_tasks`] of this [`VERSION`]; `None` for anything else.
pub fn decode_tasks(bytes: &[u8]) -> Option<Vec<Task>> {
    let mut r = Reader { bytes, at: 0 };
    if r.take(3)? != MAGIC || r.byte()? != VERSION {
        return None;
    }
    let count = usize::try_from(r.var()?).ok()?;
    // Every task takes at least 6 bytes: a count beyond that is corrupt.
    if count > bytes.len() / 6 {
        return None;
    }
    let mut tasks = Vec::with_capacity(count);
    for _ in 0..count {
        tasks.push(decode_task(&mut r)?);
    }
    (r.at == bytes.len()).then_some(tasks)
}

const HAS_RESPONSIBLE: u64 = 1;
const HAS_CREATOR: u64 = 1 << 1;
const HAS_GROUP: u64 = 1 << 2;
const HAS_DEADLINE: u64 = 1 << 3;
const HAS_CREATED: u64 = 1 << 4;
const HAS_CHANGED: u64 = 1 << 5;
const HAS_CLOSED: u64 = 1 << 6;
const HAS_ESTIMATE: u64 = 1 << 7;
const HAS_SPENT: u64 = 1 << 8;

fn encode_task(out: &mut Vec<u8>, t: &Task) {
    put(out, t.id.0);
    let bits = [
        (t.responsible.is_some(), HAS_RESPONSIBLE),
        (t.created_by.is_some(), HAS_CREATOR),
        (t.group.is_some(), HAS_GROUP),
        (t.deadline.is_some(), HAS_DEADLINE),
        (t.created.is_some(), HAS_CREATED),
        (t.changed.is_some(), HAS_CHANGED),
        (t.closed.is_some(), HAS_CLOSED),
        (t.time_estimate.is_some(), HAS_ESTIMATE),
        (t.time_spent.is_some(), HAS_SPENT),
    ];
    put(out, bits.iter().filter(|b| b.0).map(|b| b.1).sum());
    match &t.priority {
        Priority::Unknown(raw) => {
            out.push(3);
            put_text(out, raw);
        }
        known => out.push(known.rank()),
    }
    match &t.status {
        RealStatus::Unknown(raw) => {
            out.push(0);
            put_text(out, raw);
        }
        known => out.push(known.rank()),
    }
    out.push(t.meta.map_or(0, |m| m.code().unsigned_abs()));
    for id in [
        t.responsible.map(|u| u.0),
        t.created_by.map(|u| u.0),
        t.group.map(|g| g.0),
    ]
    .into_iter()
    .flatten()
    {
        put(out, id);
    }
    for time in [t.deadline, t.created, t.changed, t.closed]
        .into_iter()
        .flatten()
    {
        put(out, zigzag(time.unix()));
        put(out, zigzag(i64::from(time.offset_min())));
    }
    for secs in [t.time_estimate, t.time_spent].into_iter().flatten() {
        put(out, u64::from(secs));
    }
    put_text(out, &t.title);
}

fn decode_task(r: &mut Reader<'_>) -> Option<Task> {
    let id = TaskId(r.var()?);
    let bits = r.var()?;
    let has = |bit: u64| bits & bit != 0;
    let priority = match r.byte()? {
        0 => Priority::Low,
        1 => Priority::Medium,
        2 => Priority::High,
        3 => Priority::Unknown(r.text()?),
        _ => return None,
    };
    let status = match r.byte()? {
        0 => RealStatus::Unknown(r.text()?),
        rank => RealStatus::KNOWN
            .get(usize::from(rank).checked_sub(1)?)?
            .clone(),
    };
    let meta = match r.byte()? {
        0 => None,
        code => Some(
            *MetaStatus::ALL
                .iter()
                .find(|m| m.code().unsigned_abs() == code)?,
        ),
    };
    let mut id_if = |bit| {
        if has(bit) {
            r.var().map(Some)
        } else {
            Some(None)
        }
    };
    let responsible = id_if(HAS_RESPONSIBLE)?.map(UserId);
    let created_by = id_if(HAS_CREATOR)?.map(UserId);
    let group = id_if(HAS_GROUP)?.map(GroupId);
    let mut time_if = |bit| -> Option<Option<PortalTime>> {
        if !has(bit) {
            return Some(None);
        }
        let secs = unzigzag(r.var()?);
        let offset = i32::try_from(unzigzag(r.var()?)).ok()?;
        PortalTime::new(secs, offset).map(Some)
    };
    let deadline = time_if(HAS_DEADLINE)?;
    let created = time_if(HAS_CREATED)?;
    let changed = time_if(HAS_CHANGED)?;
    let closed = time_if(HAS_CLOSED)?;
    let mut secs_if = |bit| -> Option<Option<u32>> {
        if has(bit) {
            u32::try_from(r.var()?).ok().map(Some)
        } else {
            Some(None)
        }
    };
    let time_estimate = secs_if(HAS_ESTIMATE)?;
    let time_spent = secs_if(HAS_SPENT)?;
    let title = r.text()?;
    Some(Task {
        id,
        title,
        priority,
        status,
        meta,
        responsible,
        created_by,
        group,
        deadline,
        created,
        changed,
        closed,
        time_estimate,
        time_spent,
    })
}

/// Appends `v` as an LEB128 varint (also for other compact formats: the Excel export's
/// request, `crate::export::request`).
pub fn put(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Appends `s` as its byte length (varint) and UTF-8.
pub fn put_text(out: &mut Vec<u8>, s: &str) {
    put(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// Reads back what [`put`] and [`put_text`] wrote; every read is `None` past the end.
pub struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    /// Reads `bytes` from the start.
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, at: 0 }
    }

    /// True when every byte was read.
    pub fn is_done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let part = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(part)
    }

    /// Every byte not read yet (and nothing is left to read).
    pub fn rest(&mut self) -> &'a [u8] {
        let rest = self.bytes.get(self.at..).unwrap_or(&[]);
        self.at = self.bytes.len();
        rest
    }

    /// The next byte.
    pub fn byte(&mut self) -> Option<u8> {
        self.take(1)?.first().copied()
    }

    /// A varint.
    pub fn var(&mut self) -> Option<u64> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    /// A text.
    pub fn text(&mut self) -> Option<String> {
        let len = usize::try_from(self.var()?).ok()?;
        String::from_utf8(self.take(len)?.to_vec()).ok()
    }
}

#[cfg(test)]
#[path = "codec_tests.rs"]
mod tests;
