//! The messages between the page and the snapshot worker (issue 15; the worker is `snapshot/`,
//! the page's side `crate::snapshot_client`), as bytes: a kind, then varints and texts as
//! [`crate::report::codec`] writes them, task lists in its encoding.
//!
//! The page asks, the worker answers each request once, in order:
//!
//! | request | answer |
//! |---|---|
//! | [`Request::Open`]: portal, the user's key option | [`Reply::Snapshot`], [`Reply::None`] or [`Reply::Unavailable`] |
//! | [`Request::Refresh`]: offset | a step: [`Reply::Send`], [`Reply::Done`], [`Reply::FullLoad`] or [`Reply::Stuck`] |
//! | [`Request::Answer`]: the answer to the batch sent | the next step |
//! | [`Request::Save`]: portal, key option, when, refreshes, compare?, tasks (none: the refreshed list the worker holds) | [`Reply::Saved`] or [`Reply::Unavailable`] with a new key option and the tasks gone |
//!
//! Anything the page cannot read (an empty answer: the worker could not start or failed)
//! reads as [`Reply::None`]: the report goes on as without a snapshot.

use crate::report::codec::{decode_tasks, put, put_text, Reader};
use crate::report::task::{Task, TaskId};

const OPEN: u8 = 1;
const REFRESH: u8 = 2;
const ANSWER: u8 = 3;
const SAVE: u8 = 4;

const NONE: u8 = 0;
const UNAVAILABLE: u8 = 1;
const SNAPSHOT: u8 = 2;
const SEND: u8 = 3;
const FULL_LOAD: u8 = 4;
const STUCK: u8 = 5;
const DONE: u8 = 6;
const SAVED: u8 = 7;

/// What the page asks the worker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    /// Read the user's snapshot of `portal` with the key material in `option` (the
    /// `BX24.userOption` text).
    Open {
        /// Member id, else domain.
        portal: String,
        /// The key option's text.
        option: String,
    },
    /// Start refreshing the snapshot read by [`Request::Open`]; `offset` as
    /// `crate::report::refresh_run::RefreshRun::start` takes it.
    Refresh {
        /// Refreshes since the last full load.
        offset: u64,
    },
    /// The answer to the batch of the last [`Reply::Send`], as a `batch` reply body.
    Answer {
        /// The body.
        body: String,
    },
    /// Store a complete list as the user's snapshot.
    Save(SaveRequest),
}

/// What [`Request::Save`] carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SaveRequest {
    /// Member id, else domain.
    pub portal: String,
    /// The key option's text (empty or unreadable: the worker makes new key material).
    pub option: String,
    /// When the list's rows were read from (unix seconds: the start of the load or refresh).
    pub saved_at_s: i64,
    /// Refreshes since the last full load.
    pub refreshes: u64,
    /// Compare with the snapshot read by [`Request::Open`] and answer what is gone.
    pub compare: bool,
    /// The list in the codec's encoding; empty: the refreshed list the worker holds.
    pub tasks: Vec<u8>,
}

impl Request {
    /// The request's bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        match self {
            Self::Open { portal, option } => {
                out.push(OPEN);
                put_text(&mut out, portal);
                put_text(&mut out, option);
            }
            Self::Refresh { offset } => {
                out.push(REFRESH);
                put(&mut out, *offset);
            }
            Self::Answer { body } => {
                out.push(ANSWER);
                put_text(&mut out, body);
            }
            Self::Save(save) => {
                out.push(SAVE);
                put_text(&mut out, &save.portal);
                put_text(&mut out, &save.option);
                put(&mut out, save.saved_at_s as u64);
                put(&mut out, save.refreshes);
                out.push(u8::from(save.compare));
                out.extend_from_slice(&save.tasks);
            }
        }
        out
    }

    /// Reads [`Request::encode`]'s bytes; `None` for anything else.
    pub fn decode(bytes: &[u8]) -> Option<Self> {
        let mut r = Reader::new(bytes);
        let request = match r.byte()? {
            OPEN => Self::Open {
                portal: r.text()?,
                option: r.text()?,
            },
            REFRESH => Self::Refresh { offset: r.var()? },
            ANSWER => Self::Answer { body: r.text()? },
            SAVE => Self::Save(SaveRequest {
                portal: r.text()?,
                option: r.text()?,
                saved_at_s: r.var()? as i64,
                refreshes: r.var()?,
                compare: r.byte()? != 0,
                tasks: r.rest().to_vec(),
            }),
            _ => return None,
        };
        r.is_done().then_some(request)
    }
}

