//! What the app hands the Excel exporter's worker (issue 16): the loaded tasks in the
//! binary task form ([`crate::report::codec`], shared with the snapshot of issue 15), the
//! current view in its saved form ([`SavedView::encode`]: filters, sort, grouping and what
//! the saved view carries besides), the names of people and projects, the language and the
//! portal's URL. The worker runs the same query, grouping and pivots as the screen
//! (`exporter/src/sheets.rs`, at its own clock: the same moment to the second), so the app's
//! side of the export is this encoder only.
//!
//! Format: `TRX` and version 1, then the language (its index in [`Lang::ALL`]), portal URL (empty: none), view text,
//! people (count, then ID and name each),
//! projects (the same), then the byte length of the task list and the list as
//! [`codec::encode_tasks`] writes it. Texts and integers as [`codec::put_text`] and
//! [`codec::put`] write them.

use crate::i18n::Lang;
use crate::report::codec::{self, put, put_text, Reader};
use crate::report::directory::Directory;
use crate::report::task::{GroupId, Task, UserId};
use crate::report::view::SavedView;

/// The first bytes of a request: `TRX` and the format version.
pub const MAGIC: &[u8; 4] = b"TRX\x01";

/// An export request as the worker reads it.
#[derive(Debug, PartialEq)]
pub struct Request {
    /// The user's language.
    pub lang: Lang,
    /// The portal's URL (for the task links and the file name), if known.
    pub portal_url: Option<String>,
    /// The view on screen.
    pub view: SavedView,
    /// The known names.
    pub directory: Directory,
    /// Every loaded task, in table order.
    pub tasks: Vec<Task>,
}

/// What is on screen, for [`encode`].
pub struct Screen<'a> {
    /// The user's language.
    pub lang: Lang,
    /// The portal's URL, if known.
    pub portal_url: Option<&'a str>,
    /// The view.
    pub view: &'a SavedView,
    /// The known names.
    pub directory: &'a Directory,
    /// Every loaded task, in table order.
    pub tasks: &'a [Task],
}

/// The request bytes for the screen.
pub fn encode(screen: &Screen<'_>) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.push(screen.lang as u8);
    put_text(&mut out, screen.portal_url.unwrap_or(""));
    put_text(&mut out, &screen.view.encode());
    put(&mut out, screen.directory.people_len() as u64);
    for (id, name) in screen.directory.people() {
        put(&mut out, id.0);
        put_text(&mut out, name);
    }
    put(&mut out, screen.directory.projects_len() as u64);
    for (id, name) in screen.directory.projects() {
        put(&mut out, id.0);
        put_text(&mut out, name);
    }
    let tasks = codec::encode_tasks(screen.tasks);
    put(&mut out, tasks.len() as u64);
    out.extend_from_slice(&tasks);
    out
}

/// Reads a request; anything else (another format, a cut, trailing bytes) is `None`.
pub fn decode(bytes: &[u8]) -> Option<Request> {
    let mut r = Reader::new(bytes);
    if r.take(MAGIC.len())? != MAGIC {
        return None;
    }
    let lang = *Lang::ALL.get(usize::from(r.byte()?))?;
    let portal_url = Some(r.text()?).filter(|u| !u.is_empty());
    let view = SavedView::decode(&r.text()?);
    let mut directory = Directory::new();
    for _ in 0..r.var()? {
        let id = UserId(r.var()?);
        directory.insert_person(id, &r.text()?);
    }
    for _ in 0..r.var()? {
        let id = GroupId(r.var()?);
        directory.insert_project(id, &r.text()?);
    }
    let len = usize::try_from(r.var()?).ok()?;
    let tasks = codec::decode_tasks(r.take(len)?)?;
    r.is_done().then_some(Request {
        lang,
        portal_url,
        view,
        directory,
        tasks,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::report::query::testdata;
    use crate::report::summary::GroupBy;

    #[test]
    fn a_request_round_trips_and_anything_else_is_none() {
        let mut view = SavedView {
            group: GroupBy::Status,
            ..SavedView::default()
        };
        view.query.search = "отчёт".into();
        let mut directory = Directory::new();
        directory.insert_person(UserId(101), "Анна Петрова");
        directory.insert_person(UserId(102), "Bob");
        directory.insert_project(GroupId(4), "Сайт");
        let tasks = testdata::generate(50, 3);
        let bytes = encode(&Screen {
            lang: Lang::Ru,
            portal_url: Some("https://acme.bitrix24.ru"),
            view: &view,
            directory: &directory,
            tasks: &tasks,
        });
        let back = decode(&bytes).unwrap();
        assert_eq!(
            back,
            Request {
                lang: Lang::Ru,
                portal_url: Some("https://acme.bitrix24.ru".into()),
                view,
                directory,
                tasks,
            }
        );
        let none = encode(&Screen {
            lang: Lang::De,
            portal_url: None,
            view: &SavedView::default(),
            directory: &Directory::new(),
            tasks: &[],
        });
        assert_eq!(decode(&none).unwrap().portal_url, None);
        assert!(decode(b"").is_none());
        assert!(decode(b"TRX\x02").is_none());
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode(&longer).is_none());
    }
}
