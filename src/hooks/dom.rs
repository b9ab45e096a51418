//! The browser calls of the report view (scroll metrics, focus, download, print, timing
//! marks, local time). Each is a no-op or a plain fallback outside the browser, so components
//! that use them still render on the host (server-side rendering in tests).

use yew::NodeRef;

/// What a scroll container shows, in CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScrollMetrics {
    /// `scrollTop`.
    pub scroll_top: f64,
    /// `clientHeight`.
    pub client_height: f64,
    /// Height of the sticky header (`thead`), 0 if none.
    pub header_height: f64,
    /// Height of one data row, 0 if no row is rendered.
    pub row_height: f64,
}

/// Reads the metrics of the scroll container behind `node`.
pub fn scroll_metrics(node: &NodeRef) -> Option<ScrollMetrics> {
    imp::scroll_metrics(node)
}

/// Scrolls the container so that the row at `pos` (0-based, fixed `row_height`) is visible
/// below the sticky header.
pub fn scroll_row_into_view(node: &NodeRef, pos: usize, row_height: f64) {
    imp::scroll_row_into_view(node, pos, row_height);
}

/// Focuses the row with `aria-rowindex = rowindex` inside the container; false if that row is
/// not in the DOM (yet).
pub fn focus_row(node: &NodeRef, rowindex: usize) -> bool {
    imp::focus_row(node, rowindex)
}

/// Focuses the element behind `node` (e.g. a scroll container with `tabindex="-1"`).
pub fn focus_node(node: &NodeRef) {
    imp::focus_node(node);
}

/// Clicks the first link inside the row with `aria-rowindex = rowindex`.
pub fn click_row_link(node: &NodeRef, rowindex: usize) {
    imp::click_row_link(node, rowindex);
}

/// Closes a `<details>` dropdown.
pub fn close_details(node: &NodeRef) {
    imp::close_details(node);
}

/// True if a focus event moves the focus to an element outside the element behind `node`
/// (false when the focus goes nowhere, e.g. a click on plain text).
pub fn focus_leaves(node: &NodeRef, event: &yew::FocusEvent) -> bool {
    imp::focus_leaves(node, event)
}

/// Downloads `text` as a file: a `Blob` of `mime`, an object URL, a temporary
/// `<a download>` click, then the URL is revoked.
pub fn download_text(text: &str, mime: &str, filename: &str) {
    imp::download_text(text, mime, filename);
}

/// Downloads `part` (a string, a `Uint8Array`, a `Blob`) as a file, as [`download_text`]
/// (`mime` empty: a `Blob` part keeps its own type).
pub fn download(part: &wasm_bindgen::JsValue, mime: &str, filename: &str) {
    imp::download(part, mime, filename);
}

/// Today's local date as `YYYY-MM-DD`.
pub fn today_iso() -> String {
    imp::today_iso()
}

/// Now, in whole Unix seconds (what date presets and deadline buckets count from).
pub fn unix_now_s() -> i64 {
    imp::unix_now_s()
}

/// The local wall-clock hour and minute of a Unix time in seconds.
pub fn local_hour_minute(unix_seconds: f64) -> (u8, u8) {
    imp::local_hour_minute(unix_seconds)
}

/// Opens the browser's print dialog.
pub fn print_window() {
    imp::print_window();
}

/// `performance.mark(name)`; errors are ignored.
pub fn perf_mark(name: &str) {
    imp::perf_mark(name);
}

/// `performance.measure(name, start, end)`; errors are ignored.
pub fn perf_measure(name: &str, start: &str, end: &str) {
    imp::perf_measure(name, start, end);
}

/// Captures the pointer of `event` on its target, so a drag keeps its moves outside it.
pub fn capture_pointer(event: &yew::PointerEvent) {
    imp::capture_pointer(event);
}

/// While alive, fills every `copy` of the page with the text `text` gives — when the focus
/// is inside the element behind `node` and `text` gives something (else the browser copies
/// as usual).
pub struct CopyListener {
    #[allow(dead_code)]
    inner: imp::CopyListener,
}

impl CopyListener {
    /// Starts listening.
    pub fn new(node: NodeRef, text: impl Fn() -> Option<String> + 'static) -> Self {
        Self {
            inner: imp::CopyListener::new(node, text),
        }
    }
}

/// Calls a function on each `event` of the window while alive (removed on drop).
pub struct WindowListener {
    #[allow(dead_code)]
    inner: imp::WindowListener,
}

impl WindowListener {
    /// Starts listening to `event` (e.g. `"resize"`).
    pub fn new(event: &'static str, on_event: impl Fn() + 'static) -> Self {
        Self {
            inner: imp::WindowListener::new(event, on_event),
        }
    }
}

/// Listens to `beforeprint` (`true`) and `afterprint` (`false`) while alive.
pub struct PrintListener {
    #[allow(dead_code)]
    listeners: [WindowListener; 2],
}

