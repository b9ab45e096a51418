//! `empty_state`: what to say when the table has nothing to show, and what to do (view helper).

use yew::prelude::*;

use crate::components::labels;

/// A centred headline, a hint and an optional action button (`label`, `onaction`).
pub fn empty_state(
    title: &'static str,
    hint: &'static str,
    action: Option<(&'static str, Callback<()>)>,
) -> Html {
    html! {
        <div class="empty-state" data-testid="empty-state" role="status">
            <p class="empty-title">{ title }</p>
            <p class="empty-hint">{ hint }</p>
            if let Some((label, onaction)) = action {
                <button type="button" class="button button-primary"
                    onclick={labels::click_emits(&onaction)}>{ label }</button>
            }
        </div>
    }
}
