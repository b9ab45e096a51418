//! `<VirtualTable>`: the task table for any number of rows. Only the visible window (plus an
//! overscan) is in the DOM; spacers keep the scroll height; rows are keyed by task ID and
//! keyboard-navigable (roving tabindex, arrows, Page Up/Down, Home/End, Enter).

use std::rc::Rc;

use yew::prelude::*;

use crate::components::labels;
use crate::components::sort_header::sort_header;
use crate::components::task_row::{task_row, TaskRowProps};
use crate::hooks::dom;
use crate::hooks::use_virtual_window::{use_virtual_window, WindowOptions};
use crate::i18n::{self, Lang};
use crate::report::query::{SortDir, SortKey};
use crate::state::TableRef;

/// Props of [`VirtualTable`].
#[derive(Properties, PartialEq)]
pub struct VirtualTableProps {
    /// The task rows.
    pub table: TableRef,
    /// Row indexes to show, in order (the query's result).
    pub rows: Rc<[u32]>,
    /// The UI language.
    pub lang: Lang,
    /// Current sort column.
    pub sort: SortKey,
    /// Current sort direction.
    pub dir: SortDir,
    /// A header was clicked.
    pub onsort: Callback<SortKey>,
    /// Rows open the task in the portal (else: plain links when `portal_url` is known).
    pub can_open: bool,
    /// Base URL of the portal for plain links.
    pub portal_url: Option<AttrValue>,
    /// A row was activated (only when `can_open`).
    pub onopen: Callback<String>,
    /// The table's accessible name.
    pub label: AttrValue,
    /// `data-testid` of the table.
    #[prop_or(AttrValue::Static("report-table"))]
    pub testid: AttrValue,
    /// Most rows in the DOM.
    #[prop_or(200)]
    pub max_rows: usize,
    /// Rows rendered beyond the visible ones on each side.
    #[prop_or(20)]
    pub overscan: usize,
    /// Visible rows assumed before measuring.
    #[prop_or(20)]
    pub initial_visible: usize,
    /// Extra CSS class of the scroll container (`is-group` for grouped tables).
    #[prop_or_default]
    pub class: Option<&'static str>,
}

/// The cells of a spacer row: one per column, so hidden columns (narrow screens) hide them too.
fn spacer_cells() -> Html {
    html! {
        <><td class="c-id"></td><td class="c-title"></td><td class="c-priority"></td><td class="c-status"></td></>
    }
}

/// A virtualised, sortable, keyboard-navigable task table.
#[component]
pub fn VirtualTable(props: &VirtualTableProps) -> Html {
    let lang = props.lang;
    let len = props.rows.len();
    let win = use_virtual_window(
        len,
        WindowOptions {
            overscan: props.overscan,
            max_rows: props.max_rows,
            initial_visible: props.initial_visible,
        },
    );
    let active = use_state_eq(|| 0usize);
    let focus_pending = use_mut_ref(|| false);
    let active_pos = (*active).min(len.saturating_sub(1));
    let tabbable = if (win.start..win.end).contains(&active_pos) {
        active_pos
    } else {
        win.start
    };

    {
        let (node, focus_pending) = (win.node.clone(), focus_pending.clone());
        use_effect_with((active_pos, win.start), move |(pos, _)| {
            if *focus_pending.borrow() && dom::focus_row(&node, pos + 2) {
                *focus_pending.borrow_mut() = false;
            }
        });
    }

    let onfocusrow = {
        let active = active.clone();
        use_callback((), move |pos: usize, _| active.set(pos))
    };
    let onkeydown = {
        let (active, focus_pending, scroll_to) =
            (active.clone(), focus_pending.clone(), win.scroll_to.clone());
        let (rows, table, can_open, onopen, node) = (
            props.rows.clone(),
            props.table.clone(),
            props.can_open,
            props.onopen.clone(),
            win.node.clone(),
        );
        let page = (win.end - win.start)
            .saturating_sub(2 * props.overscan)
            .max(1);
        Callback::from(move |e: KeyboardEvent| {
            if rows.is_empty() {
                return;
            }
            let last = rows.len() - 1;
            let next = match e.key().as_str() {
                "ArrowDown" => (active_pos + 1).min(last),
                "ArrowUp" => active_pos.saturating_sub(1),
                "PageDown" => (active_pos + page).min(last),
                "PageUp" => active_pos.saturating_sub(page),
                "Home" => 0,
                "End" => last,
                "Enter" | " " => {
                    e.prevent_default();
                    if can_open {
                        let path = rows
                            .get(active_pos)
                            .and_then(|&r| table.borrow().get(r).and_then(|t| t.view_path()));
                        if let Some(path) = path {
                            onopen.emit(path);
                        }
                    } else {
                        dom::click_row_link(&node, active_pos + 2);
                    }
                    return;
                }
                _ => return,
            };
            e.prevent_default();
            *focus_pending.borrow_mut() = true;
            active.set(next);
            scroll_to.emit(next);
            // Already rendered: focus now (the effect covers rows that still have to render).
            if dom::focus_row(&node, next + 2) {
                *focus_pending.borrow_mut() = false;
            }
        })
    };

    let table = props.table.borrow();
    let visible =
        (win.start..win.end).filter_map(|pos| Some((pos, table.get(*props.rows.get(pos)?)?)));
    let url = props.portal_url.as_deref();
    let columns = SortKey::ALL;
    html! {
        <div class={labels::class_with("table-scroll", props.class)} ref={win.node.clone()}
            onscroll={win.onscroll.clone()}>
            <table class="tasks" role="grid" data-testid={props.testid.clone()}
                aria-label={props.label.clone()}
                aria-rowcount={(len + 1).to_string()} aria-colcount="4">
                <thead>
                    <tr aria-rowindex="1">
                        for column in columns {
                            { sort_header(column, i18n::sort_key_label(lang, column), props.sort, props.dir, &props.onsort) }
                        }
                    </tr>
                </thead>
                <tbody {onkeydown}>
                    if win.pad_top > 0 {
                        <tr class="spacer" role="presentation" aria-hidden="true" key="spacer-top"
                            style={format!("height:{}px", win.pad_top)}>{ spacer_cells() }</tr>
                    }
                    // The loop body is the row itself (no `if` wrapper), keyed by task ID on its
                    // `<tr>`, so the list is fully keyed and a row keeps its DOM node (and focus)
                    // while the window moves.
                    for (pos, task) in visible {
                        { task_row(TaskRowProps {
                            task,
                            pos,
                            tabbable: pos == tabbable,
                            lang,
                            href: (!props.can_open).then(|| labels::task_url(url, task)).flatten().map(AttrValue::from),
                            clickable: props.can_open,
                            onactivate: &props.onopen,
                            onfocusrow: &onfocusrow,
                        }) }
                    }
                    if win.pad_bottom > 0 {
                        <tr class="spacer" role="presentation" aria-hidden="true" key="spacer-bottom"
                            style={format!("height:{}px", win.pad_bottom)}>{ spacer_cells() }</tr>
                    }
                </tbody>
            </table>
        </div>
    }
}
