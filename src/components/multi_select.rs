//! `<MultiSelect>`: a checkbox dropdown (`<details>`) for one filter field, optionally with a
//! search field that narrows the list (people and projects: dozens of choices).

use std::rc::Rc;

use yew::prelude::*;

use crate::components::labels;
use crate::hooks::dom;
use crate::report::query::fold;

/// One choice of a [`MultiSelect`].
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    /// The text.
    pub label: AttrValue,
    /// Ticked.
    pub checked: bool,
}

/// Props of [`MultiSelect`].
#[derive(Properties, PartialEq)]
pub struct MultiSelectProps {
    /// The field's name (the button text).
    pub label: AttrValue,
    /// The choices.
    pub choices: Rc<[Choice]>,
    /// `data-testid`.
    pub testid: AttrValue,
    /// The choice at this index was ticked or unticked.
    pub ontoggle: Callback<usize>,
    /// The placeholder of a search field above the choices; none without one.
    #[prop_or_default]
    pub search: Option<AttrValue>,
}

/// A dropdown of checkboxes; Escape or tabbing out of it closes it.
#[component]
pub fn MultiSelect(props: &MultiSelectProps) -> Html {
    let node = use_node_ref();
    // The search text, folded (a ref and a redraw: no state type of its own).
    let needle = use_mut_ref(String::new);
    let redraw = use_force_update();
    let count = props.choices.iter().filter(|c| c.checked).count();
    let oninput = {
        let needle = needle.clone();
        Callback::from(move |e: InputEvent| {
            let value = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value();
            *needle.borrow_mut() = fold(&value);
            redraw.force_update();
        })
    };
    let needle = needle.borrow().clone();
    // Ticked choices stay listed whatever the search, so they can be unticked.
    let shown = |choice: &Choice| {
        needle.is_empty() || choice.checked || fold(&choice.label).contains(needle.as_str())
    };
    let onkeydown = {
        let node = node.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                dom::close_details(&node);
            }
        })
    };
    let onfocusout = {
        let node = node.clone();
        Callback::from(move |e: FocusEvent| {
            // Only when the focus moves to another control: closing while a click inside is
            // still being handled (focus briefly on nothing) would hide the clicked label.
            if dom::focus_leaves(&node, &e) {
                dom::close_details(&node);
            }
        })
    };
    html! {
        <details class={labels::class_with("dropdown", (count > 0).then_some("is-active"))} ref={node}
            data-testid={props.testid.clone()} {onkeydown} {onfocusout}>
            <summary class="button">
                { props.label.clone() }
                if count > 0 {
                    <span class="dropdown-count">{ count }</span>
                }
            </summary>
            <div class="dropdown-panel" role="group" tabindex="-1" aria-label={props.label.clone()}>
                if let Some(placeholder) = props.search.clone() {
                    <input type="search" class="input dropdown-search"
                        data-testid={format!("{}-search", props.testid)}
                        aria-label={placeholder.clone()} {placeholder} {oninput} />
                }
                for (i, choice) in props.choices.iter().enumerate().filter(|(_, c)| shown(c)) {
                    {{
                        let onchange = {
                            let ontoggle = props.ontoggle.clone();
                            Callback::from(move |_: Event| ontoggle.emit(i))
                        };
                        html! {
                            <label class="check" key={i}>
                                <input type="checkbox" checked={choice.checked} {onchange} />
                                <span>{ choice.label.clone() }</span>
                            </label>
                        }
                    }}
                }
            </div>
        </details>
    }
}
