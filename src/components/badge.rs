//! `badge`: a coloured label (status, priority, meta status); the text always says it.
//! A view helper rather than a component: a table window holds hundreds of badges.

use yew::prelude::*;

/// A badge with `label`, coloured by `tone` (`primary`, `success`, `warning`, `alert`, `info`,
/// `grey`, `muted`, `outline`).
pub fn badge(label: impl Into<AttrValue>, tone: &'static str) -> Html {
    html! {
        <span class={classes!("badge", tone_class(tone))}>{ label.into() }</span>
    }
}

/// The CSS class of a tone.
fn tone_class(tone: &'static str) -> &'static str {
    match tone {
        "primary" => "tone-primary",
        "success" => "tone-success",
        "warning" => "tone-warning",
        "alert" => "tone-alert",
        "info" => "tone-info",
        "grey" => "tone-grey",
        "muted" => "tone-muted",
        _ => "tone-outline",
    }
}
