//! `<EmptyState>`: what to say when the table has nothing to show, and what to do.

use yew::prelude::*;

/// Props of [`EmptyState`].
#[derive(Properties, PartialEq)]
pub struct EmptyStateProps {
    /// The headline.
    pub title: AttrValue,
    /// What the user can do.
    pub hint: AttrValue,
    /// A button text, if there is an action.
    #[prop_or_default]
    pub action: Option<AttrValue>,
    /// The action button was pressed.
    #[prop_or_default]
    pub onaction: Callback<()>,
}

/// A centred message with an optional action button.
#[component]
pub fn EmptyState(props: &EmptyStateProps) -> Html {
    let onclick = {
        let onaction = props.onaction.clone();
        Callback::from(move |_: MouseEvent| onaction.emit(()))
    };
    html! {
        <div class="empty-state" data-testid="empty-state" role="status">
            <p class="empty-title">{ props.title.clone() }</p>
            <p class="empty-hint">{ props.hint.clone() }</p>
            if let Some(action) = &props.action {
                <button type="button" class="button button-primary" {onclick}>{ action.clone() }</button>
            }
        </div>
    }
}
