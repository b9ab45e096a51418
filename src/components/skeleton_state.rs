//! `skeleton_state`: placeholder lines with a status text while there is nothing to show yet
//! (view helper).

use yew::prelude::*;

/// `lines` shimmering placeholder lines under a visible status `text`.
pub fn skeleton_state(text: &'static str, lines: usize) -> Html {
    html! {
        <div class="skeleton-state" data-testid="skeleton">
            <p class="skeleton-text" role="status">{ text }</p>
            <div class="skeleton-lines" aria-hidden="true">
                for i in 0..lines {
                    <div key={i} class="skeleton-line"></div>
                }
            </div>
        </div>
    }
}