/// What the worker answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    /// No snapshot this key opens (or the worker failed): load fully.
    None,
    /// The browser does not let the app keep its tasks (IndexedDB blocked or failing).
    Unavailable {
        /// As in [`Reply::Saved`].
        option: String,
        /// As in [`Reply::Saved`].
        gone: Vec<(TaskId, String)>,
    },
    /// The stored snapshot.
    Snapshot {
        /// When it was stored (unix seconds).
        saved_at_s: i64,
        /// Refreshes since its last full load.
        refreshes: u64,
        /// Its tasks.
        tasks: Vec<Task>,
    },
    /// Send this `batch` body and answer with [`Request::Answer`].
    Send(String),
    /// The refresh is complete: the refreshed list (the worker keeps it for the save).
    Done(Vec<Task>),
    /// The snapshot cannot be refreshed: load fully.
    FullLoad,
    /// The refresh did not converge.
    Stuck,
    /// Stored.
    Saved {
        /// New key option text to keep in `BX24.userOption` (empty: keep the one sent).
        option: String,
        /// Tasks of the compared snapshot that are not in the list (ID descending).
        gone: Vec<(TaskId, String)>,
    },
}

/// Appends `tasks` (codec bytes) after `head`.
fn with_tasks(mut head: Vec<u8>, tasks: &[u8]) -> Vec<u8> {
    head.extend_from_slice(tasks);
    head
}

impl Reply {
    /// [`Reply::Snapshot`]'s bytes, from tasks already in the codec's encoding.
    pub fn snapshot(saved_at_s: i64, refreshes: u64, tasks: &[u8]) -> Vec<u8> {
        let mut head = vec![SNAPSHOT];
        put(&mut head, saved_at_s as u64);
        put(&mut head, refreshes);
        with_tasks(head, tasks)
    }

    /// [`Reply::Done`]'s bytes, from tasks already in the codec's encoding.
    pub fn done(tasks: &[u8]) -> Vec<u8> {
        with_tasks(vec![DONE], tasks)
    }

    /// [`Reply::Saved`]'s (or, `stored` false, [`Reply::Unavailable`]'s) bytes.
    pub fn saved(stored: bool, option: &str, gone: &[(TaskId, String)]) -> Vec<u8> {
        let mut out = vec![if stored { SAVED } else { UNAVAILABLE }];
        put_text(&mut out, option);
        put(&mut out, gone.len() as u64);
        for (id, title) in gone {
            put(&mut out, id.0);
            put_text(&mut out, title);
        }
        out
    }

    /// The bytes of a reply without tasks (the others: [`Reply::snapshot`], [`Reply::done`],
    /// [`Reply::saved`]).
    pub fn encode(&self) -> Vec<u8> {
        match self {
            Self::None => vec![NONE],
            Self::Unavailable { option, gone } => Self::saved(false, option, gone),
            Self::Saved { option, gone } => Self::saved(true, option, gone),
            Self::Send(body) => {
                let mut out = vec![SEND];
                put_text(&mut out, body);
                out
            }
            Self::FullLoad => vec![FULL_LOAD],
            Self::Stuck => vec![STUCK],
            Self::Snapshot {
                saved_at_s,
                refreshes,
                tasks,
            } => Self::snapshot(
                *saved_at_s,
                *refreshes,
                &crate::report::codec::encode_tasks(tasks),
            ),
            Self::Done(tasks) => Self::done(&crate::report::codec::encode_tasks(tasks)),
        }
    }

