//! `<SortHeader>`: a column header that sorts the table when clicked.

use yew::prelude::*;

use crate::report::query::{SortDir, SortKey};

/// Props of [`SortHeader`].
#[derive(Properties, PartialEq)]
pub struct SortHeaderProps {
    /// The column.
    pub column: SortKey,
    /// The header text.
    pub label: AttrValue,
    /// The table's current sort column.
    pub sort: SortKey,
    /// The table's current direction.
    pub dir: SortDir,
    /// Sort by this column (the query flips the direction on a second click).
    pub onsort: Callback<SortKey>,
}

/// A sortable column header with `aria-sort`.
#[component]
pub fn SortHeader(props: &SortHeaderProps) -> Html {
    let active = props.sort == props.column;
    let (aria, icon) = match (active, props.dir) {
        (false, _) => ("none", "↕"),
        (true, SortDir::Asc) => ("ascending", "↑"),
        (true, SortDir::Desc) => ("descending", "↓"),
    };
    let onclick = {
        let (onsort, column) = (props.onsort.clone(), props.column);
        Callback::from(move |_: MouseEvent| onsort.emit(column))
    };
    let class = match props.column {
        SortKey::Id => "c-id",
        SortKey::Title => "c-title",
        SortKey::Priority => "c-priority",
        SortKey::Status => "c-status",
    };
    html! {
        <th scope="col" class={classes!(class, active.then_some("is-sorted"))} aria-sort={aria}>
            <button type="button" class="sort-button" {onclick}>
                { props.label.clone() }
                <span class="sort-icon" aria-hidden="true">{ icon }</span>
            </button>
        </th>
    }
}
