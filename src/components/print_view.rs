//! `print_view`: the current view as a plain table for printing (at most [`PRINT_LIMIT`] rows,
//! with a note when there are more). Rendered only while printing (view helper).

use yew::prelude::*;

use crate::components::labels;
use crate::i18n::{self, Lang, Msg};
use crate::report::query::{SortKey, TaskTable};

/// Most rows printed.
pub const PRINT_LIMIT: usize = 5_000;

/// A print-only table of `rows` (the current view, in order) of `table`.
pub fn print_view(table: &TaskTable, rows: &[u32], lang: Lang) -> Html {
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
    html! {
        <section class="print-view" data-testid="print-view">
            if let Some(note) = note {
                <p class="print-note">{ note }</p>
            }
            <table class="print-table">
                <thead>
                    <tr>
                        for key in SortKey::ALL {
                            <th scope="col">{ i18n::sort_key_label(lang, key) }</th>
                        }
                    </tr>
                </thead>
                <tbody>
                    for task in rows.iter().take(PRINT_LIMIT).filter_map(|&r| table.get(r)) {
                            <tr key={task.id.0}>
                                <td>{ task.id.0 }</td>
                                <td>
                                    if task.title.trim().is_empty() {
                                        { i18n::t(lang, Msg::NoTitle) }
                                    } else {
                                        { task.title.clone() }
                                    }
                                </td>
                                <td>{ i18n::priority_label(lang, &task.priority).into_owned() }</td>
                                <td>
                                    { i18n::status_label(lang, &task.status).into_owned() }
                                    if let Some(meta) = task.meta {
                                        { " · " }{ i18n::meta_label(lang, meta) }
                                    }
                                </td>
                            </tr>
                    }
                </tbody>
            </table>
        </section>
    }
}
