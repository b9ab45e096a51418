//! [`ViewEdit`]: what the report's controls can change in the [`SavedView`], and how.

use crate::report::columns::{self, Column};
use crate::report::dates::{DateField, DatePreset};
use crate::report::query::{Preset, Query, SortKey};
use crate::report::summary::{Counter, GroupBy};
use crate::report::task::{GroupId, MetaStatus, Priority, RealStatus, UserId};
use crate::report::view::SavedView;

/// One user action on the view's controls.
#[derive(Clone, Debug, PartialEq)]
pub enum ViewEdit {
    /// New search text (debounced).
    Search(String),
    /// A preset was chosen (`None`: all tasks).
    Preset(Option<Preset>),
    /// A status was ticked or unticked in the status filter.
    ToggleStatus(RealStatus),
    /// A priority was ticked or unticked.
    TogglePriority(Priority),
    /// A meta state was ticked or unticked (`None`: tasks without a note).
    ToggleMeta(Option<MetaStatus>),
    /// A responsible person was ticked or unticked.
    ToggleResponsible(UserId),
    /// A creator was ticked or unticked.
    ToggleCreator(UserId),
    /// A project was ticked or unticked (`None`: tasks without a project).
    ToggleProject(Option<GroupId>),
    /// A date column's range was chosen (`None`: any date).
    Date(DateField, Option<DatePreset>),
    /// Clear search, filters and preset.
    ClearFilters,
    /// A column header was clicked.
    Sort(SortKey),
    /// A counter was clicked: show its tasks, or clear when it is already active.
    Counter(Counter),
    /// A pivot cell (status and/or priority) was clicked: show its tasks, or clear when it is
    /// already active.
    Pivot(Option<RealStatus>, Option<Priority>),
    /// The grouping was changed.
    Group(GroupBy),
    /// A count of the responsible × status pivot was clicked: show its tasks, or clear when
    /// it is already active.
    Person(PersonSelection),
    /// A column was shown or hidden in the column chooser (the last one stays).
    ToggleColumn(Column),
    /// A shown column was moved one place earlier (`true`) or later.
    MoveColumn(Column, bool),
    /// A column was resized to this width in CSS pixels.
    ResizeColumn(Column, u16),
    /// Back to the default columns and widths.
    ResetColumns,
}

/// A count of the responsible × status pivot: one person's tasks, of one status or overdue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonSelection {
    /// The responsible person.
    pub person: UserId,
    /// Only this status (`None`: every status).
    pub status: Option<RealStatus>,
    /// Only overdue tasks (the "Overdue" preset).
    pub overdue: bool,
}

/// The query a person pivot click gives (the sort is kept).
pub fn person_query(query: &Query, sel: &PersonSelection) -> Query {
    let mut q = query.clone();
    q.clear_filters();
    q.responsible.insert(sel.person);
    q.statuses.extend(sel.status.clone());
    if sel.overdue {
        q.preset = Some(Preset::Overdue);
    }
    q
}

/// The person pivot selection the query shows exactly, if any.
pub fn active_person(query: &Query) -> Option<PersonSelection> {
    if query.responsible.len() != 1 || query.statuses.len() > 1 {
        return None;
    }
    let sel = PersonSelection {
        person: *query.responsible.first()?,
        status: query.statuses.first().cloned(),
        overdue: query.preset == Some(Preset::Overdue),
    };
    (person_query(query, &sel) == *query).then_some(sel)
}

/// The query a counter click gives (the sort is kept).
pub fn counter_query(query: &Query, counter: Counter) -> Query {
    let mut q = query.clone();
    counter.apply_to(&mut q);
    q
}

/// The query a pivot click gives: only that status and/or priority (the sort is kept).
pub fn pivot_query(query: &Query, status: Option<RealStatus>, priority: Option<Priority>) -> Query {
    let mut q = query.clone();
    q.clear_filters();
    q.statuses.extend(status);
    q.priorities.extend(priority);
    q
}

