//! "New or changed since your last visit" (issue 15, feature `snapshot`): the rows of a
//! [`TaskTable`] marked against the snapshot shown on opening, for the counter that filters
//! them ([`Query::since_visit`](super::Query::since_visit)) and the mark in the table.

use super::TaskTable;
use crate::report::task::Task;

/// How a task differs from the snapshot shown on opening.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SinceMark {
    /// Not in the snapshot (created, or newly visible to the user).
    New,
    /// In the snapshot with another `CHANGED_DATE` (edited since).
    Changed,
}

impl TaskTable {
    /// Marks every row that is new or changed against `before` (the snapshot's tasks);
    /// until the next [`TaskTable::clear`]. Returns how many rows are marked.
    pub fn mark_since_visit(&mut self, before: &[Task]) -> usize {
        let mut marks = vec![Some(SinceMark::New); self.tasks.len()];
        for old in before {
            if let Some(&row) = self.by_id.get(&old.id.0) {
                let changed = self.tasks[row as usize].changed != old.changed;
                marks[row as usize] = changed.then_some(SinceMark::Changed);
            }
        }
        let count = marks.iter().flatten().count();
        self.since = Some(marks);
        self.revision += 1;
        count
    }

    /// The mark of `row`, if it is new or changed since the last visit.
    pub fn since_visit_mark(&self, row: u32) -> Option<SinceMark> {
        self.since.as_ref()?.get(row as usize).copied().flatten()
    }

    /// The tasks an export of the view works on: with `since_visit` (the counter's filter is
    /// on) only the new and changed ones, in table order, since that filter is not part of the
    /// saved view the Excel exporter reads; otherwise `None` (every task).
    pub fn since_visit_tasks(&self, since_visit: bool) -> Option<Vec<Task>> {
        let marks = self.since.as_ref().filter(|_| since_visit)?;
        Some(
            self.tasks
                .iter()
                .zip(marks)
                .filter(|(_, mark)| mark.is_some())
                .map(|(t, _)| t.clone())
                .collect(),
        )
    }

    /// How many rows are new or changed since the last visit; `None` before a snapshot was
    /// compared with a complete load (no counter is shown then).
    pub fn since_visit_count(&self) -> Option<usize> {
        Some(self.since.as_ref()?.iter().flatten().count())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::report::dates::PortalTime;
    use crate::report::query::Query;
    use crate::report::task::{Priority, TaskId};

    fn task(id: u64, changed: i64) -> Task {
        let mut t =
            Task::from_status_fields(TaskId(id), format!("t{id}"), Priority::Low, Some("2"), None);
        t.changed = PortalTime::new(changed, 180);
        t
    }

    fn ids(table: &TaskTable, rows: &[u32]) -> Vec<u64> {
        rows.iter().map(|&r| table.get(r).unwrap().id.0).collect()
    }

    #[test]
    fn new_and_changed_rows_are_marked_and_filtered() {
        let before = vec![task(1, 100), task(2, 100), task(3, 100)];
        // 1 gone, 2 edited, 3 untouched, 7 new.
        let now = vec![task(2, 200), task(3, 100), task(7, 150)];
        let mut table = TaskTable::from_tasks(now);
        assert_eq!(table.since_visit_count(), None, "nothing compared yet");
        let revision = table.revision();
        assert_eq!(table.mark_since_visit(&before), 2);
        assert!(table.revision() > revision, "the marks are a new revision");
        assert_eq!(table.since_visit_count(), Some(2));
        let mark = |id| table.since_visit_mark(table.row_of(TaskId(id)).unwrap());
        assert_eq!(mark(7), Some(SinceMark::New));
        assert_eq!(mark(2), Some(SinceMark::Changed));
        assert_eq!(mark(3), None);
        let q = Query {
            since_visit: true,
            ..Query::default()
        };
        assert!(q.is_filtered());
        assert_eq!(ids(&table, &table.apply(&q)), [7, 2]);
        let mut cleared = q.clone();
        cleared.clear_filters();
        assert!(!cleared.since_visit && !cleared.is_filtered());
        // Combined with the other filters (AND).
        let q = Query {
            search: "t2".into(),
            ..q
        };
        assert_eq!(ids(&table, &table.apply(&q)), [2]);
        // The Excel export gets the marked tasks only (the worker runs the saved view, which
        // has no such filter), in table order; without the filter, every task.
        let exported: Vec<u64> = table
            .since_visit_tasks(true)
            .unwrap()
            .iter()
            .map(|t| t.id.0)
            .collect();
        assert_eq!(exported, [2, 7]);
        assert_eq!(table.since_visit_tasks(false), None);
        // A full load afresh (Reload) forgets the marks: the filter then keeps nothing.
        table.clear();
        table.push_page(vec![task(2, 200)]);
        assert_eq!(table.since_visit_count(), None);
        assert!(table.apply(&q).is_empty());
        assert_eq!(table.since_visit_tasks(true), None);
    }
}
