//! The column model of the report (issue 14): every column of the table, the print view,
//! the CSV and the Excel export is defined once here — its stable key (saved views), the REST
//! fields it needs (the SELECT is their union), its default width and visibility, its filter
//! kind, its sort key and its text value.
//!
//! Pure: texts in the user's language come through [`CellLabels`], implemented by `i18n`
//! (report/ does not import the UI's message keys).

use std::borrow::Cow;

use super::dates::{hmm, PortalTime, Rel};
use super::query::SortDir;
use super::task::{GroupId, Priority, RealStatus, Task, UserId};

/// One column of the report; also the query's sort key ([`super::query::SortKey`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    /// `ID` (the default sort: the portal's creation order).
    #[default]
    Id,
    /// `TITLE`.
    Title,
    /// `RESPONSIBLE_ID`, shown by name.
    Responsible,
    /// `CREATED_BY`, shown by name.
    CreatedBy,
    /// `GROUP_ID`, shown by project name.
    Project,
    /// `DEADLINE`: date and relative text.
    Deadline,
    /// `CREATED_DATE`.
    Created,
    /// `CHANGED_DATE`.
    Changed,
    /// `CLOSED_DATE`.
    Closed,
    /// `PRIORITY`.
    Priority,
    /// `REAL_STATUS` / `STATUS`.
    Status,
    /// `TIME_ESTIMATE` as H:MM.
    TimeEstimate,
    /// `TIME_SPENT_IN_LOGS` as H:MM.
    TimeSpent,
}

/// How a column is filtered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FilterKind {
    /// Not filtered by column (the ID; the search box covers it).
    None,
    /// Free text (the search box).
    Text,
    /// A choice of people.
    Person,
    /// A choice of projects.
    Project,
    /// A date range or deadline bucket.
    Date,
    /// A choice of known values (priority, status).
    Choice,
    /// A duration range.
    Duration,
}

