//! `grouped_tables`: the current rows split into collapsible groups (by status or priority).

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::components::group_section::{group_section, GroupSectionProps};
use crate::components::virtual_table::TableCommon;
use crate::report::summary::GroupKey;

/// Rows in the DOM across all groups at most.
pub const DOM_ROW_BUDGET: usize = 200;

/// One group's rows.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupRows {
    /// What the rows share.
    pub key: GroupKey,
    /// The heading (names from the loaded directory).
    pub label: AttrValue,
    /// The rows, in the query order.
    pub rows: Rc<[u32]>,
}

/// The collapsed groups (a handful at most, so a plain list), kept across renders by the
/// report page (a view function has no hooks), and the redraw a toggle needs.
pub struct Collapsed {
    /// The keys of the collapsed groups.
    pub keys: Rc<RefCell<Vec<GroupKey>>>,
    /// Redraws the page after a toggle.
    pub redraw: UseForceUpdateHandle,
}

/// One section per group; the DOM row budget is shared by the expanded groups. A view
/// function, not a component (each component type costs ≈ 2 KB of wasm).
pub fn grouped_tables(common: &TableCommon, groups: &[GroupRows], collapsed: &Collapsed) -> Html {
    let keys = &collapsed.keys;
    let expanded = groups
        .iter()
        .filter(|g| !keys.borrow().contains(&g.key))
        .count();
    let budget = DOM_ROW_BUDGET / expanded.max(1);
    html! {
        <div class="groups">
            for (i, group) in groups.iter().enumerate() {
                {{
                    let ontoggle = {
                        let (keys, key) = (keys.clone(), group.key.clone());
                        let redraw = collapsed.redraw.clone();
                        Callback::from(move |()| {
                            {
                                let mut next = keys.borrow_mut();
                                match next.iter().position(|k| *k == key) {
                                    Some(at) => {
                                        next.remove(at);
                                    }
                                    None => next.push(key.clone()),
                                }
                            }
                            redraw.force_update();
                        })
                    };
                    group_section(GroupSectionProps {
                        index: i,
                        label: group.label.clone(),
                        rows: &group.rows,
                        expanded: !keys.borrow().contains(&group.key),
                        max_rows: budget,
                        common,
                        ontoggle,
                    })
                }}
            }
        </div>
    }
}
