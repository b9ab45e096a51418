//! `<Badge>`: a coloured label (status, priority, meta status); the text always says it.

use yew::prelude::*;

/// Props of [`Badge`].
#[derive(Properties, PartialEq)]
pub struct BadgeProps {
    /// The text.
    pub label: AttrValue,
    /// Colour tone: `primary`, `success`, `warning`, `alert`, `info`, `grey`, `muted`, `outline`.
    pub tone: AttrValue,
}

/// A coloured badge with a text label.
#[component]
pub fn Badge(props: &BadgeProps) -> Html {
    html! {
        <span class={classes!("badge", format!("tone-{}", props.tone))}>{ props.label.clone() }</span>
    }
}