/// The typed value of one cell, before it becomes text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellValue<'a> {
    /// A task ID.
    Id(u64),
    /// Text as the portal sent it.
    Text(&'a str),
    /// A person (none: "—").
    Person(Option<UserId>),
    /// A project (none: "—").
    Project(Option<GroupId>),
    /// A date as the portal wrote it (none: "—").
    Date(Option<PortalTime>),
    /// A priority.
    Priority(&'a Priority),
    /// A status.
    Status(&'a RealStatus),
    /// A duration in seconds (none: "—").
    Duration(Option<u32>),
}

/// The texts a cell needs in the user's language; `i18n` implements it.
pub trait CellLabels {
    /// The column's header label.
    fn column(&self, column: Column) -> Cow<'_, str>;
    /// A person's name, or the fallback "User #12".
    fn person(&self, id: UserId) -> Cow<'_, str>;
    /// A project's name, or the fallback "Project #12".
    fn project(&self, id: GroupId) -> Cow<'_, str>;
    /// A date in the user's language, in the offset the portal wrote.
    fn date(&self, time: PortalTime) -> String;
    /// A deadline relative to now ("in 2 days", "3 days overdue").
    fn relative(&self, rel: Rel) -> String;
    /// A priority's label.
    fn priority(&self, priority: &Priority) -> Cow<'_, str>;
    /// A status's label.
    fn status(&self, status: &RealStatus) -> Cow<'_, str>;
}

/// The text of an empty cell.
pub const NONE: &str = "—";

impl Column {
    /// Every column, in the default order.
    pub const ALL: [Column; 13] = [
        Self::Id,
        Self::Title,
        Self::Responsible,
        Self::CreatedBy,
        Self::Project,
        Self::Deadline,
        Self::Created,
        Self::Changed,
        Self::Closed,
        Self::Priority,
        Self::Status,
        Self::TimeEstimate,
        Self::TimeSpent,
    ];

    /// The columns a new (or old saved) view shows, in order.
    pub const DEFAULT_VISIBLE: [Column; 6] = [
        Self::Id,
        Self::Title,
        Self::Responsible,
        Self::Deadline,
        Self::Priority,
        Self::Status,
    ];

    /// The stable key saved in views (never translated, never renamed).
    pub fn key(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::Title => "title",
            Self::Responsible => "responsible",
            Self::CreatedBy => "created_by",
            Self::Project => "project",
            Self::Deadline => "deadline",
            Self::Created => "created",
            Self::Changed => "changed",
            Self::Closed => "closed",
            Self::Priority => "priority",
            Self::Status => "status",
            Self::TimeEstimate => "time_estimate",
            Self::TimeSpent => "time_spent",
        }
    }

    /// The column saved under `key`; `None` for an unknown key (skipped when loading).
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.key() == key)
    }

    /// The `task.item.list` fields the column needs (`planner::SELECT` holds their union).
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            Self::Id => &["ID"],
            Self::Title => &["TITLE"],
            Self::Responsible => &["RESPONSIBLE_ID"],
            Self::CreatedBy => &["CREATED_BY"],
            Self::Project => &["GROUP_ID"],
            Self::Deadline => &["DEADLINE"],
            Self::Created => &["CREATED_DATE"],
            Self::Changed => &["CHANGED_DATE"],
            Self::Closed => &["CLOSED_DATE"],
            Self::Priority => &["PRIORITY"],
            Self::Status => &["STATUS", "REAL_STATUS"],
            Self::TimeEstimate => &["TIME_ESTIMATE"],
            Self::TimeSpent => &["TIME_SPENT_IN_LOGS"],
        }
    }

    /// The default width in CSS pixels.
    pub fn default_width(self) -> u16 {
        match self {
            // The default view (ID, Title, Responsible, Deadline, Priority, Status) sums to
            // 970 px: it fits the table card at 1280 px without a horizontal scrollbar. Status
            // is wide enough for a status and its meta status side by side ("Pending",
            // "Almost overdue"); where a language's pair is longer the status gives way.
            Self::Id => 80,
            Self::Title => 220,
            Self::Responsible | Self::CreatedBy | Self::Project => 150,
            Self::Deadline => 190,
            Self::Created | Self::Changed | Self::Closed => 150,
            Self::Priority => 120,
            Self::Status => 210,
            Self::TimeEstimate | Self::TimeSpent => 90,
        }
    }

    /// How the column is filtered.
    pub fn filter(self) -> FilterKind {
        match self {
            Self::Id => FilterKind::None,
            Self::Title => FilterKind::Text,
            Self::Responsible | Self::CreatedBy => FilterKind::Person,
            Self::Project => FilterKind::Project,
            Self::Deadline | Self::Created | Self::Changed | Self::Closed => FilterKind::Date,
            Self::Priority | Self::Status => FilterKind::Choice,
            Self::TimeEstimate | Self::TimeSpent => FilterKind::Duration,
        }
    }

    /// The direction a first click on this column sorts in: newest / most important / longest
    /// first for ID, priority, the dates of the past and the times; A→Z, workflow order and
    /// the nearest deadline first for the others.
    pub fn default_dir(self) -> SortDir {
        match self {
            Self::Id
            | Self::Priority
            | Self::Created
            | Self::Changed
            | Self::Closed
            | Self::TimeEstimate
            | Self::TimeSpent => SortDir::Desc,
            Self::Title
            | Self::Status
            | Self::Responsible
            | Self::CreatedBy
            | Self::Project
            | Self::Deadline => SortDir::Asc,
        }
    }

    /// True for the duration columns, summed in the footer and group headers.
    pub fn is_summed(self) -> bool {
        matches!(self, Self::TimeEstimate | Self::TimeSpent)
    }

    /// The typed value of this column for `task`.
    pub fn value(self, task: &Task) -> CellValue<'_> {
        match self {
            Self::Id => CellValue::Id(task.id.0),
            Self::Title => CellValue::Text(&task.title),
            Self::Responsible => CellValue::Person(task.responsible),
            Self::CreatedBy => CellValue::Person(task.created_by),
            Self::Project => CellValue::Project(task.group),
            Self::Deadline => CellValue::Date(task.deadline),
            Self::Created => CellValue::Date(task.created),
            Self::Changed => CellValue::Date(task.changed),
            Self::Closed => CellValue::Date(task.closed),
            Self::Priority => CellValue::Priority(&task.priority),
            Self::Status => CellValue::Status(&task.status),
            Self::TimeEstimate => CellValue::Duration(task.time_estimate),
            Self::TimeSpent => CellValue::Duration(task.time_spent),
        }
    }

    /// The cell's text for the CSV and the printout (no relative deadline: a file must not
    /// depend on when it was made).
    pub fn text(self, task: &Task, labels: &impl CellLabels) -> String {
        value_text(self.value(task), labels)
    }
}

/// The text of a typed cell value; empty values are [`NONE`].
pub fn value_text(value: CellValue<'_>, labels: &impl CellLabels) -> String {
    match value {
        CellValue::Id(id) => id.to_string(),
        CellValue::Text(text) => text.to_string(),
        CellValue::Person(Some(id)) => labels.person(id).into_owned(),
        CellValue::Project(Some(id)) => labels.project(id).into_owned(),
        CellValue::Date(Some(time)) => labels.date(time),
        CellValue::Priority(p) => labels.priority(p).into_owned(),
        CellValue::Status(s) => labels.status(s).into_owned(),
        CellValue::Duration(Some(secs)) => hmm(u64::from(secs)),
        CellValue::Person(None)
        | CellValue::Project(None)
        | CellValue::Date(None)
        | CellValue::Duration(None) => NONE.to_string(),
    }
}

/// The sum of a duration column over `tasks` (none counts as zero), in seconds.
pub fn total_seconds<'a>(column: Column, tasks: impl IntoIterator<Item = &'a Task>) -> u64 {
    tasks
        .into_iter()
        .map(|t| match column.value(t) {
            CellValue::Duration(Some(s)) => u64::from(s),
            _ => 0,
        })
        .sum()
}

