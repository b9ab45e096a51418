//! `sort_header`: a column header of the task table that sorts when clicked (view helper).

use yew::prelude::*;

use crate::components::labels;
use crate::report::query::{SortDir, SortKey};

/// The header cell of `column` with `aria-sort`; clicking emits `onsort(column)` (the query
/// flips the direction on a second click).
pub fn sort_header(
    column: SortKey,
    label: &'static str,
    sort: SortKey,
    dir: SortDir,
    onsort: &Callback<SortKey>,
) -> Html {
    let active = sort == column;
    let (aria, icon) = match (active, dir) {
        (false, _) => ("none", "↕"),
        (true, SortDir::Asc) => ("ascending", "↑"),
        (true, SortDir::Desc) => ("descending", "↓"),
    };
    let onclick = onsort.reform(move |_: MouseEvent| column);
    let class = match column {
        SortKey::Id => "c-id",
        SortKey::Title => "c-title",
        SortKey::Priority => "c-priority",
        SortKey::Status => "c-status",
    };
    html! {
        <th scope="col" class={labels::class_with(class, active.then_some("is-sorted"))} aria-sort={aria}>
            <button type="button" class="sort-button" {onclick}>
                { label }
                <span class="sort-icon" aria-hidden="true">{ icon }</span>
            </button>
        </th>
    }
}
