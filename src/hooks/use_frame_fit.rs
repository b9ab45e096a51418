//! `use_frame_fit`: inside Bitrix24, keeps the portal's frame as tall as the app's content
//! (no inner scrollbar), both ways.
//!
//! Checked on a short timer: the height also changes inside child components (filters,
//! grouping, the streamed table), not only when the report renders.

use gloo::timers::callback::Interval;
use yew::prelude::*;

use crate::bx24;

/// How often the content height is checked, in ms.
const CHECK_EVERY_MS: u32 = 300;

/// While `enabled` (inside a portal frame), fits the frame to the content every
/// [`CHECK_EVERY_MS`].
#[hook]
pub fn use_frame_fit(enabled: bool) {
    use_effect_with(enabled, move |enabled| {
        let mut fit = FrameFit::default();
        let interval = enabled.then(|| Interval::new(CHECK_EVERY_MS, move || fit.tick()));
        move || drop(interval)
    });
}

/// What to ask the portal on a tick of the frame-fitting timer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FitStep {
    /// Nothing changed.
    Wait,
    /// `BX24.fitWindow()`: full width, the content's height.
    Fit,
    /// `BX24.resizeWindow(width, h)`: the content got shorter than the frame.
    Shrink(u32),
}

/// Keeps the portal's frame as tall as the content, both ways. `BX24.fitWindow` alone only
/// grows the frame: it sends the document's scroll height, which is never less than the
/// frame's own height. So a shorter content is sent with `resizeWindow` (exact height; the
/// width in px, unchanged), and the next tick puts `fitWindow`'s full width back.
#[derive(Debug, Default)]
struct FrameFit {
    /// The content height last sent.
    sent: i32,
    /// A `resizeWindow` went out: follow it with `fitWindow` once the frame has that height.
    width_pending: bool,
}

impl FrameFit {
    /// Measures the page and asks the portal for what [`FrameFit::next`] says.
    fn tick(&mut self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let content = window
            .document()
            .and_then(|d| d.body())
            .map(|b| b.scroll_height())
            .unwrap_or(0);
        let px =
            |v: Result<wasm_bindgen::JsValue, _>| v.ok().and_then(|h| h.as_f64()).unwrap_or(0.0);
        let viewport = px(window.inner_height()) as i32;
        let width = px(window.inner_width()) as u32;
        match self.next(content, viewport) {
            FitStep::Wait => {}
            FitStep::Fit => {
                bx24::fit_window().ok();
            }
            FitStep::Shrink(height) => {
                bx24::resize_window(width, height).ok();
            }
        }
    }

    /// The step for the body's content height and the frame's (viewport) height.
    fn next(&mut self, content: i32, viewport: i32) -> FitStep {
        if content <= 0 {
            return FitStep::Wait;
        }
        if content < viewport - 2 {
            if self.sent == content && self.width_pending {
                // Already asked; the portal has not applied it yet.
                return FitStep::Wait;
            }
            self.sent = content;
            self.width_pending = true;
            return FitStep::Shrink(u32::try_from(content).unwrap_or(0));
        }
        if content != self.sent || self.width_pending {
            self.sent = content;
            self.width_pending = false;
            return FitStep::Fit;
        }
        FitStep::Wait
    }
}

#[cfg(test)]
mod tests {
    use super::{FitStep, FrameFit};

    #[test]
    fn grows_with_fit_window_and_shrinks_with_resize_then_restores_full_width() {
        let mut fit = FrameFit::default();
        // First content taller than the frame: fitWindow.
        assert_eq!(fit.next(1662, 900), FitStep::Fit);
        // The portal applied it: nothing more to do.
        assert_eq!(fit.next(1662, 1662), FitStep::Wait);
        // The content got shorter: the exact height with resizeWindow (fitWindow cannot shrink).
        assert_eq!(fit.next(1597, 1662), FitStep::Shrink(1597));
        // Not applied yet on the next tick: wait, don't resend.
        assert_eq!(fit.next(1597, 1662), FitStep::Wait);
        // Applied: fitWindow once, to give the frame its full width back.
        assert_eq!(fit.next(1597, 1597), FitStep::Fit);
        assert_eq!(fit.next(1597, 1597), FitStep::Wait);
        // Growing again is fitWindow's job.
        assert_eq!(fit.next(1800, 1597), FitStep::Fit);
        // A short first content (below the portal's default frame height) shrinks the frame.
        let mut fresh = FrameFit::default();
        assert_eq!(fresh.next(713, 900), FitStep::Shrink(713));
    }
}
