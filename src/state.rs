//! The app's shared UI state: where the data comes from, how loading goes, and the table.
//!
//! The table lives behind [`TableRef`] (one `Rc<RefCell<TaskTable>>` owned by the report
//! hook, plus a revision number): pages are appended in place instead of cloning 100 000
//! rows per update, and components re-render when the revision changes.

use std::cell::{Ref, RefCell};
use std::rc::Rc;

use crate::i18n::Lang;
use crate::report::load_error::LoadError;
use crate::report::loader::LoadNotice;
use crate::report::query::TaskTable;
use crate::report::retry::WaitReason;

/// Where the tasks come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// Inside a Bitrix24 portal frame (BX24 SDK + REST).
    Portal {
        /// The portal host.
        domain: String,
    },
    /// Preview outside Bitrix24: the in-page demo portal.
    Demo {
        /// Number of generated tasks.
        tasks: usize,
    },
    /// Preview through a live incoming webhook.
    Webhook {
        /// The portal host the webhook belongs to.
        domain: String,
    },
}

/// How the load is going.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadStatus {
    /// Connecting (waiting for `BX24.init`, building the demo portal, …).
    Connecting,
    /// Requests are running.
    Loading {
        /// Tasks loaded so far.
        loaded: usize,
        /// Tasks expected, once the portal said.
        total: Option<usize>,
        /// HTTP requests so far.
        requests: u32,
    },
    /// The loader waits (pacing, rate limit, operation-time limit, retry back-off).
    Waiting {
        /// Tasks loaded so far.
        loaded: usize,
        /// Tasks expected.
        total: Option<usize>,
        /// Why it waits.
        reason: WaitReason,
        /// For how long, in ms.
        ms: u32,
    },
    /// The tasks of the stored snapshot are shown while they are brought up to date.
    Refreshing {
        /// Tasks shown.
        loaded: usize,
        /// When the snapshot was taken, as the user's local `HH:MM`.
        as_of: String,
    },
    /// Every task is loaded.
    Done {
        /// Tasks loaded.
        loaded: usize,
        /// HTTP requests it took.
        requests: u32,
        /// Wall time from the start of loading, in ms.
        elapsed_ms: u32,
    },
    /// The user cancelled; Retry (resume) continues where it stopped.
    Cancelled {
        /// Tasks loaded so far.
        loaded: usize,
        /// Tasks expected.
        total: Option<usize>,
    },
    /// Loading stopped on an error; Retry (resume) continues where it stopped.
    Failed {
        /// What went wrong (translated by kind in the UI).
        error: LoadError,
        /// Tasks loaded so far (shown: a partial report).
        loaded: usize,
        /// Tasks expected.
        total: Option<usize>,
    },
}

impl LoadStatus {
    /// True while requests may still come in.
    pub fn is_running(&self) -> bool {
        matches!(
            self,
            Self::Connecting | Self::Loading { .. } | Self::Waiting { .. }
        )
    }
}

/// A shared handle to the report's rows; equal when it is the same table at the same revision.
#[derive(Clone, Debug)]
pub struct TableRef {
    table: Rc<RefCell<TaskTable>>,
    revision: u64,
}

impl TableRef {
    /// Wraps a table.
    pub fn new(table: Rc<RefCell<TaskTable>>) -> Self {
        let revision = table.borrow().revision();
        Self { table, revision }
    }

    /// Reads the rows.
    pub fn borrow(&self) -> Ref<'_, TaskTable> {
        self.table.borrow()
    }

    /// The revision this handle was taken at.
    pub fn revision(&self) -> u64 {
        self.revision
    }
}

impl PartialEq for TableRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.table, &other.table) && self.revision == other.revision
    }
}

/// Everything the report view needs to know about the session.
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    /// The UI language.
    pub lang: Lang,
    /// Where the tasks come from.
    pub source: SourceKind,
    /// True when opening tasks in the portal slider is possible (inside Bitrix24).
    pub can_open_in_portal: bool,
    /// Base URL of the portal for plain task links (`https://host`), if known.
    pub portal_url: Option<String>,
}

/// Footer notices collected during loading.
pub type Notices = Rc<[LoadNotice]>;
