//! `group_section`: one collapsible group of the grouped view, with its own virtualised table
//! (view helper).

use std::rc::Rc;

use yew::prelude::*;

use crate::components::labels;
use crate::components::virtual_table::{TableColumns, VirtualTable};
use crate::i18n::{self, Lang};
use crate::report::query::{SortDir, SortKey};
use crate::state::TableRef;

/// What [`group_section`] shows.
pub struct GroupSectionProps<'a> {
    /// The group's position: the section's key and its DOM id `group-{index}` (for
    /// `aria-controls`).
    pub index: usize,
    /// The group's heading text.
    pub label: AttrValue,
    /// The task rows.
    pub table: &'a TableRef,
    /// The group's rows, in the query order.
    pub rows: &'a Rc<[u32]>,
    /// Expanded.
    pub expanded: bool,
    /// Most rows this group may put in the DOM.
    pub max_rows: usize,
    /// The UI language.
    pub lang: Lang,
    /// The visible columns and what their cells need.
    pub columns: &'a TableColumns,
    /// Current sort column.
    pub sort: SortKey,
    /// Current sort direction.
    pub dir: SortDir,
    /// A header was clicked.
    pub onsort: &'a Callback<SortKey>,
    /// Rows open the task in the portal.
    pub can_open: bool,
    /// Base URL of the portal for plain links.
    pub portal_url: &'a Option<AttrValue>,
    /// A row was activated.
    pub onopen: &'a Callback<String>,
    /// The heading button was pressed.
    pub ontoggle: Callback<()>,
}

/// A group heading (button with `aria-expanded` and the count) and its table, keyed by the
/// group's index.
pub fn group_section(props: GroupSectionProps<'_>) -> Html {
    let id = AttrValue::from(format!("group-{}", props.index));
    let onclick = labels::click_emits(&props.ontoggle);
    html! {
        <section class="group" data-testid="group" key={props.index}>
            <h3 class="group-heading">
                <button type="button" class="group-toggle" aria-expanded={props.expanded.to_string()}
                    aria-controls={id.clone()} {onclick}>
                    <span class="chevron" aria-hidden="true">{ if props.expanded { "▾" } else { "▸" } }</span>
                    <span>{ props.label.clone() }</span>
                    <span class="group-count">{ i18n::format_number(props.lang, props.rows.len() as u64) }</span>
                </button>
            </h3>
            <div {id} hidden={!props.expanded}>
                if props.expanded {
                    <VirtualTable table={props.table.clone()} rows={props.rows.clone()} lang={props.lang}
                        columns={props.columns.clone()}
                        sort={props.sort} dir={props.dir} onsort={props.onsort.clone()}
                        can_open={props.can_open} portal_url={props.portal_url.clone()}
                        onopen={props.onopen.clone()} label={props.label} testid="group-table"
                        max_rows={props.max_rows} overscan={5} initial_visible={10} class="is-group" />
                }
            </div>
        </section>
    }
}
