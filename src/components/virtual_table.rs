//! `<VirtualTable>`: the task table for any number of rows. Only the visible window (plus an
//! overscan) is in the DOM; spacers keep the scroll height; rows are keyed by task ID.
//!
//! Driven by the column model: the view's visible columns in their order and widths
//! (resizable from the header), cells from `report::columns` with the names of the
//! [`Directory`], a totals row for the time columns. An ARIA grid: arrows, Page Up/Down,
//! Home/End move the focused row (roving tabindex), Enter opens the task like a click, Space
//! and Ctrl/Cmd+click toggle a row's selection, Shift+click and Shift+arrows extend it,
//! Ctrl/Cmd+A selects every shown row, Escape clears it, and copying (Ctrl/Cmd+C) puts the
//! selected rows on the clipboard as TSV (header row, visible columns) that pastes into Excel
//! and Google Sheets as cells.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::labels;
use crate::components::selection::Selection;
use crate::components::sort_header::{sort_header, Resize, SortHeaderProps};
use crate::components::task_row::{cell_class, task_row, TaskRowProps};
use crate::hooks::dom;
use crate::hooks::use_value::use_value;
use crate::hooks::use_virtual_window::{use_virtual_window, WindowOptions};
use crate::i18n::{self, Lang, Msg, ReportLabels};
use crate::report::columns::{total_seconds, Column};
use crate::report::csv;
use crate::report::dates::hmm;
use crate::report::directory::Directory;
use crate::report::query::{SortDir, SortKey};
use crate::report::view::clamp_width;
use crate::state::TableRef;

/// The columns a task table shows and what their cells need. Equal when the columns, widths
/// and names are: a new `now` or a new (same-target) `onresize` alone does not re-render
/// the table.
#[derive(Clone)]
pub struct TableColumns {
    /// The visible columns with their widths in CSS pixels, in order.
    pub columns: Rc<[(Column, u16)]>,
    /// The names of people and projects.
    pub directory: Rc<Directory>,
    /// Now, in Unix seconds (for relative deadlines).
    pub now: i64,
    /// A column was resized to this width (kept in the saved view).
    pub onresize: Callback<(Column, u16)>,
}

impl PartialEq for TableColumns {
    fn eq(&self, other: &Self) -> bool {
        self.columns == other.columns && Rc::ptr_eq(&self.directory, &other.directory)
    }
}

impl TableColumns {
    /// The visible columns, in order.
    pub fn visible(&self) -> Vec<Column> {
        self.columns.iter().map(|&(c, _)| c).collect()
    }
}

/// What every task table of the report shares, flat or grouped: the rows store, the
/// language, the columns, the sort and what a row does.
#[derive(Clone, PartialEq)]
pub struct TableCommon {
    /// The task rows.
    pub table: TableRef,
    /// The UI language.
    pub lang: Lang,
    /// The visible columns, their widths and what their cells need.
    pub columns: TableColumns,
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
}