impl PrintListener {
    /// Starts listening.
    pub fn new(on_change: impl Fn(bool) + 'static) -> Self {
        let on_change = std::rc::Rc::new(on_change);
        let on = std::rc::Rc::clone(&on_change);
        Self {
            listeners: [
                WindowListener::new("beforeprint", move || on(true)),
                WindowListener::new("afterprint", move || on_change(false)),
            ],
        }
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{Element, HtmlElement};
    use yew::NodeRef;

    use super::ScrollMetrics;

    fn height_of(el: &Element, selector: &str) -> f64 {
        el.query_selector(selector)
            .ok()
            .flatten()
            .map_or(0.0, |e| e.get_bounding_client_rect().height())
    }

    pub fn scroll_metrics(node: &NodeRef) -> Option<ScrollMetrics> {
        let el = node.cast::<Element>()?;
        Some(ScrollMetrics {
            scroll_top: f64::from(el.scroll_top()),
            client_height: f64::from(el.client_height()),
            header_height: height_of(&el, "thead"),
            row_height: height_of(&el, "tbody > tr[data-testid=row]"),
        })
    }

    pub fn scroll_row_into_view(node: &NodeRef, pos: usize, row_height: f64) {
        let Some(el) = node.cast::<Element>() else {
            return;
        };
        let header = height_of(&el, "thead");
        let top = pos as f64 * row_height;
        let view_top = f64::from(el.scroll_top());
        let view_height = f64::from(el.client_height()) - header;
        if top < view_top {
            el.set_scroll_top(top as i32);
        } else if top + row_height > view_top + view_height {
            el.set_scroll_top((top + row_height - view_height).ceil() as i32);
        }
    }

    fn row(node: &NodeRef, rowindex: usize) -> Option<Element> {
        let el = node.cast::<Element>()?;
        el.query_selector(&format!("tr[aria-rowindex=\"{rowindex}\"]"))
            .ok()
            .flatten()
    }

    pub fn focus_row(node: &NodeRef, rowindex: usize) -> bool {
        match row(node, rowindex).and_then(|r| r.dyn_into::<HtmlElement>().ok()) {
            Some(r) => r.focus().is_ok(),
            None => false,
        }
    }

    pub fn focus_node(node: &NodeRef) {
        if let Some(el) = node.cast::<HtmlElement>() {
            let _ = el.focus();
        }
    }

    pub fn click_row_link(node: &NodeRef, rowindex: usize) {
        let link = row(node, rowindex)
            .and_then(|r| r.query_selector("a[href]").ok().flatten())
            .and_then(|a| a.dyn_into::<HtmlElement>().ok());
        if let Some(link) = link {
            link.click();
        }
    }

    pub fn close_details(node: &NodeRef) {
        if let Some(el) = node.cast::<Element>() {
            let _ = el.remove_attribute("open");
        }
    }

    pub fn focus_leaves(node: &NodeRef, event: &yew::FocusEvent) -> bool {
        let Some(el) = node.cast::<web_sys::Node>() else {
            return false;
        };
        let related = event
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        related.is_some_and(|r| !el.contains(Some(&r)))
    }

    pub fn download_text(text: &str, mime: &str, filename: &str) {
        download(&JsValue::from_str(text), mime, filename);
    }

    pub fn download(part: &JsValue, mime: &str, filename: &str) {
        let _ = try_download(part, mime, filename);
    }

    fn try_download(part: &JsValue, mime: &str, filename: &str) -> Result<(), JsValue> {
        let window = web_sys::window().ok_or(JsValue::NULL)?;
        let document = window.document().ok_or(JsValue::NULL)?;
        let parts = js_sys::Array::of1(part);
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(mime);
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
        let url = web_sys::Url::create_object_url_with_blob(&blob)?;
        let anchor: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
        anchor.set_href(&url);
        anchor.set_download(filename);
        let _ = anchor.set_attribute("style", "display:none");
        let body = document.body().ok_or(JsValue::NULL)?;
        body.append_child(&anchor)?;
        anchor.click();
        anchor.remove();
        web_sys::Url::revoke_object_url(&url)
    }

    pub fn unix_now_s() -> i64 {
        (js_sys::Date::now() / 1000.0).floor() as i64
    }

    pub fn today_iso() -> String {
        let d = js_sys::Date::new_0();
        format!(
            "{:04}-{:02}-{:02}",
            d.get_full_year(),
            d.get_month() + 1,
            d.get_date()
        )
    }

    pub fn local_hour_minute(unix_seconds: f64) -> (u8, u8) {
        let d = js_sys::Date::new(&JsValue::from_f64(unix_seconds * 1000.0));
        (
            u8::try_from(d.get_hours()).unwrap_or(0),
            u8::try_from(d.get_minutes()).unwrap_or(0),
        )
    }

    pub fn print_window() {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    }

    fn performance() -> Option<web_sys::Performance> {
        web_sys::window().and_then(|w| w.performance())
    }

    pub fn perf_mark(name: &str) {
        if let Some(p) = performance() {
            let _ = p.mark(name);
        }
    }

    pub fn perf_measure(name: &str, start: &str, end: &str) {
        if let Some(p) = performance() {
            let _ = p.measure_with_start_mark_and_end_mark(name, start, end);
        }
    }

    pub fn capture_pointer(event: &yew::PointerEvent) {
        if let Some(el) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) {
            let _ = el.set_pointer_capture(event.pointer_id());
        }
    }

