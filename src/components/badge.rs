//! `badge`: a coloured label (status, priority, meta status); the text always says it.
//! A view helper rather than a component: a table window holds hundreds of badges.

use yew::prelude::*;

/// A badge with `label`, coloured by `tone` (`primary`, `success`, `warning`, `alert`, `info`,
/// `grey`, `muted`, `outline`).
pub fn badge(label: impl Into<AttrValue>, tone: &'static str) -> Html {
    html! {
        <span class={badge_class(tone)}>{ label.into() }</span>
    }
}

/// The CSS classes of a badge of `tone`.
fn badge_class(tone: &'static str) -> &'static str {
    match tone {
        "primary" => "badge tone-primary",
        "success" => "badge tone-success",
        "warning" => "badge tone-warning",
        "alert" => "badge tone-alert",
        "info" => "badge tone-info",
        "grey" => "badge tone-grey",
        "muted" => "badge tone-muted",
        _ => "badge tone-outline",
    }
}
