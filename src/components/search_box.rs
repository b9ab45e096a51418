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
    let text = use_state(|| props.value.to_string());
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
    // The last `value` prop seen: only a change of the prop is considered.
    let seen_prop = use_mut_ref(|| props.value.clone());
    {
        let (text, last, debounced) = (text.clone(), last.clone(), debounced.clone());
        let seen_prop = seen_prop.clone();
        use_effect_with(props.value.clone(), move |value| {
            if *seen_prop.borrow() != *value {
                *seen_prop.borrow_mut() = value.clone();
                if *last.borrow() != value.as_str() {
                    debounced.cancel();
                    *last.borrow_mut() = value.to_string();
                    text.set(value.to_string());
                }
            }
        });
    }
    let oninput = {
        let (text, debounced) = (text.clone(), debounced.clone());
        Callback::from(move |e: InputEvent| {
            let value = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value();
            text.set(value.clone());
            debounced.run(value);
        })
    };
    let onkeydown = {
        let (text, debounced) = (text.clone(), debounced.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" && !text.is_empty() {
                e.prevent_default();
                text.set(String::new());
                debounced.run(String::new());
            }
        })
    };
    html! {
        <div class="search">
            <input type="search" class="input" data-testid="search"
                aria-label={i18n::t(lang, Msg::Search)}
                placeholder={i18n::t(lang, Msg::SearchPlaceholder)}
                value={(*text).clone()} {oninput} {onkeydown} />
        </div>
    }
}
