//! `use_print_mode`: whether the page is being printed (Print button or the browser's own
//! print command), so the view can render its print-only content.

use yew::prelude::*;

use crate::hooks::dom;
use crate::hooks::use_value::use_value;

/// The print state and the Print action.
#[derive(Clone)]
pub struct UsePrintModeHandle {
    /// True while printing (render the print view).
    pub printing: bool,
    /// Renders the print view, then opens the browser's print dialog.
    pub print: Callback<()>,
}

/// Tracks `beforeprint`/`afterprint` and offers a Print action.
#[hook]
pub fn use_print_mode() -> UsePrintModeHandle {
    let by_browser = use_value(|| false);
    let requested = use_value(|| false);
    {
        let setter = by_browser.clone();
        use_effect_with((), move |_| {
            let listener = dom::PrintListener::new(move |on| setter.set(on));
            move || {
                let _stop_listening = listener;
            }
        });
    }
    {
        let requested = requested.clone();
        use_effect_with(requested.get(), move |on| {
            if *on {
                // The print view is in the DOM now; `print()` blocks until the dialog closes.
                dom::print_window();
                requested.set(false);
            }
        });
    }
    let print = {
        let requested = requested.clone();
        Callback::from(move |()| requested.set(true))
    };
    UsePrintModeHandle {
        printing: by_browser.get() || requested.get(),
        print,
    }
}
