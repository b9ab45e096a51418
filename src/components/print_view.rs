//! `print_view`: the current view as a plain table for printing — the visible columns in
//! their order, texts from the column model (at most [`PRINT_LIMIT`] rows, with a note when
//! there are more). Rendered only while printing (view helper).

use yew::prelude::*;

use crate::components::labels;
use crate::i18n::{self, Msg, ReportLabels};
use crate::report::columns::{CellLabels, Column};
use crate::report::query::TaskTable;

/// Most rows printed.
pub const PRINT_LIMIT: usize = 5_000;

/// The printed text of a cell: the column's text; an empty title reads "(no title)"; the
/// status carries its meta status ("In progress · Overdue").
fn print_text(column: Column, task: &crate::report::task::Task, labels: &ReportLabels) -> String {
    let lang = labels.lang;
    match column {
        Column::Title if task.title.trim().is_empty() => i18n::t(lang, Msg::NoTitle).to_string(),
        Column::Status => match task.meta {
            Some(meta) => format!(
                "{} · {}",
                column.text(task, labels),
                i18n::meta_label(lang, meta)
            ),
            None => column.text(task, labels),
        },
        _ => column.text(task, labels),
    }
}

/// A print-only table of `rows` (the current view, in order) of `table` with `columns`.
pub fn print_view(
    table: &TaskTable,
    rows: &[u32],
    columns: &[Column],
    labels: &ReportLabels,
) -> Html {
    let lang = labels.lang;
    let shown = rows.len().min(PRINT_LIMIT);
    let note = (rows.len() > PRINT_LIMIT).then(|| {
        labels::fill(
            lang,
            Msg::PrintNote,
            &[
                ("n", &i18n::format_number(lang, shown as u64)),
                ("total", &i18n::format_number(lang, rows.len() as u64)),
            ],
        )
    });
    let tasks = || rows.iter().filter_map(|&r| table.get(r));
    html! {
        <section class="print-view" data-testid="print-view">
            if let Some(note) = note {
                <p class="print-note">{ note }</p>
            }
            <table class="print-table">
                <thead>
                    <tr>
                        for column in columns.iter().copied() {
                            <th scope="col">{ labels.column(column).into_owned() }</th>
                        }
                    </tr>
                </thead>
                <tbody>
                    for task in tasks().take(PRINT_LIMIT) {
                        <tr key={task.id.0}>
                            for column in columns.iter().copied() {
                                <td>{ print_text(column, task, labels) }</td>
                            }
                        </tr>
                    }
                </tbody>
            </table>
        </section>
    }
}