/// Props of [`VirtualTable`].
#[derive(Properties, PartialEq)]
pub struct VirtualTableProps {
    /// The table, columns, sort and row actions.
    pub common: TableCommon,
    /// Row indexes to show, in order (the query's result).
    pub rows: Rc<[u32]>,
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
fn spacer_cells(columns: &[(Column, u16)]) -> Html {
    html! {
        for (column, _) in columns.iter().copied() {
            <td class={cell_class(column)}></td>
        }
    }
}

/// The footer row with the totals of the time columns over `rows` (only when one is shown).
fn totals_row(
    lang: Lang,
    columns: &[(Column, u16)],
    totals: &[(Column, u64)],
    rowindex: usize,
) -> Html {
    html! {
        <tfoot>
            <tr class="totals" role="row" aria-rowindex={rowindex.to_string()} data-testid="totals">
                for (i, (column, _)) in columns.iter().copied().enumerate() {
                    <td class={cell_class(column)} role="gridcell">
                        if let Some((_, secs)) = totals.iter().find(|(c, _)| *c == column) {
                            { hmm(*secs) }
                        } else if i == 0 {
                            { i18n::t(lang, Msg::TotalRow) }
                        }
                    </td>
                }
            </tr>
        </tfoot>
    }
}

/// A virtualised, sortable, keyboard-navigable task grid with row selection.
#[component]
pub fn VirtualTable(props: &VirtualTableProps) -> Html {
    let common = &props.common;
    let lang = common.lang;
    let len = props.rows.len();
    let win = use_virtual_window(
        len,
        WindowOptions {
            overscan: props.overscan,
            max_rows: props.max_rows,
            initial_visible: props.initial_visible,
        },
    );
    let active = use_value(|| 0usize);
    let selection = use_value(Selection::default);
    let selected = selection.get();
    let focus_pending = use_mut_ref(|| false);
    let active_pos = active.get().min(len.saturating_sub(1));
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

    // Copy: the selected rows as TSV while the focus is in this table.
    let copy_text = use_mut_ref(|| None::<Rc<dyn Fn() -> Option<String>>>);
    {
        let (table, rows, selection, cols) = (
            common.table.clone(),
            props.rows.clone(),
            selected.clone(),
            common.columns.clone(),
        );
        *copy_text.borrow_mut() = Some(Rc::new(move || {
            if selection.is_empty() {
                return None;
            }
            let picked = selection.picked(&rows);
            let labels = ReportLabels {
                lang,
                directory: &cols.directory,
            };
            Some(csv::to_tsv(
                &table.borrow(),
                &picked,
                &cols.visible(),
                &labels,
            ))
        }));
    }
    {
        let (node, copy_text) = (win.node.clone(), copy_text.clone());
        use_effect_with((), move |()| {
            let listener = dom::CopyListener::new(node, move || {
                let text = copy_text.borrow().clone();
                text.and_then(|f| f())
            });
            // Kept alive until the table unmounts (removed on drop).
            move || {
                let _listener = listener;
            }
        });
    }

    // Resizing: the width while dragging, saved when the drag ends.
    let drag = use_mut_ref(|| None::<(Column, i32, u16)>);
    let live = use_state_eq(|| None::<(Column, u16)>);
    let columns: Vec<(Column, u16)> = common
        .columns
        .columns
        .iter()
        .map(|&(c, w)| match *live {
            Some((lc, lw)) if lc == c => (c, lw),
            _ => (c, w),
        })
        .collect();
    let onresize = {
        let (drag, live, saved) = (drag.clone(), live.clone(), common.columns.onresize.clone());
        let widths = columns.clone();
        Callback::from(move |r: Resize| {
            let width_of = |c: Column| widths.iter().find(|(x, _)| *x == c).map_or(0, |&(_, w)| w);
            let resized =
                |w: u16, d: i32| clamp_width(u64::try_from(i32::from(w) + d).unwrap_or(0));
            match r {
                Resize::Start(c, x) => *drag.borrow_mut() = Some((c, x, width_of(c))),
                Resize::Move(x) => {
                    if let Some((c, x0, w0)) = *drag.borrow() {
                        live.set(Some((c, resized(w0, x - x0))));
                    }
                }
                Resize::End => {
                    if let (Some(_), Some(done)) = (drag.borrow_mut().take(), *live) {
                        saved.emit(done);
                    }
                    live.set(None);
                }
                Resize::Step(c, d) => saved.emit((c, resized(width_of(c), d))),
            }
        })
    };

    let onfocusrow = {
        let active = active.clone();
        use_callback((), move |pos: usize, _| active.set(pos))
    };
    let open_at = {
        let (rows, table, can_open, onopen, node) = (
            props.rows.clone(),
            common.table.clone(),
            common.can_open,
            common.onopen.clone(),
            win.node.clone(),
        );
        move |pos: usize| {
            if can_open {
                let path = rows
                    .get(pos)
                    .and_then(|&r| table.borrow().get(r).and_then(|t| t.view_path()));
                if let Some(path) = path {
                    onopen.emit(path);
                }
            } else {
                dom::click_row_link(&node, pos + 2);
            }
        }
    };
    let onclickrow = {
        let (active, selection, rows, can_open) = (
            active.clone(),
            selection.clone(),
            props.rows.clone(),
            common.can_open,
        );
        let open_at = open_at.clone();
        Callback::from(move |(pos, e): (usize, MouseEvent)| {
            active.set(pos);
            if e.shift_key() {
                selection.set(selection.get().extended(&rows, pos));
            } else if e.ctrl_key() || e.meta_key() {
                selection.set(selection.get().toggled(&rows, pos));
            } else {
                selection.set(Selection::only(&rows, pos));
                if can_open {
                    open_at(pos);
                }
            }
        })
    };
    let onkeydown = {
        let (active, selection, focus_pending, scroll_to) = (
            active.clone(),
            selection.clone(),
            focus_pending.clone(),
            win.scroll_to.clone(),
        );
        let (rows, node) = (props.rows.clone(), win.node.clone());
        let page = (win.end - win.start)
            .saturating_sub(2 * props.overscan)
            .max(1);
        Callback::from(move |e: KeyboardEvent| {
            if rows.is_empty() {
                return;
            }
            let last = rows.len() - 1;
            let command = e.ctrl_key() || e.meta_key();
            let next = match e.key().as_str() {
                "ArrowDown" => (active_pos + 1).min(last),
                "ArrowUp" => active_pos.saturating_sub(1),
                "PageDown" => (active_pos + page).min(last),
                "PageUp" => active_pos.saturating_sub(page),
                "Home" => 0,
                "End" => last,
                "Enter" => {
                    e.prevent_default();
                    open_at(active_pos);
                    return;
                }
                " " => {
                    e.prevent_default();
                    selection.set(selection.get().toggled(&rows, active_pos));
                    return;
                }
                "a" | "A" if command => {
                    e.prevent_default();
                    selection.set(Selection::everything());
                    return;
                }
                "Escape" => {
                    selection.set(Selection::default());
                    return;
                }
                _ => return,
            };
            e.prevent_default();
            if e.shift_key() {
                let current = selection.get();
                let from = if current.is_empty() {
                    Selection::only(&rows, active_pos)
                } else {
                    current
                };
                selection.set(from.extended(&rows, next));
            }
            *focus_pending.borrow_mut() = true;
            active.set(next);
            scroll_to.emit(next);
            // Already rendered: focus now (the effect covers rows that still have to render).
            if dom::focus_row(&node, next + 2) {
                *focus_pending.borrow_mut() = false;
            } else {
                // The focused row is about to leave the DOM: hold the focus on the scroll
                // container meanwhile (a focused row removed mid-update lost the focus and,
                // with it, the scroll position).
                dom::focus_node(&node);
            }
        })
    };

    // Totals of the time columns over all the rows (not only the rendered ones); only summed
    // while such a column is shown (one pass, ≈ 1 ms at 100 000 rows).
    let summed: Vec<Column> = columns
        .iter()
        .map(|&(c, _)| c)
        .filter(|c| c.is_summed())
        .collect();
    let totals: Vec<(Column, u64)> = {
        let table = common.table.borrow();
        let tasks = || props.rows.iter().filter_map(|&r| table.get(r));
        summed
            .iter()
            .map(|&c| (c, total_seconds(c, tasks())))
            .collect()
    };

    let table = common.table.borrow();
    let labels = ReportLabels {
        lang,
        directory: &common.columns.directory,
    };
    let visible_columns: Vec<Column> = columns.iter().map(|&(c, _)| c).collect();
    let visible = (win.start..win.end).filter_map(|pos| {
        Some((
            pos,
            *props.rows.get(pos)?,
            table.get(*props.rows.get(pos)?)?,
        ))
    });
    let url = common.portal_url.as_deref();
    let width: u32 = columns.iter().map(|&(_, w)| u32::from(w)).sum();
    let rowcount = len + 1 + usize::from(!summed.is_empty());
    html! {
        <div class={labels::class_with("table-scroll", props.class)} ref={win.node.clone()}
            tabindex="-1" onscroll={win.onscroll.clone()}>
            <table class="tasks" role="grid" aria-multiselectable="true"
                data-testid={props.testid.clone()} aria-label={props.label.clone()}
                style={format!("width:{width}px")}
                aria-rowcount={rowcount.to_string()} aria-colcount={columns.len().to_string()}>
                <thead>
                    <tr role="row" aria-rowindex="1">
                        for (column, width) in columns.iter().copied() {
                            { sort_header(SortHeaderProps {
                                column,
                                label: i18n::column_label(lang, column),
                                resize_label: labels::fill(lang, Msg::ColumnResize, &[("column", i18n::column_label(lang, column))]),
                                width,
                                sort: common.sort,
                                dir: common.dir,
                                onsort: &common.onsort,
                                onresize: &onresize,
                            }) }
                        }
                    </tr>
                </thead>
                <tbody {onkeydown}>
                    if win.pad_top > 0 {
                        <tr class="spacer" role="presentation" aria-hidden="true" key="spacer-top"
                            style={format!("height:{}px", win.pad_top)}>{ spacer_cells(&columns) }</tr>
                    }
                    // The loop body is the row itself (no `if` wrapper), keyed by task ID on its
                    // `<tr>`, so the list is fully keyed and a row keeps its DOM node (and focus)
                    // while the window moves.
                    for (pos, row, task) in visible {
                        { task_row(TaskRowProps {
                            task,
                            pos,
                            tabbable: pos == tabbable,
                            selected: selected.contains(row),
                            columns: &visible_columns,
                            labels,
                            now: common.columns.now,
                            href: (!common.can_open).then(|| labels::task_url(url, task)).flatten().map(AttrValue::from),
                            clickable: common.can_open,
                            onclickrow: &onclickrow,
                            onfocusrow: &onfocusrow,
                            #[cfg(feature = "snapshot")]
                            since: table.since_visit_mark(row),
                        }) }
                    }
                    if win.pad_bottom > 0 {
                        <tr class="spacer" role="presentation" aria-hidden="true" key="spacer-bottom"
                            style={format!("height:{}px", win.pad_bottom)}>{ spacer_cells(&columns) }</tr>
                    }
                </tbody>
                if !summed.is_empty() {
                    { totals_row(lang, &columns, &totals, len + 2) }
                }
            </table>
        </div>
    }
}