/// The visible columns of a saved view, from their keys: unknown keys and repeats are
/// dropped; an empty or missing list is the default view.
pub fn from_keys<'a>(keys: impl IntoIterator<Item = &'a str>) -> Vec<Column> {
    let mut out: Vec<Column> = Vec::new();
    for column in keys.into_iter().filter_map(Column::from_key) {
        if !out.contains(&column) {
            out.push(column);
        }
    }
    if out.is_empty() {
        Column::DEFAULT_VISIBLE.to_vec()
    } else {
        out
    }
}

/// `columns` with `column` moved one place earlier (`up`) or later; unchanged at an end or
/// when the column is not shown.
pub fn moved(columns: &[Column], column: Column, up: bool) -> Vec<Column> {
    let mut out = columns.to_vec();
    if let Some(i) = out.iter().position(|&c| c == column) {
        let j = if up { i.checked_sub(1) } else { Some(i + 1) };
        if let Some(j) = j.filter(|&j| j < out.len()) {
            out.swap(i, j);
        }
    }
    out
}

/// `columns` with `column` shown (appended) or hidden; the last visible column stays.
pub fn toggled(columns: &[Column], column: Column) -> Vec<Column> {
    if columns.contains(&column) {
        if columns.len() == 1 {
            return columns.to_vec();
        }
        columns.iter().copied().filter(|&c| c != column).collect()
    } else {
        let mut out = columns.to_vec();
        out.push(column);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::planner::SELECT;
    use crate::report::task::{test_task, RawDetails};

    /// Labels that show which hook produced a text.
    struct Plain;
    impl CellLabels for Plain {
        fn column(&self, column: Column) -> Cow<'_, str> {
            column.key().into()
        }
        fn person(&self, id: UserId) -> Cow<'_, str> {
            format!("u{id}").into()
        }
        fn project(&self, id: GroupId) -> Cow<'_, str> {
            format!("p{id}").into()
        }
        fn date(&self, time: PortalTime) -> String {
            time.iso()
        }
        fn relative(&self, rel: Rel) -> String {
            format!("{rel:?}")
        }
        fn priority(&self, p: &Priority) -> Cow<'_, str> {
            p.code().into()
        }
        fn status(&self, s: &RealStatus) -> Cow<'_, str> {
            s.code().into()
        }
    }

    #[test]
    fn select_covers_every_column_and_keys_round_trip() {
        for column in Column::ALL {
            for field in column.fields() {
                assert!(SELECT.contains(field), "{column:?} needs {field}");
            }
            assert_eq!(Column::from_key(column.key()), Some(column));
            assert!(column.default_width() >= 60);
        }
        // And nothing is selected that no column shows.
        for field in SELECT {
            assert!(
                Column::ALL.iter().any(|c| c.fields().contains(&field)),
                "{field} belongs to no column"
            );
        }
    }

    #[test]
    fn texts_of_every_column_with_empty_values_as_a_dash() {
        let task = test_task(7, "Fix", "2", "3", None).with_details(RawDetails {
            created_by: Some("12"),
            group: Some("4"),
            deadline: Some("2025-10-24T19:00:00+03:00"),
            time_estimate: Some("5400"),
            ..RawDetails::default()
        });
        let texts: Vec<String> = Column::ALL.iter().map(|c| c.text(&task, &Plain)).collect();
        assert_eq!(
            texts,
            [
                "7",
                "Fix",
                "u107",
                "u12",
                "p4",
                "2025-10-24T19:00:00+03:00",
                NONE,
                NONE,
                NONE,
                "2",
                "3",
                "1:30",
                NONE
            ]
        );
        let empty = test_task(8, "", "1", "2", None).with_responsible(None);
        assert_eq!(Column::Responsible.text(&empty, &Plain), NONE);
        assert_eq!(Column::Project.text(&empty, &Plain), NONE);
        assert_eq!(total_seconds(Column::TimeEstimate, [&task, &empty]), 5400);
    }

    #[test]
    fn saved_keys_load_leniently_and_the_chooser_moves_columns() {
        assert_eq!(from_keys([]), Column::DEFAULT_VISIBLE);
        assert_eq!(from_keys(["bogus"]), Column::DEFAULT_VISIBLE);
        assert_eq!(
            from_keys(["deadline", "id", "deadline", "x", "time_spent"]),
            [Column::Deadline, Column::Id, Column::TimeSpent]
        );
        let cols = [Column::Id, Column::Title, Column::Status];
        assert_eq!(
            moved(&cols, Column::Title, true),
            [Column::Title, Column::Id, Column::Status]
        );
        assert_eq!(moved(&cols, Column::Id, true), cols);
        assert_eq!(moved(&cols, Column::Status, false), cols);
        assert_eq!(
            toggled(&cols, Column::Project),
            [Column::Id, Column::Title, Column::Status, Column::Project]
        );
        assert_eq!(toggled(&cols, Column::Title), [Column::Id, Column::Status]);
        assert_eq!(toggled(&[Column::Id], Column::Id), [Column::Id]);
    }
}
