//! `<GroupedTables>`: the current rows split into collapsible groups (by status or priority).

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

/// Props of [`GroupedTables`].
#[derive(Properties, PartialEq)]
pub struct GroupedTablesProps {
    /// The table, columns, sort and row actions every group's table shares.
    pub common: TableCommon,
    /// The groups, in display order.
    pub groups: Rc<[GroupRows]>,
}

/// One section per group; the DOM row budget is shared by the expanded groups.
#[component]
pub fn GroupedTables(props: &GroupedTablesProps) -> Html {
    // The collapsed groups: a handful at most, so a plain list (a ref and a redraw: no state
    // type of its own).
    let collapsed = use_mut_ref(Vec::<GroupKey>::new);
    let redraw = use_force_update();
    let expanded = props
        .groups
        .iter()
        .filter(|g| !collapsed.borrow().contains(&g.key))
        .count();
    let budget = DOM_ROW_BUDGET / expanded.max(1);
    html! {
        <div class="groups">
            for (i, group) in props.groups.iter().enumerate() {
                {{
                    let ontoggle = {
                        let (collapsed, key) = (collapsed.clone(), group.key.clone());
                        let redraw = redraw.clone();
                        Callback::from(move |()| {
                            {
                                let mut next = collapsed.borrow_mut();
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
                        expanded: !collapsed.borrow().contains(&group.key),
                        max_rows: budget,
                        common: &props.common,
                        ontoggle,
                    })
                }}
            }
        </div>
    }
}
