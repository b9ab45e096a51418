//! `<GroupSection>`: one collapsible group of the grouped view, with its own virtualised table.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::virtual_table::VirtualTable;
use crate::i18n::{self, Lang};
use crate::report::query::{SortDir, SortKey};
use crate::report::task::TaskId;
use crate::state::TableRef;

/// Props of [`GroupSection`].
#[derive(Properties, PartialEq)]
pub struct GroupSectionProps {
    /// The group's heading text.
    pub label: AttrValue,
    /// A DOM id for `aria-controls`.
    pub id: AttrValue,
    /// The task rows.
    pub table: TableRef,
    /// The group's rows, in the query order.
    pub rows: Rc<[u32]>,
    /// Expanded.
    pub expanded: bool,
    /// Most rows this group may put in the DOM.
    pub max_rows: usize,
    /// The UI language.
    pub lang: Lang,
    /// Current sort column.
    pub sort: SortKey,
    /// Current sort direction.
    pub dir: SortDir,
    /// A header was clicked.
    pub onsort: Callback<SortKey>,
    /// Rows open the task in the portal.
    pub can_open: bool,
    /// Base URL of the portal for plain links.
    pub portal_url: Option<AttrValue>,
    /// A row was activated.
    pub onopen: Callback<TaskId>,
    /// The heading button was pressed.
    pub ontoggle: Callback<()>,
}

/// A group heading (button with `aria-expanded` and the count) and its table.
#[component]
pub fn GroupSection(props: &GroupSectionProps) -> Html {
    let onclick = {
        let ontoggle = props.ontoggle.clone();
        Callback::from(move |_: MouseEvent| ontoggle.emit(()))
    };
    html! {
        <section class="group" data-testid="group">
            <h3 class="group-heading">
                <button type="button" class="group-toggle" aria-expanded={props.expanded.to_string()}
                    aria-controls={props.id.clone()} {onclick}>
                    <span class="chevron" aria-hidden="true">{ if props.expanded { "▾" } else { "▸" } }</span>
                    <span>{ props.label.clone() }</span>
                    <span class="group-count">{ i18n::format_number(props.lang, props.rows.len() as u64) }</span>
                </button>
            </h3>
            <div id={props.id.clone()} hidden={!props.expanded}>
                if props.expanded {
                    <VirtualTable table={props.table.clone()} rows={props.rows.clone()} lang={props.lang}
                        sort={props.sort} dir={props.dir} onsort={props.onsort.clone()}
                        can_open={props.can_open} portal_url={props.portal_url.clone()}
                        onopen={props.onopen.clone()} label={props.label.clone()} testid="group-table"
                        max_rows={props.max_rows} overscan={5} initial_visible={10} class="is-group" />
                }
            </div>
        </section>
    }
}
