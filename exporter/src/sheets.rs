//! The workbook of the current view, built in the worker from the app's request
//! (`task_report::export::request`): the same query, grouping and pivot the screen runs
//! (`task_report::report`), cells typed by the column model (`report::columns`), texts in
//! the user's language (`task_report::i18n`).
//!
//! Sheet 1 — the tasks: the visible columns in their order, the rows the view's filters
//! leave in its sort order; grouped views have a header row per group ("In progress (12)")
//! and, when a visible column is a duration, a subtotal row after each group. IDs are
//! numbers, dates real dates in the portal's offset, durations time values, statuses and
//! priorities their labels, people and projects their names; the ID and title cells link to
//! the task in the portal.
//! Sheet 2 — the status × priority pivot over all loaded tasks, as on screen.
//! Sheet 3 — the responsible × status pivot (with the overdue column), as on screen.

use std::borrow::Cow;
use std::rc::Rc;

use task_report::components::labels;
use task_report::export::request::Request;
use task_report::i18n::{self, Label, Lang, Msg, ReportLabels};
use task_report::report::columns::{self, CellLabels, CellValue, Column};
use task_report::report::directory::Directory;
use task_report::report::query::TaskTable;
use task_report::report::summary::{self, GroupBy, GroupContext, PersonPivot, PersonRow, Pivot};
use task_report::report::view::SavedView;

use crate::spec::{self, Cell, Kind, Row, RowKind, Sheet, Spec};

/// The visible columns of `view`, in order, as the table shows them (the default columns if
/// a view somehow carries none).
pub fn visible_columns(view: &SavedView) -> Vec<Column> {
    if view.columns.is_empty() {
        Column::DEFAULT_VISIBLE.to_vec()
    } else {
        view.columns.clone()
    }
}

/// How a column's cells are typed in the workbook.
pub fn kind(column: Column) -> Kind {
    match column {
        Column::Id => Kind::Number,
        Column::Deadline | Column::Created | Column::Changed | Column::Closed => Kind::Date,
        Column::TimeEstimate | Column::TimeSpent => Kind::Duration,
        Column::Title
        | Column::Responsible
        | Column::CreatedBy
        | Column::Project
        | Column::Priority
        | Column::Status => Kind::Text,
    }
}

/// The typed cell of `value`.
pub fn cell(value: CellValue<'_>, labels: &impl CellLabels) -> Cell {
    match value {
        CellValue::Id(id) => Cell::Number(id as f64),
        CellValue::Text(text) => Cell::Text(text.to_string()),
        CellValue::Person(Some(id)) => Cell::Text(labels.person(id).into_owned()),
        CellValue::Project(Some(id)) => Cell::Text(labels.project(id).into_owned()),
        CellValue::Date(Some(time)) => {
            Cell::Number((time.unix() + i64::from(time.offset_min()) * 60) as f64)
        }
        CellValue::Priority(p) => Cell::Text(labels.priority(p).into_owned()),
        CellValue::Status(s) => Cell::Text(labels.status(s).into_owned()),
        CellValue::Duration(Some(secs)) => Cell::Number(f64::from(secs)),
        CellValue::Person(None)
        | CellValue::Project(None)
        | CellValue::Date(None)
        | CellValue::Duration(None) => Cell::Empty,
    }
}

/// The workbook of `request` at unix second `now` (the view's relative dates) and its file
/// name with `today` (`YYYY-MM-DD`).
pub fn workbook(request: Request, now: i64, today: &str) -> (Spec<'static>, String) {
    let Request {
        lang,
        portal_url,
        view,
        directory,
        tasks,
    } = request;
    let name = file_name(portal_url.as_deref(), today);
    let table = TaskTable::from_tasks(tasks);
    let rows = table.apply_at(&view.query, now);
    let all: Vec<u32> = (0..u32::try_from(table.len()).unwrap_or(u32::MAX)).collect();
    let labels = ReportLabels {
        lang,
        directory: &directory,
    };
    let pivot = pivot_sheet(&summary::pivot(&table, &all), lang);
    let people = person_pivot_sheet(&summary::person_pivot(&table, &all, &directory), &labels);
    let context = Context {
        columns: visible_columns(&view),
        table,
        lang,
        now,
        directory,
        portal_url,
    };
    let tasks = task_sheet(context, rows, view.group);
    (
        Spec {
            sheets: vec![tasks, pivot, people],
        },
        name,
    )
}

/// What every task row needs.
struct Context {
    table: TaskTable,
    columns: Vec<Column>,
    lang: Lang,
    now: i64,
    directory: Directory,
    portal_url: Option<String>,
}

