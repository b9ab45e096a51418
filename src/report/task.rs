//! Domain types of one task row: [`TaskId`], [`Priority`], [`RealStatus`], [`MetaStatus`]
//! and [`Task`], parsed leniently from what the portal sends.
//!
//! The portal sends numbers as decimal strings, sometimes as JSON numbers, sometimes empty
//! or missing (see `docs/platform/task-list.md`, "Value types"). Unknown
//! values are kept verbatim and shown as "Unknown (N)", never dropped.

use std::fmt;

use super::dates::PortalTime;

/// A task's ID as the portal assigns it (positive, unique, increasing with creation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TaskId(pub u64);

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Task priority (`PRIORITY`): 0 low, 1 medium, 2 high.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Priority {
    /// `0` — low.
    Low,
    /// `1` — medium (the portal's default).
    Medium,
    /// `2` — high ("important").
    High,
    /// Any other value, kept as the portal sent it (may be empty).
    Unknown(String),
}

impl Priority {
    /// Parses the wire value (`"0"`, `0`, `"2"`, …). Anything else is [`Priority::Unknown`].
    pub fn from_wire(raw: &str) -> Self {
        match raw.trim() {
            "0" => Self::Low,
            "1" => Self::Medium,
            "2" => Self::High,
            other => Self::Unknown(other.to_string()),
        }
    }

    /// The numeric code used for sorting: low < medium < high < unknown.
    pub fn rank(&self) -> u8 {
        match self {
            Self::Low => 0,
            Self::Medium => 1,
            Self::High => 2,
            Self::Unknown(_) => 3,
        }
    }

    /// The wire code (`"0"`, `"1"`, `"2"` or the unknown raw value).
    pub fn code(&self) -> String {
        match self {
            Self::Low => "0".into(),
            Self::Medium => "1".into(),
            Self::High => "2".into(),
            Self::Unknown(raw) => raw.clone(),
        }
    }
}

/// The real status of a task (`REAL_STATUS`, 1–7).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RealStatus {
    /// `1` — new (legacy).
    New,
    /// `2` — pending (waiting for execution).
    Pending,
    /// `3` — in progress.
    InProgress,
    /// `4` — supposedly completed (awaiting control / pending review).
    SupposedlyCompleted,
    /// `5` — completed.
    Completed,
    /// `6` — deferred.
    Deferred,
    /// `7` — declined (legacy).
    Declined,
    /// Any other value, kept as the portal sent it (may be empty).
    Unknown(String),
}

impl RealStatus {
    /// Every known status, in code order.
    pub const KNOWN: [RealStatus; 7] = [
        Self::New,
        Self::Pending,
        Self::InProgress,
        Self::SupposedlyCompleted,
        Self::Completed,
        Self::Deferred,
        Self::Declined,
    ];

    /// Parses the wire value. Meta values (-1, -2, -3) are not real statuses and parse as
    /// [`RealStatus::Unknown`]; use [`MetaStatus::from_wire`] for them.
    pub fn from_wire(raw: &str) -> Self {
        match raw.trim() {
            "1" => Self::New,
            "2" => Self::Pending,
            "3" => Self::InProgress,
            "4" => Self::SupposedlyCompleted,
            "5" => Self::Completed,
            "6" => Self::Deferred,
            "7" => Self::Declined,
            other => Self::Unknown(other.to_string()),
        }
    }

    /// The numeric order used for sorting (1–7, unknown last).
    pub fn rank(&self) -> u8 {
        match self {
            Self::New => 1,
            Self::Pending => 2,
            Self::InProgress => 3,
            Self::SupposedlyCompleted => 4,
            Self::Completed => 5,
            Self::Deferred => 6,
            Self::Declined => 7,
            Self::Unknown(_) => 8,
        }
    }

    /// The wire code (`"1"`…`"7"` or the unknown raw value).
    pub fn code(&self) -> String {
        match self {
            Self::Unknown(raw) => raw.clone(),
            known => known.rank().to_string(),
        }
    }

    /// True for the statuses Bitrix24 counts as closed (completed, declined).
    pub fn is_closed(&self) -> bool {
        matches!(self, Self::Completed | Self::Declined)
    }
}

/// The meta status the portal puts into `STATUS` for the calling user at request time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MetaStatus {
    /// `-1` — overdue (deadline passed).
    Overdue,
    /// `-2` — not viewed yet by the caller ("unviewed", "new").
    Unviewed,
    /// `-3` — almost overdue (deadline within the next 24 h by default).
    AlmostOverdue,
}

impl MetaStatus {
    /// Every meta status.
    pub const ALL: [MetaStatus; 3] = [Self::Overdue, Self::AlmostOverdue, Self::Unviewed];

