//! `<SearchBox>`: the search field; reports the text ~200 ms after typing stops.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::hooks::use_debounce::use_debounce;
use crate::i18n::{self, Lang, Msg};

/// Debounce delay of the search, in ms.
pub const SEARCH_DEBOUNCE_MS: u32 = 200;

/// Props of [`SearchBox`].
#[derive(Properties, PartialEq)]
pub struct SearchBoxProps {
    /// The search the table applies now.
    pub value: AttrValue,
    /// The UI language.
    pub lang: Lang,
    /// The settled search text.
    pub onsearch: Callback<String>,
}

/// A debounced search input (Escape clears it).
#[component]
pub fn SearchBox(props: &SearchBoxProps) -> Html {
    let lang = props.lang;
    // The text in the field; typing re-renders through `redraw`.
    let text: Rc<RefCell<String>> = use_mut_ref(|| props.value.to_string());
    let redraw = use_force_update();
    // The last value sent or adopted: a prop change that differs from it came from outside
    // (clear filters, a counter click, a restored view) and replaces the typed text.
    let last: Rc<RefCell<String>> = use_mut_ref(|| props.value.to_string());
    let debounced = {
        let (onsearch, last) = (props.onsearch.clone(), last.clone());
        use_debounce(
            Callback::from(move |value: String| {
                *last.borrow_mut() = value.clone();
                onsearch.emit(value);
            }),
            SEARCH_DEBOUNCE_MS,
        )
    };
    // The last `value` prop seen: only a change of the prop is considered. Checked while
    // rendering, not in an effect: Yew may run a render's effects only after the next render
    // (it yields to the browser between the two), and an effect would then miss the first of
    // two quick prop changes (the search applied, then cleared by a counter click).
    let seen_prop = use_mut_ref(|| props.value.clone());
    if *seen_prop.borrow() != props.value {
        *seen_prop.borrow_mut() = props.value.clone();
        if *last.borrow() != props.value.as_str() {
            debounced.cancel();
            *last.borrow_mut() = props.value.to_string();
            *text.borrow_mut() = props.value.to_string();
        }
    }
    let oninput = {
        let (text, redraw, debounced) = (text.clone(), redraw.clone(), debounced.clone());
        Callback::from(move |e: InputEvent| {
            let value = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value();
            *text.borrow_mut() = value.clone();
            redraw.force_update();
            debounced.run(value);
        })
    };
    let onkeydown = {
        let (text, redraw, debounced) = (text.clone(), redraw, debounced.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" && !text.borrow().is_empty() {
                e.prevent_default();
                text.borrow_mut().clear();
                redraw.force_update();
                debounced.run(String::new());
            }
        })
    };
    let value = text.borrow().clone();
    html! {
        <div class="search">
            <input type="search" class="input" data-testid="search"
                aria-label={i18n::t(lang, Msg::Search)}
                placeholder={i18n::t(lang, Msg::SearchPlaceholder)}
                {value} {oninput} {onkeydown} />
        </div>
    }
}