impl Context {
    fn labels(&self) -> ReportLabels<'_> {
        ReportLabels {
            lang: self.lang,
            directory: &self.directory,
        }
    }

    /// The row of the task at `row`.
    fn task_row(&self, row: u32) -> Option<Row> {
        let task = self.table.get(row)?;
        let cells = self
            .columns
            .iter()
            .map(|c| cell(c.value(task), &self.labels()))
            .collect();
        Some(Row {
            kind: RowKind::Task,
            cells,
            link: labels::task_url(self.portal_url.as_deref(), task),
        })
    }

    /// The subtotal row of a group: "Total" first, then the sum of each duration column.
    fn subtotal(&self, rows: &[u32]) -> Row {
        let mut cells: Vec<Cell> = self
            .columns
            .iter()
            .map(|&c| {
                if !c.is_summed() {
                    return Cell::Empty;
                }
                let tasks = rows.iter().filter_map(|&r| self.table.get(r));
                Cell::Number(columns::total_seconds(c, tasks) as f64)
            })
            .collect();
        if let Some(first @ Cell::Empty) = cells.first_mut() {
            *first = Cell::Text(i18n::t(self.lang, Msg::PivotTotal).to_string());
        }
        Row::new(RowKind::Subtotal, cells)
    }
}

/// The task sheet: rows produced one by one as the writer asks for them.
fn task_sheet(context: Context, rows: Vec<u32>, by: GroupBy) -> Sheet<'static> {
    let lang = context.lang;
    let header = context
        .columns
        .iter()
        .map(|&c| spec::Column {
            header: i18n::column_label(lang, c).to_string(),
            kind: kind(c),
            link: matches!(c, Column::Id | Column::Title),
        })
        .collect();
    let summed = context.columns.iter().any(|c| c.is_summed());
    // The plain view is one part without a header; a grouped view one part per group.
    let parts: Vec<(Option<String>, Vec<u32>)> = match by {
        GroupBy::None => vec![(None, rows)],
        by => {
            let groups = summary::group_in(
                &context.table,
                &rows,
                by,
                GroupContext {
                    directory: &context.directory,
                    now: context.now,
                },
            );
            let labels = context.labels();
            groups
                .into_iter()
                .map(|g| {
                    let n = i18n::format_number(lang, g.rows.len() as u64);
                    let label = i18n::group_label(&labels, &g.key);
                    (Some(format!("{label} ({n})")), g.rows)
                })
                .collect()
        }
    };
    let row_count = parts
        .iter()
        .map(|(label, rows)| rows.len() + label.as_ref().map_or(0, |_| 1 + usize::from(summed)))
        .sum();
    let context = Rc::new(context);
    let rows = parts.into_iter().flat_map(move |(label, rows)| {
        let foot = (label.is_some() && summed).then(|| context.subtotal(&rows));
        let head = label.map(|l| Row::new(RowKind::Group, vec![Cell::Text(l)]));
        let context = context.clone();
        head.into_iter()
            .chain(rows.into_iter().filter_map(move |r| context.task_row(r)))
            .chain(foot)
    });
    Sheet {
        name: i18n::t(lang, Msg::TasksTable).to_string(),
        columns: header,
        row_count,
        rows: Box::new(rows),
        filter: true,
    }
}

/// The status × priority pivot as on screen: a row per status, a column per priority,
/// totals last (counts as numbers).
pub fn pivot_sheet(pivot: &Pivot, lang: Lang) -> Sheet<'static> {
    let total = i18n::t(lang, Msg::PivotTotal);
    let column = |header: Cow<'_, str>, kind| spec::Column {
        header: header.into_owned(),
        kind,
        link: false,
    };
    let mut columns = vec![column(i18n::t(lang, Msg::ColStatus).into(), Kind::Text)];
    columns.extend(
        pivot
            .priorities
            .iter()
            .map(|p| column(p.label(lang), Kind::Number)),
    );
    columns.push(column(total.into(), Kind::Number));
    let count = |n: usize| Cell::Number(n as f64);
    let mut rows: Vec<Row> = pivot
        .statuses
        .iter()
        .zip(&pivot.cells)
        .zip(&pivot.row_totals)
        .map(|((status, counts), &row_total)| {
            let mut cells = vec![Cell::Text(status.label(lang).into_owned())];
            cells.extend(counts.iter().map(|&n| count(n)));
            cells.push(count(row_total));
            Row::new(RowKind::Task, cells)
        })
        .collect();
    let mut foot = vec![Cell::Text(total.to_string())];
    foot.extend(pivot.col_totals.iter().map(|&n| count(n)));
    foot.push(count(pivot.total));
    rows.push(Row::new(RowKind::Subtotal, foot));
    Sheet::from_rows(i18n::t(lang, Msg::PivotTitle), columns, rows, false)
}