    pub struct CopyListener {
        callback: Closure<dyn Fn(web_sys::Event)>,
    }

    impl CopyListener {
        pub fn new(node: NodeRef, text: impl Fn() -> Option<String> + 'static) -> Self {
            let callback: Closure<dyn Fn(web_sys::Event)> =
                Closure::new(move |event: web_sys::Event| {
                    let focused = web_sys::window()
                        .and_then(|w| w.document())
                        .and_then(|d| d.active_element());
                    let inside = match (node.cast::<web_sys::Node>(), focused) {
                        (Some(el), Some(f)) => el.contains(Some(&f)),
                        _ => false,
                    };
                    if !inside {
                        return;
                    }
                    let data = event
                        .dyn_ref::<web_sys::ClipboardEvent>()
                        .and_then(web_sys::ClipboardEvent::clipboard_data);
                    if let (Some(data), Some(text)) = (data, text()) {
                        if data.set_data("text/plain", &text).is_ok() {
                            event.prevent_default();
                        }
                    }
                });
            if let Some(w) = web_sys::window() {
                let _ =
                    w.add_event_listener_with_callback("copy", callback.as_ref().unchecked_ref());
            }
            Self { callback }
        }
    }

    impl Drop for CopyListener {
        fn drop(&mut self) {
            if let Some(w) = web_sys::window() {
                let _ = w.remove_event_listener_with_callback(
                    "copy",
                    self.callback.as_ref().unchecked_ref(),
                );
            }
        }
    }

    pub struct WindowListener {
        event: &'static str,
        callback: Closure<dyn Fn()>,
    }

    impl WindowListener {
        pub fn new(event: &'static str, on_event: impl Fn() + 'static) -> Self {
            let callback: Closure<dyn Fn()> = Closure::new(on_event);
            if let Some(w) = web_sys::window() {
                let _ =
                    w.add_event_listener_with_callback(event, callback.as_ref().unchecked_ref());
            }
            Self { event, callback }
        }
    }

    impl Drop for WindowListener {
        fn drop(&mut self) {
            if let Some(w) = web_sys::window() {
                let _ = w.remove_event_listener_with_callback(
                    self.event,
                    self.callback.as_ref().unchecked_ref(),
                );
            }
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use yew::NodeRef;

    use super::ScrollMetrics;

    pub fn scroll_metrics(_: &NodeRef) -> Option<ScrollMetrics> {
        None
    }

    pub fn scroll_row_into_view(_: &NodeRef, _: usize, _: f64) {}

    pub fn focus_row(_: &NodeRef, _: usize) -> bool {
        false
    }

    pub fn focus_node(_: &NodeRef) {}

    pub fn click_row_link(_: &NodeRef, _: usize) {}

    pub fn close_details(_: &NodeRef) {}

    pub fn focus_leaves(_: &NodeRef, _: &yew::FocusEvent) -> bool {
        false
    }

    pub fn download_text(_: &str, _: &str, _: &str) {}

    pub fn download(_: &wasm_bindgen::JsValue, _: &str, _: &str) {}

    pub fn today_iso() -> String {
        "1970-01-01".to_string()
    }

    pub fn unix_now_s() -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
    }

    /// UTC outside the browser (only tests render this).
    pub fn local_hour_minute(unix_seconds: f64) -> (u8, u8) {
        let secs = unix_seconds.max(0.0) as u64 % 86_400;
        (
            u8::try_from(secs / 3600).unwrap_or(0),
            u8::try_from(secs % 3600 / 60).unwrap_or(0),
        )
    }

    pub fn print_window() {}

    pub fn perf_mark(_: &str) {}

    pub fn perf_measure(_: &str, _: &str, _: &str) {}

    pub fn capture_pointer(_: &yew::PointerEvent) {}

    pub struct CopyListener;

    impl CopyListener {
        pub fn new(_: NodeRef, _: impl Fn() -> Option<String> + 'static) -> Self {
            Self
        }
    }

    pub struct WindowListener;

    impl WindowListener {
        pub fn new(_: &'static str, _: impl Fn() + 'static) -> Self {
            Self
        }
    }
}
