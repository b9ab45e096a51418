//! `sort_header`: a column header of the task table — sorts when clicked, and has a resize
//! handle (drag with the pointer, or focus it and press ←/→) (view helper).

use yew::prelude::*;

use crate::components::labels;
use crate::components::task_row::cell_class;
use crate::hooks::dom;
use crate::report::columns::Column;
use crate::report::query::{SortDir, SortKey};
use crate::report::view::WIDTH_RANGE;

/// Pixels one arrow key press on a resize handle adds or removes.
pub const RESIZE_STEP: i32 = 16;

/// What a resize handle reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resize {
    /// A drag started on this column's handle at this `clientX`.
    Start(Column, i32),
    /// The pointer moved to this `clientX` while dragging.
    Move(i32),
    /// The drag ended.
    End,
    /// A key press widened (positive) or narrowed the column by this many pixels.
    Step(Column, i32),
}

/// What [`sort_header`] shows.
pub struct SortHeaderProps<'a> {
    /// The column.
    pub column: Column,
    /// Its label in the UI language.
    pub label: &'static str,
    /// The resize handle's accessible name ("Resize column: Title").
    pub resize_label: String,
    /// Its width in CSS pixels.
    pub width: u16,
    /// The current sort column.
    pub sort: SortKey,
    /// The current sort direction.
    pub dir: SortDir,
    /// Clicking emits the column's sort key (the query flips the direction on a second click).
    pub onsort: &'a Callback<SortKey>,
    /// The resize handle's events.
    pub onresize: &'a Callback<Resize>,
}

/// The header cell of a column with `aria-sort` and its width.
pub fn sort_header(props: SortHeaderProps<'_>) -> Html {
    let key = props.column;
    let active = props.sort == key;
    let (aria, icon) = match (active, props.dir) {
        (false, _) => ("none", "↕"),
        (true, SortDir::Asc) => ("ascending", "↑"),
        (true, SortDir::Desc) => ("descending", "↓"),
    };
    let onclick = props.onsort.reform(move |_: MouseEvent| key);
    let column = props.column;
    let onpointerdown = props.onresize.reform(move |e: PointerEvent| {
        e.prevent_default();
        dom::capture_pointer(&e);
        Resize::Start(column, e.client_x())
    });
    let onpointermove = {
        let onresize = props.onresize.clone();
        Callback::from(move |e: PointerEvent| {
            if e.buttons() != 0 {
                onresize.emit(Resize::Move(e.client_x()));
            }
        })
    };
    let onpointerup = props.onresize.reform(|_: PointerEvent| Resize::End);
    let onkeydown = {
        let onresize = props.onresize.clone();
        Callback::from(move |e: KeyboardEvent| {
            let step = match e.key().as_str() {
                "ArrowLeft" => -RESIZE_STEP,
                "ArrowRight" => RESIZE_STEP,
                _ => return,
            };
            e.prevent_default();
            e.stop_propagation();
            onresize.emit(Resize::Step(column, step));
        })
    };
    let class = labels::class_with(cell_class(column), active.then_some("is-sorted"));
    html! {
        <th scope="col" role="columnheader" {class} aria-sort={aria}
            style={format!("width:{}px", props.width)} data-col={column.key()}>
            <button type="button" class="sort-button" {onclick}>
                <span class="sort-label">{ props.label }</span>
                <span class="sort-icon" aria-hidden="true">{ icon }</span>
            </button>
            <span class="col-resize" role="separator" aria-orientation="vertical" tabindex="0"
                aria-label={props.resize_label} aria-valuenow={props.width.to_string()}
                aria-valuemin={WIDTH_RANGE.0.to_string()} aria-valuemax={WIDTH_RANGE.1.to_string()}
                data-testid="col-resize"
                {onpointerdown} {onpointermove} onpointerup={onpointerup.clone()}
                onpointercancel={onpointerup} {onkeydown}></span>
        </th>
    }
}