/// The responsible × status pivot as on screen: a row per person (most overdue first), the
/// "Other" row, the totals row; overdue and total first, then a column per status.
pub fn person_pivot_sheet(pivot: &PersonPivot, labels: &ReportLabels<'_>) -> Sheet<'static> {
    let lang = labels.lang;
    let total = i18n::t(lang, Msg::PivotTotal);
    let column = |header: Cow<'_, str>, kind| spec::Column {
        header: header.into_owned(),
        kind,
        link: false,
    };
    let mut columns = vec![
        column(i18n::t(lang, Msg::ColResponsible).into(), Kind::Text),
        column(i18n::t(lang, Msg::BucketOverdue).into(), Kind::Number),
        column(total.into(), Kind::Number),
    ];
    columns.extend(
        pivot
            .statuses
            .iter()
            .map(|s| column(s.label(lang), Kind::Number)),
    );
    let count = |n: usize| Cell::Number(n as f64);
    let row = |r: &PersonRow, name: String| {
        let mut cells = vec![Cell::Text(name), count(r.overdue), count(r.total)];
        cells.extend(r.cells.iter().map(|&n| count(n)));
        Row::new(RowKind::Task, cells)
    };
    let mut rows: Vec<Row> = pivot
        .rows
        .iter()
        .map(|r| {
            let name = match r.person {
                Some(id) => labels.person(id).into_owned(),
                None => i18n::t(lang, Msg::NoPerson).to_string(),
            };
            row(r, name)
        })
        .collect();
    if let Some((other, people)) = &pivot.other {
        let n = i18n::format_number(lang, *people as u64);
        rows.push(row(
            other,
            format!("{} ({n})", i18n::t(lang, Msg::SummaryOther)),
        ));
    }
    let mut foot = vec![
        Cell::Text(total.to_string()),
        count(pivot.overdue),
        count(pivot.total),
    ];
    foot.extend(pivot.col_totals.iter().map(|&n| count(n)));
    rows.push(Row::new(RowKind::Subtotal, foot));
    Sheet::from_rows(i18n::t(lang, Msg::PersonPivotTitle), columns, rows, false)
}

/// The file name `tasks-<portal>-<YYYY-MM-DD>.xlsx`: the portal's host from its URL (only
/// letters, digits, `.` and `-` kept, no port), `portal` when it is unknown.
pub fn file_name(portal_url: Option<&str>, date: &str) -> String {
    let host = portal_url
        .map(|u| u.split("://").last().unwrap_or(u))
        .map(|u| u.split(['/', '?', '#', ':']).next().unwrap_or(""))
        .map(|h| {
            h.chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
                .collect::<String>()
        })
        .filter(|h| !h.is_empty());
    let date: String = date
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '-')
        .collect();
    format!("tasks-{}-{date}.xlsx", host.as_deref().unwrap_or("portal"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use task_report::report::task::{Priority, RawDetails, Task, TaskId};

    use super::*;

    fn task(id: u64, priority: &str, spent: Option<&str>) -> Task {
        Task::from_status_fields(
            TaskId(id),
            format!("t{id}"),
            Priority::from_wire(priority),
            None,
            Some("3"),
        )
        .with_responsible(Some(1))
        .with_details(RawDetails {
            time_spent: spent,
            ..RawDetails::default()
        })
    }

    #[test]
    fn groups_get_a_header_and_a_subtotal_of_the_duration_columns() {
        let table = TaskTable::from_tasks(vec![
            task(1, "2", Some("3600")),
            task(2, "1", Some("60")),
            task(3, "2", None),
        ]);
        let rows = vec![0, 1, 2];
        let context = Context {
            table,
            columns: vec![Column::Id, Column::TimeSpent],
            lang: Lang::En,
            now: 0,
            directory: Directory::new(),
            portal_url: None,
        };
        let sheet = task_sheet(context, rows, GroupBy::Priority);
        assert_eq!(sheet.row_count, 7);
        let rows: Vec<Row> = sheet.rows.collect();
        let kinds: Vec<RowKind> = rows.iter().map(|r| r.kind).collect();
        use RowKind::{Group as G, Subtotal as S, Task as T};
        assert_eq!(kinds, [G, T, T, S, G, T, S]);
        assert_eq!(rows[0].cells, [Cell::Text("High (2)".into())]);
        assert_eq!(
            rows[3].cells,
            [Cell::Text("Total".into()), Cell::Number(3600.0)]
        );
        assert_eq!(rows[2].cells, [Cell::Number(3.0), Cell::Empty]);
        assert_eq!(rows[5].cells, [Cell::Number(2.0), Cell::Number(60.0)]);
        // Without a portal URL nothing links.
        assert!(rows.iter().all(|r| r.link.is_none()));
    }

    #[test]
    fn file_names_name_the_portal_host_and_the_date() {
        let date = "2026-12-05";
        assert_eq!(
            file_name(Some("https://acme.bitrix24.com"), date),
            "tasks-acme.bitrix24.com-2026-12-05.xlsx"
        );
        assert_eq!(
            file_name(Some("http://127.0.0.1:8123/x"), date),
            "tasks-127.0.0.1-2026-12-05.xlsx"
        );
        assert_eq!(file_name(None, date), "tasks-portal-2026-12-05.xlsx");
        assert_eq!(file_name(Some("https://"), "../x"), "tasks-portal-.xlsx");
    }
}
