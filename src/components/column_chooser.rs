//! `column_chooser`: the "Columns" dropdown of the task table — show or hide each column of
//! the column model (checkboxes), move the shown ones up or down (buttons), back to the
//! default columns and widths. Every control is a native checkbox or button, so all of it
//! works with the keyboard (view helper).

use yew::prelude::*;

use crate::components::labels;
use crate::components::view_edit::ViewEdit;
use crate::i18n::{self, Lang, Msg};
use crate::report::columns::Column;

/// The dropdown for the visible `columns` (in order); changes go out as [`ViewEdit`]s.
/// `resized`: some column has a width the user set ("Default columns" resets it too).
pub fn column_chooser(
    columns: &[Column],
    resized: bool,
    lang: Lang,
    onedit: &Callback<ViewEdit>,
) -> Html {
    let hidden = Column::ALL.into_iter().filter(|c| !columns.contains(c));
    let last = columns.len().saturating_sub(1);
    let entries = columns
        .iter()
        .copied()
        .enumerate()
        .map(|(i, c)| (c, Some(i)))
        .chain(hidden.map(|c| (c, None)));
    let custom = resized || columns != Column::DEFAULT_VISIBLE;
    html! {
        <details class={labels::class_with("dropdown column-chooser", custom.then_some("is-active"))}
            data-testid="column-chooser">
            <summary class="button">{ i18n::t(lang, Msg::Columns) }</summary>
            <div class="dropdown-panel" role="group" aria-label={i18n::t(lang, Msg::Columns)}>
                <ul class="chooser-list">
                    for (column, at) in entries {
                        { chooser_entry(column, at, last, lang, onedit) }
                    }
                </ul>
                <button type="button" class="button chooser-reset" data-testid="columns-reset"
                    disabled={!custom} onclick={onedit.reform(|_: MouseEvent| ViewEdit::ResetColumns)}>
                    { i18n::t(lang, Msg::ColumnsReset) }
                </button>
            </div>
        </details>
    }
}

/// One column: its checkbox, and for a shown column (at position `at` of `0..=last`) the
/// move buttons.
fn chooser_entry(
    column: Column,
    at: Option<usize>,
    last: usize,
    lang: Lang,
    onedit: &Callback<ViewEdit>,
) -> Html {
    let label = i18n::column_label(lang, column);
    let key = column.key();
    let onchange = onedit.reform(move |_: Event| ViewEdit::ToggleColumn(column));
    let arg = [("column", label)];
    let up = labels::fill(lang, Msg::ColumnMoveUp, &arg);
    let down = labels::fill(lang, Msg::ColumnMoveDown, &arg);
    html! {
        <li class="chooser-entry" key={key}>
            <label class="check">
                <input type="checkbox" checked={at.is_some()} {onchange}
                    disabled={at.is_some() && last == 0}
                    data-testid={format!("col-toggle-{key}")} />
                <span>{ label }</span>
            </label>
            if let Some(i) = at {
                <button type="button" class="icon-button" aria-label={up}
                    disabled={i == 0} data-testid={format!("col-up-{key}")}
                    onclick={onedit.reform(move |_: MouseEvent| ViewEdit::MoveColumn(column, true))}>{ "↑" }</button>
                <button type="button" class="icon-button" aria-label={down}
                    disabled={i == last} data-testid={format!("col-down-{key}")}
                    onclick={onedit.reform(move |_: MouseEvent| ViewEdit::MoveColumn(column, false))}>{ "↓" }</button>
            }
        </li>
    }
}
