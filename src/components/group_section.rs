//! `group_section`: one collapsible group of the grouped view, with its own virtualised table
//! (view helper).

use std::rc::Rc;

use yew::prelude::*;

use crate::components::labels;
use crate::components::virtual_table::{TableCommon, VirtualTable};
use crate::i18n;

/// What [`group_section`] shows.
pub struct GroupSectionProps<'a> {
    /// The group's position: the section's key and its DOM id `group-{index}` (for
    /// `aria-controls`).
    pub index: usize,
    /// The group's heading text.
    pub label: AttrValue,
    /// The group's rows, in the query order.
    pub rows: &'a Rc<[u32]>,
    /// Expanded.
    pub expanded: bool,
    /// Most rows this group may put in the DOM.
    pub max_rows: usize,
    /// The table, columns, sort and row actions every group's table shares.
    pub common: &'a TableCommon,
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
                    <span class="group-count">{ i18n::format_number(props.common.lang, props.rows.len() as u64) }</span>
                </button>
            </h3>
            <div {id} hidden={!props.expanded}>
                if props.expanded {
                    <VirtualTable common={props.common.clone()} rows={props.rows.clone()}
                        label={props.label} testid="group-table"
                        max_rows={props.max_rows} overscan={5} initial_visible={10} class="is-group" />
                }
            </div>
        </section>
    }
}
