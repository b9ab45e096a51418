//! `<SkeletonState>`: placeholder blocks with a status text while there is nothing to show yet.

use yew::prelude::*;

/// Props of [`SkeletonState`].
#[derive(Properties, PartialEq)]
pub struct SkeletonStateProps {
    /// What is happening ("Connecting to Bitrix24…").
    pub text: AttrValue,
    /// Placeholder lines.
    #[prop_or(6)]
    pub lines: usize,
}

/// A skeleton (shimmering lines) with a visible status text.
#[component]
pub fn SkeletonState(props: &SkeletonStateProps) -> Html {
    html! {
        <div class="skeleton-state" data-testid="skeleton">
            <p class="skeleton-text" role="status">{ props.text.clone() }</p>
            <div class="skeleton-lines" aria-hidden="true">
                for i in 0..props.lines {
                    <div key={i} class="skeleton-line"></div>
                }
            </div>
        </div>
    }
}