    /// Reads a reply; anything unreadable (an empty one too) is [`Reply::None`].
    pub fn decode(bytes: &[u8]) -> Self {
        Self::read(&mut Reader::new(bytes)).unwrap_or(Self::None)
    }

    fn read(r: &mut Reader<'_>) -> Option<Self> {
        let kind = r.byte()?;
        let reply = match kind {
            SNAPSHOT => Self::Snapshot {
                saved_at_s: r.var()? as i64,
                refreshes: r.var()?,
                tasks: decode_tasks(r.rest())?,
            },
            SEND => Self::Send(r.text()?),
            FULL_LOAD => Self::FullLoad,
            STUCK => Self::Stuck,
            DONE => Self::Done(decode_tasks(r.rest())?),
            SAVED | UNAVAILABLE => {
                let option = r.text()?;
                let count = usize::try_from(r.var()?).ok()?;
                let mut gone = Vec::new();
                for _ in 0..count {
                    gone.push((TaskId(r.var()?), r.text()?));
                }
                if kind == SAVED {
                    Self::Saved { option, gone }
                } else {
                    Self::Unavailable { option, gone }
                }
            }
            _ => return None,
        };
        r.is_done().then_some(reply)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::report::task::Priority;

    fn tasks() -> Vec<Task> {
        (1..=3)
            .map(|i| {
                Task::from_status_fields(
                    TaskId(i),
                    format!("t{i}"),
                    Priority::High,
                    Some("2"),
                    None,
                )
            })
            .collect()
    }

    #[test]
    fn requests_survive_and_anything_else_is_none() {
        let requests = [
            Request::Open {
                portal: "m1".into(),
                option: "k1.ab".into(),
            },
            Request::Refresh { offset: 7 },
            Request::Answer {
                body: "{\"result\":{}}".into(),
            },
            Request::Save(SaveRequest {
                portal: "m1".into(),
                option: String::new(),
                saved_at_s: 1_767_225_600,
                refreshes: 2,
                compare: true,
                tasks: crate::report::codec::encode_tasks(&tasks()),
            }),
            Request::Save(SaveRequest {
                portal: "d.example".into(),
                option: "x".into(),
                saved_at_s: 5,
                refreshes: 0,
                compare: false,
                tasks: Vec::new(),
            }),
        ];
        for request in requests {
            let bytes = request.encode();
            assert_eq!(Request::decode(&bytes), Some(request.clone()));
            if !matches!(request, Request::Save(_)) {
                // Cut anywhere (but whole): not a request. (A save's tasks are its rest.)
                for len in 0..bytes.len() {
                    assert_eq!(
                        Request::decode(&bytes[..len]),
                        None,
                        "{request:?} cut at {len}"
                    );
                }
            }
        }
        assert_eq!(Request::decode(&[9]), None);
        assert_eq!(Request::decode(&[]), None);
    }

    #[test]
    fn replies_survive_and_anything_unreadable_is_none() {
        let replies = [
            Reply::None,
            Reply::Unavailable {
                option: String::new(),
                gone: Vec::new(),
            },
            Reply::Snapshot {
                saved_at_s: 1_767_225_600,
                refreshes: 3,
                tasks: tasks(),
            },
            Reply::Send("halt=0&cmd%5Br0%5D=…".into()),
            Reply::Done(tasks()),
            Reply::FullLoad,
            Reply::Stuck,
            Reply::Saved {
                option: "k1.00.11".into(),
                gone: vec![
                    (TaskId(9), "<b>gone</b>".into()),
                    (TaskId(4), String::new()),
                ],
            },
        ];
        for reply in replies {
            let bytes = reply.encode();
            assert_eq!(Reply::decode(&bytes), reply);
            for len in 0..bytes.len() {
                assert_eq!(
                    Reply::decode(&bytes[..len]),
                    Reply::None,
                    "{reply:?} cut at {len}"
                );
            }
        }
        assert_eq!(Reply::decode(&[]), Reply::None);
        assert_eq!(Reply::decode(&[42, 1, 2]), Reply::None);
    }
}