    /// Parses `-1`, `-2`, `-3`; anything else is not a meta status.
    pub fn from_wire(raw: &str) -> Option<Self> {
        match raw.trim() {
            "-1" => Some(Self::Overdue),
            "-2" => Some(Self::Unviewed),
            "-3" => Some(Self::AlmostOverdue),
            _ => None,
        }
    }

    /// The wire code (`-1`, `-2`, `-3`).
    pub fn code(self) -> i8 {
        match self {
            Self::Overdue => -1,
            Self::Unviewed => -2,
            Self::AlmostOverdue => -3,
        }
    }
}

/// One task of the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Task {
    /// `ID`.
    pub id: TaskId,
    /// `TITLE`, as text (never interpreted as HTML).
    pub title: String,
    /// `PRIORITY`.
    pub priority: Priority,
    /// `REAL_STATUS` (or `STATUS` when that carries a real status and `REAL_STATUS` is absent).
    pub status: RealStatus,
    /// The meta status from `STATUS`, if it carries one.
    pub meta: Option<MetaStatus>,
    /// `RESPONSIBLE_ID` (`responsibleId`): the user the task is assigned to, if the row
    /// had a usable one.
    pub responsible: Option<UserId>,
    /// `CREATED_BY` (`createdBy`): the task's creator, if the row had a usable one.
    pub created_by: Option<UserId>,
    /// `GROUP_ID` (`groupId`): the project; `"0"`, missing or garbage: none.
    pub group: Option<GroupId>,
    /// `DEADLINE` (`deadline`) as written (instant and the portal's offset).
    pub deadline: Option<PortalTime>,
    /// `CREATED_DATE` (`createdDate`).
    pub created: Option<PortalTime>,
    /// `CHANGED_DATE` (`changedDate`).
    pub changed: Option<PortalTime>,
    /// `CLOSED_DATE` (`closedDate`).
    pub closed: Option<PortalTime>,
    /// `TIME_ESTIMATE` (`timeEstimate`) in seconds; none when missing or unparseable.
    pub time_estimate: Option<u32>,
    /// `TIME_SPENT_IN_LOGS` (`timeSpentInLogs`) in seconds; null (nothing logged) is none.
    pub time_spent: Option<u32>,
}

/// The raw wire texts of the who-and-when fields of one row (issue 14), read by
/// [`Task::with_details`].
#[derive(Clone, Copy, Debug, Default)]
pub struct RawDetails<'a> {
    /// `CREATED_BY` / `createdBy`.
    pub created_by: Option<&'a str>,
    /// `GROUP_ID` / `groupId`.
    pub group: Option<&'a str>,
    /// `DEADLINE` / `deadline`.
    pub deadline: Option<&'a str>,
    /// `CREATED_DATE` / `createdDate`.
    pub created: Option<&'a str>,
    /// `CHANGED_DATE` / `changedDate`.
    pub changed: Option<&'a str>,
    /// `CLOSED_DATE` / `closedDate`.
    pub closed: Option<&'a str>,
    /// `TIME_ESTIMATE` / `timeEstimate`.
    pub time_estimate: Option<&'a str>,
    /// `TIME_SPENT_IN_LOGS` / `timeSpentInLogs`.
    pub time_spent: Option<&'a str>,
}

/// A positive integer from decimal text (`"12"`, `" 12 "`, `"12.0"`); `None` for zero,
/// empty, negative or garbage.
fn positive_id(raw: Option<&str>) -> Option<u64> {
    let s = raw?.trim();
    let s = s.strip_suffix(".0").unwrap_or(s);
    s.parse::<u64>().ok().filter(|&n| n > 0)
}

/// Seconds from decimal text (`"3600"`, `"3600.0"`); `None` for empty or garbage.
fn seconds(raw: Option<&str>) -> Option<u32> {
    let s = raw?.trim();
    let s = s.strip_suffix(".0").unwrap_or(s);
    s.parse::<u32>().ok()
}