/// The counter whose tasks the query shows exactly, if any.
pub fn active_counter(query: &Query) -> Option<Counter> {
    #[cfg(feature = "snapshot")]
    if query.since_visit && counter_query(query, Counter::SinceVisit) == *query {
        return Some(Counter::SinceVisit);
    }
    Counter::ALL
        .into_iter()
        .find(|&c| counter_query(query, c) == *query)
}

/// The pivot selection the query shows exactly, if any (a status and/or a priority; an
/// unfiltered query selects nothing).
pub fn active_pivot(query: &Query) -> Option<(Option<RealStatus>, Option<Priority>)> {
    if !query.is_filtered() || query.statuses.len() > 1 || query.priorities.len() > 1 {
        return None;
    }
    let status = query.statuses.first().cloned();
    let priority = query.priorities.first().cloned();
    (pivot_query(query, status.clone(), priority.clone()) == *query).then_some((status, priority))
}

impl ViewEdit {
    /// Applies the edit to `view`.
    pub fn apply(self, view: &mut SavedView) {
        let q = &mut view.query;
        match self {
            Self::Search(text) => q.search = text,
            Self::Preset(preset) => q.preset = preset,
            Self::ToggleStatus(s) => q.statuses.toggle(s),
            Self::TogglePriority(p) => q.priorities.toggle(p),
            Self::ToggleMeta(m) => q.meta.toggle(m),
            Self::ToggleResponsible(u) => q.responsible.toggle(u),
            Self::ToggleCreator(u) => q.creators.toggle(u),
            Self::ToggleProject(g) => q.projects.toggle(g),
            Self::Date(field, preset) => q.dates.set(field, preset),
            Self::ClearFilters => q.clear_filters(),
            Self::Sort(key) => q.sort_by(key),
            Self::Counter(c) => {
                let next = counter_query(q, c);
                if next == *q {
                    q.clear_filters();
                } else {
                    *q = next;
                }
            }
            Self::Pivot(status, priority) => {
                let next = pivot_query(q, status, priority);
                if next == *q {
                    q.clear_filters();
                } else {
                    *q = next;
                }
            }
            Self::Group(group) => view.group = group,
            Self::Person(sel) => {
                let next = person_query(q, &sel);
                if next == *q {
                    q.clear_filters();
                } else {
                    *q = next;
                }
            }
            Self::ToggleColumn(c) => view.columns = columns::toggled(&view.columns, c),
            Self::MoveColumn(c, up) => view.columns = columns::moved(&view.columns, c, up),
            Self::ResizeColumn(c, width) => view.set_width(c, width),
            Self::ResetColumns => {
                view.columns = Column::DEFAULT_VISIBLE.to_vec();
                view.widths.clear();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::query::SortDir;

    #[test]
    fn counters_and_pivot_toggle() {
        let mut v = SavedView::default();
        assert_eq!(active_counter(&v.query), Some(Counter::Total));
        ViewEdit::Counter(Counter::Overdue).apply(&mut v);
        assert_eq!(v.query.preset, Some(Preset::Overdue));
        assert_eq!(active_counter(&v.query), Some(Counter::Overdue));
        ViewEdit::Counter(Counter::Overdue).apply(&mut v);
        assert_eq!(v.query, Query::default());
        ViewEdit::Pivot(Some(RealStatus::InProgress), Some(Priority::High)).apply(&mut v);
        assert_eq!(
            active_pivot(&v.query),
            Some((Some(RealStatus::InProgress), Some(Priority::High)))
        );
        assert_eq!(active_counter(&v.query), None);
        ViewEdit::Pivot(Some(RealStatus::InProgress), Some(Priority::High)).apply(&mut v);
        assert!(!v.query.is_filtered());
        assert_eq!(active_pivot(&v.query), None);
    }

    #[cfg(feature = "snapshot")]
    #[test]
    fn the_since_visit_counter_filters_and_toggles_like_the_others() {
        let mut v = SavedView::default();
        v.query.search = "x".into();
        ViewEdit::Counter(Counter::SinceVisit).apply(&mut v);
        assert!(v.query.since_visit && v.query.search.is_empty());
        assert_eq!(active_counter(&v.query), Some(Counter::SinceVisit));
        ViewEdit::Counter(Counter::Overdue).apply(&mut v);
        assert!(!v.query.since_visit);
        assert_eq!(active_counter(&v.query), Some(Counter::Overdue));
        ViewEdit::Counter(Counter::SinceVisit).apply(&mut v);
        ViewEdit::Counter(Counter::SinceVisit).apply(&mut v);
        assert_eq!(v.query, Query::default());
        assert_eq!(active_counter(&v.query), Some(Counter::Total));
    }

    #[test]
    fn person_pivot_clicks_filter_and_toggle() {
        let mut v = SavedView::default();
        let overdue = PersonSelection {
            person: UserId(7),
            status: None,
            overdue: true,
        };
        ViewEdit::Person(overdue.clone()).apply(&mut v);
        assert_eq!(v.query.responsible, [UserId(7)].into());
        assert_eq!(v.query.preset, Some(Preset::Overdue));
        assert_eq!(active_person(&v.query), Some(overdue.clone()));
        let in_progress = PersonSelection {
            person: UserId(7),
            status: Some(RealStatus::InProgress),
            overdue: false,
        };
        ViewEdit::Person(in_progress.clone()).apply(&mut v);
        assert_eq!(v.query.preset, None);
        assert_eq!(v.query.statuses, [RealStatus::InProgress].into());
        assert_eq!(active_person(&v.query), Some(in_progress.clone()));
        ViewEdit::Person(in_progress).apply(&mut v);
        assert!(!v.query.is_filtered());
        assert_eq!(active_person(&v.query), None);
        // Two people selected: no single pivot count is active.
        v.query.responsible = [UserId(1), UserId(2)].into();
        assert_eq!(active_person(&v.query), None);
    }

    #[test]
    fn toggles_sort_and_group() {
        let mut v = SavedView::default();
        ViewEdit::ToggleMeta(None).apply(&mut v);
        ViewEdit::ToggleStatus(RealStatus::Completed).apply(&mut v);
        assert!(v.query.meta.contains(&None));
        ViewEdit::ToggleMeta(None).apply(&mut v);
        assert!(v.query.meta.is_empty());
        ViewEdit::Sort(SortKey::Id).apply(&mut v);
        assert_eq!(v.query.dir, SortDir::Asc);
        ViewEdit::Group(GroupBy::Status).apply(&mut v);
        ViewEdit::ClearFilters.apply(&mut v);
        assert!(!v.query.is_filtered());
        assert_eq!(v.group, GroupBy::Status);
        assert_eq!(v.query.dir, SortDir::Asc);
    }

    #[test]
    fn the_column_chooser_and_resizing_edit_the_view() {
        let mut v = SavedView::default();
        ViewEdit::ToggleColumn(Column::TimeSpent).apply(&mut v);
        ViewEdit::ToggleColumn(Column::Priority).apply(&mut v);
        ViewEdit::MoveColumn(Column::Deadline, true).apply(&mut v);
        ViewEdit::ResizeColumn(Column::Title, 500).apply(&mut v);
        assert_eq!(
            v.columns,
            [
                Column::Id,
                Column::Title,
                Column::Deadline,
                Column::Responsible,
                Column::Status,
                Column::TimeSpent
            ]
        );
        assert_eq!(v.width(Column::Title), 500);
        // Kept across a save and a reopen.
        assert_eq!(SavedView::decode(&v.encode()), v);
        ViewEdit::ResetColumns.apply(&mut v);
        assert_eq!(v, SavedView::default());
    }
}
