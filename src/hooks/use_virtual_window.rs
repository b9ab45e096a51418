//! `use_virtual_window`: which rows of a long, fixed-row-height list to put in the DOM for a
//! scroll container (the visible rows plus an overscan on each side, capped).

use yew::prelude::*;

use crate::hooks::dom;
use crate::hooks::use_value::use_value;

/// Row height assumed until a row is measured, in CSS pixels (matches `--row-h` in style.css).
pub const DEFAULT_ROW_HEIGHT: f64 = 40.0;

/// How the window is sized.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WindowOptions {
    /// Rows rendered above and below the visible ones.
    pub overscan: usize,
    /// Most rows in the DOM at once.
    pub max_rows: usize,
    /// Visible rows assumed before the container is measured (and in server rendering).
    pub initial_visible: usize,
}

/// What the scroll container shows, as measured.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Metrics {
    first: usize,
    visible: usize,
    row_height: f64,
}

/// The rows to render: `start..end` of the list, with the spacer heights around them.
#[derive(Clone)]
pub struct UseVirtualWindowHandle {
    /// Attach to the scroll container.
    pub node: NodeRef,
    /// First rendered row.
    pub start: usize,
    /// One past the last rendered row.
    pub end: usize,
    /// Height of the spacer above the rendered rows, in whole px.
    pub pad_top: u64,
    /// Height of the spacer below the rendered rows, in whole px.
    pub pad_bottom: u64,
    /// Attach to the container's `onscroll`.
    pub onscroll: Callback<Event>,
    /// Scrolls the container so that the row at this position is visible.
    pub scroll_to: Callback<usize>,
}

/// The rendered range for a list of `len` rows whose first visible row is `first` and which
/// shows `visible` rows: overscan on both sides, at most `max_rows`, clamped to the list.
pub fn window_range(
    len: usize,
    first: usize,
    visible: usize,
    opts: WindowOptions,
) -> (usize, usize) {
    if len == 0 || opts.max_rows == 0 {
        return (0, 0);
    }
    let visible = visible.max(1);
    let first = first.min(len.saturating_sub(visible));
    let start = first.saturating_sub(opts.overscan);
    let end = (first + visible + opts.overscan).min(len);
    let end = end.min(start + opts.max_rows);
    (start, end)
}

/// Virtualises a list of `len` rows in a scroll container (see the module docs).
#[hook]
pub fn use_virtual_window(len: usize, opts: WindowOptions) -> UseVirtualWindowHandle {
    let node = use_node_ref();
    let metrics = use_value(|| Metrics {
        first: 0,
        visible: opts.initial_visible,
        row_height: DEFAULT_ROW_HEIGHT,
    });
    let measure = {
        let node = node.clone();
        let metrics = metrics.clone();
        move || {
            if let Some(m) = dom::scroll_metrics(&node) {
                let row_height = if m.row_height >= 8.0 {
                    m.row_height
                } else {
                    metrics.get().row_height
                };
                let body = (m.client_height - m.header_height).max(row_height);
                metrics.set(Metrics {
                    first: (m.scroll_top.max(0.0) / row_height) as usize,
                    visible: (body / row_height).ceil() as usize + 1,
                    row_height,
                });
            }
        }
    };
    {
        let measure = measure.clone();
        use_effect_with(len == 0, move |_| measure());
    }
    {
        // The viewport also changes with the window (and the portal's frame) size.
        let measure = measure.clone();
        use_effect_with((), move |_| {
            let listener = dom::WindowListener::new("resize", measure);
            move || {
                let _stop_on_drop = listener;
            }
        });
    }
    let onscroll = Callback::from(move |_: Event| measure());
    let scroll_to = {
        let node = node.clone();
        let row_height = metrics.get().row_height;
        Callback::from(move |pos: usize| dom::scroll_row_into_view(&node, pos, row_height))
    };
    let metrics = metrics.get();
    let (start, end) = window_range(len, metrics.first, metrics.visible, opts);
    UseVirtualWindowHandle {
        node,
        start,
        end,
        pad_top: (start as f64 * metrics.row_height).round() as u64,
        pad_bottom: (len.saturating_sub(end) as f64 * metrics.row_height).round() as u64,
        onscroll,
        scroll_to,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPTS: WindowOptions = WindowOptions {
        overscan: 20,
        max_rows: 200,
        initial_visible: 20,
    };

    #[test]
    fn window_has_overscan_and_stays_in_bounds() {
        assert_eq!(window_range(0, 0, 20, OPTS), (0, 0));
        assert_eq!(window_range(10, 0, 20, OPTS), (0, 10));
        assert_eq!(window_range(100_000, 0, 20, OPTS), (0, 40));
        assert_eq!(window_range(100_000, 1_000, 20, OPTS), (980, 1_040));
        // Scrolled past the end after the list shrank: the last rows.
        assert_eq!(window_range(50, 1_000, 20, OPTS), (10, 50));
        // A huge viewport is capped.
        let (s, e) = window_range(100_000, 500, 1_000, OPTS);
        assert_eq!(e - s, 200);
        let tiny = WindowOptions {
            max_rows: 0,
            ..OPTS
        };
        assert_eq!(window_range(100, 0, 20, tiny), (0, 0));
    }
}