/// A portal user's ID (positive).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UserId(pub u64);

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A workgroup's (project's) ID (positive; the portal's `GROUP_ID` `"0"` means "no project").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GroupId(pub u64);

impl fmt::Display for GroupId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Task {
    /// Builds a task from the raw wire strings of `STATUS` and `REAL_STATUS` (either may be
    /// missing). `STATUS` carries the meta status when negative, else the real status.
    pub fn from_status_fields(
        id: TaskId,
        title: String,
        priority: Priority,
        status: Option<&str>,
        real_status: Option<&str>,
    ) -> Self {
        let meta = status.and_then(MetaStatus::from_wire);
        let real = match (real_status, status) {
            (Some(real), _) => RealStatus::from_wire(real),
            (None, Some(status)) if meta.is_none() => RealStatus::from_wire(status),
            (None, _) => RealStatus::Unknown(String::new()),
        };
        Self {
            id,
            title,
            priority,
            status: real,
            meta,
            responsible: None,
            created_by: None,
            group: None,
            deadline: None,
            created: None,
            changed: None,
            closed: None,
            time_estimate: None,
            time_spent: None,
        }
    }

    /// The same task with its creator, project, dates and times read leniently from the
    /// row's texts: anything unparseable is none, never a panic.
    pub fn with_details(mut self, raw: RawDetails<'_>) -> Self {
        let date = |v: Option<&str>| v.and_then(PortalTime::parse);
        self.created_by = positive_id(raw.created_by).map(UserId);
        self.group = positive_id(raw.group).map(GroupId);
        self.deadline = date(raw.deadline);
        self.created = date(raw.created);
        self.changed = date(raw.changed);
        self.closed = date(raw.closed);
        self.time_estimate = seconds(raw.time_estimate);
        self.time_spent = seconds(raw.time_spent);
        self
    }

    /// The same task with its responsible user (`RESPONSIBLE_ID`; zero or missing: none).
    pub fn with_responsible(mut self, id: Option<u64>) -> Self {
        self.responsible = id.filter(|&id| id > 0).map(UserId);
        self
    }

    /// The path of the task's page in the portal, as the platform documents it
    /// (`docs/platform/task-links.md`): `/company/personal/user/<responsible>/tasks/task/view/<id>/`.
    /// `None` when the row named no responsible user (no page path is made up).
    pub fn view_path(&self) -> Option<String> {
        let user = self.responsible?;
        Some(format!(
            "/company/personal/user/{user}/tasks/task/view/{}/",
            self.id
        ))
    }
}

/// A task from wire codes (`PRIORITY`, `REAL_STATUS`, optional meta `STATUS`): the shared
/// builder of the unit, render and browser tests. Its responsible user is `100 + id`.
#[cfg(test)]
pub(crate) fn test_task(
    id: u64,
    title: &str,
    priority: &str,
    status: &str,
    meta: Option<&str>,
) -> Task {
    let mut task = Task::from_status_fields(
        TaskId(id),
        title.to_string(),
        Priority::from_wire(priority),
        None,
        Some(status),
    );
    task.meta = meta.and_then(MetaStatus::from_wire);
    task.with_responsible(Some(100 + id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn view_path_names_the_responsible_user() {
        let task = test_task(7, "t", "1", "2", None);
        assert_eq!(
            task.view_path().as_deref(),
            Some("/company/personal/user/107/tasks/task/view/7/")
        );
        for missing in [None, Some(0)] {
            let task = test_task(7, "t", "1", "2", None).with_responsible(missing);
            assert_eq!(task.view_path(), None);
        }
    }

    #[test]
    fn status_carries_meta_and_real_status_carries_real() {
        let t = Task::from_status_fields(
            TaskId(7),
            "x".into(),
            Priority::from_wire("2"),
            Some("-1"),
            Some("3"),
        );
        assert_eq!(t.meta, Some(MetaStatus::Overdue));
        assert_eq!(t.status, RealStatus::InProgress);
        assert_eq!(t.priority, Priority::High);
    }

    #[test]
    fn missing_real_status_falls_back_to_status_unless_meta() {
        let t =
            Task::from_status_fields(TaskId(1), String::new(), Priority::Medium, Some("5"), None);
        assert_eq!(t.status, RealStatus::Completed);
        assert_eq!(t.meta, None);
        let t =
            Task::from_status_fields(TaskId(1), String::new(), Priority::Medium, Some("-2"), None);
        assert_eq!(t.status, RealStatus::Unknown(String::new()));
        assert_eq!(t.meta, Some(MetaStatus::Unviewed));
    }

    #[test]
    fn details_are_read_leniently() {
        let t = test_task(1, "t", "1", "2", None).with_details(RawDetails {
            created_by: Some(" 12 "),
            group: Some("0"),
            deadline: Some("2025-10-24T19:00:00+03:00"),
            created: Some(""),
            changed: Some("garbage"),
            closed: None,
            time_estimate: Some("3600"),
            time_spent: Some("-5"),
        });
        assert_eq!(t.created_by, Some(UserId(12)));
        assert_eq!(t.group, None);
        assert_eq!(t.deadline.map(|d| d.offset_min()), Some(180));
        assert_eq!((t.created, t.changed, t.closed), (None, None, None));
        assert_eq!((t.time_estimate, t.time_spent), (Some(3600), None));
        let t = t.with_details(RawDetails {
            group: Some("7"),
            created_by: Some("x"),
            ..RawDetails::default()
        });
        assert_eq!((t.group, t.created_by), (Some(GroupId(7)), None));
    }

    #[test]
    fn unknown_values_are_kept() {
        assert_eq!(Priority::from_wire("9"), Priority::Unknown("9".into()));
        assert_eq!(RealStatus::from_wire("42").code(), "42");
        assert_eq!(RealStatus::from_wire(" 3 "), RealStatus::InProgress);
    }
}
