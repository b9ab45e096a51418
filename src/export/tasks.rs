//! Today's table fed to the Excel description: the columns the CSV export has (ID, Title,
//! Priority, Status, Note — `src/report/csv.rs`), the groups as on screen, and the status ×
//! priority pivot as a second sheet. Labels and headers in the user's language.

use std::borrow::Cow;

use crate::components::labels;
use crate::export::spec::{Body, Cell, ExportColumn, ExportGroup, Kind, Workbook};
use crate::i18n::{self, Label, Lang, Msg};
use crate::report::query::TaskTable;
use crate::report::summary::{GroupKey, Pivot};
use crate::report::task::Task;

/// Today's columns over `table`: ID (number, links), Title (text, links), Priority,
/// Status, Note (labels in `lang`).
pub fn columns<'a>(table: &'a TaskTable, lang: Lang) -> Vec<ExportColumn<'a>> {
    let task_cell = move |r: u32, read: fn(&Task, Lang) -> Cow<'static, str>| -> Cell<'a> {
        table
            .get(r)
            .map_or(Cell::Empty, |t| Cell::Text(read(t, lang)))
    };
    let head = |key| Cow::Borrowed(i18n::t(lang, key));
    vec![
        ExportColumn {
            header: head(Msg::ColId),
            kind: Kind::Number,
            link: true,
            sum: false,
            cell: Box::new(move |r| {
                table.get(r).map_or(Cell::Empty, |t| {
                    Cell::Int(i64::try_from(t.id.0).unwrap_or(i64::MAX))
                })
            }),
        },
        ExportColumn {
            header: head(Msg::ColTitle),
            kind: Kind::Text,
            link: true,
            sum: false,
            cell: Box::new(move |r| {
                table
                    .get(r)
                    .map_or(Cell::Empty, |t| Cell::Text(Cow::Borrowed(&t.title)))
            }),
        },
        ExportColumn {
            header: head(Msg::ColPriority),
            kind: Kind::Text,
            link: false,
            sum: false,
            cell: Box::new(move |r| task_cell(r, |t, l| i18n::priority_label(l, &t.priority))),
        },
        ExportColumn {
            header: head(Msg::ColStatus),
            kind: Kind::Text,
            link: false,
            sum: false,
            cell: Box::new(move |r| task_cell(r, |t, l| i18n::status_label(l, &t.status))),
        },
        ExportColumn {
            header: head(Msg::ColMeta),
            kind: Kind::Text,
            link: false,
            sum: false,
            cell: Box::new(move |r| {
                table.get(r).and_then(|t| t.meta).map_or(Cell::Empty, |m| {
                    Cell::Text(Cow::Borrowed(i18n::meta_label(lang, m)))
                })
            }),
        },
    ]
}

/// The whole description: the task sheet (`rows`, or `groups` (key, rows) as on screen;
/// none or one "all" group: one list) and the pivot sheet, as JSON text for the exporter.
pub fn workbook(
    table: &TaskTable,
    rows: &[u32],
    groups: &[(&GroupKey, &[u32])],
    pivot: &Pivot,
    portal_url: Option<&str>,
    lang: Lang,
) -> String {
    let columns = columns(table, lang);
    let link = |r: u32| table.get(r).and_then(|t| labels::task_url(portal_url, t));
    let total = i18n::t(lang, Msg::PivotTotal);
    let mut book = Workbook::new();
    let grouped = !(groups.is_empty() || matches!(groups, [(GroupKey::All, _)]));
    let export_groups: Vec<ExportGroup<'_>> = if grouped {
        groups
            .iter()
            .map(|&(key, rows)| ExportGroup {
                label: Cow::Owned(format!(
                    "{} ({})",
                    key.label(lang),
                    i18n::format_number(lang, rows.len() as u64)
                )),
                rows,
            })
            .collect()
    } else {
        Vec::new()
    };
    let body = if grouped {
        Body::Grouped(&export_groups)
    } else {
        Body::Plain(rows)
    };
    let name = i18n::t(lang, Msg::TasksTable);
    book.task_sheet(name, &columns, body, &link, total);
    pivot_sheet(&mut book, pivot, lang);
    book.finish()
}

/// The status × priority pivot as on screen: a row per status, a column per priority,
/// totals last (counts as numbers).
pub fn pivot_sheet(book: &mut Workbook, pivot: &Pivot, lang: Lang) {
    let total = i18n::t(lang, Msg::PivotTotal);
    let priorities: Vec<Cow<'static, str>> =
        pivot.priorities.iter().map(|p| p.label(lang)).collect();
    let mut heads = vec![(i18n::t(lang, Msg::ColStatus), Kind::Text, false)];
    heads.extend(priorities.iter().map(|p| (p.as_ref(), Kind::Number, false)));
    heads.push((total, Kind::Number, false));
    book.sheet(i18n::t(lang, Msg::PivotTitle), &heads, false);
    let count = |n: usize| Cell::Int(i64::try_from(n).unwrap_or(i64::MAX));
    for (i, status) in pivot.statuses.iter().enumerate() {
        let counts = pivot.cells.get(i).map(Vec::as_slice).unwrap_or(&[]);
        let mut row = vec![Cell::Text(status.label(lang))];
        row.extend((0..pivot.priorities.len()).map(|j| count(counts.get(j).copied().unwrap_or(0))));
        row.push(count(pivot.row_totals.get(i).copied().unwrap_or(0)));
        book.row(None, &row, None);
    }
    let mut foot = vec![Cell::Text(Cow::Borrowed(total))];
    foot.extend(pivot.col_totals.iter().map(|&n| count(n)));
    foot.push(count(pivot.total));
    book.row(Some("s"), &foot, None);
}
