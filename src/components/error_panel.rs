//! `error_panel`: why loading stopped (translated, actionable), the portal's code and text,
//! the partial-report note and Retry (view helper).

use yew::prelude::*;

use crate::components::labels;
use crate::i18n::{self, Lang, Msg};
use crate::report::load_error::LoadError;

/// What [`error_panel`] shows.
pub struct ErrorPanelProps<'a> {
    /// The error.
    pub error: &'a LoadError,
    /// Tasks loaded before it.
    pub loaded: usize,
    /// Tasks expected, if known.
    pub total: Option<usize>,
    /// The UI language.
    pub lang: Lang,
    /// True when the data comes through an incoming webhook (preview).
    pub webhook: bool,
    /// Resume loading.
    pub onretry: &'a Callback<()>,
}

/// An alert with the message, the details line and a Retry button.
pub fn error_panel(props: ErrorPanelProps<'_>) -> Html {
    let lang = props.lang;
    let details = labels::error_details(props.error);
    let partial = (props.loaded > 0).then(|| {
        let count = match props.total {
            Some(t) => i18n::n_of_m_tasks(lang, props.loaded as u64, t as u64),
            None => i18n::tasks_count(lang, props.loaded as u64),
        };
        labels::fill(lang, Msg::PartialReport, &[("count", &count)])
    });
    let onclick = labels::click_emits(props.onretry);
    html! {
        <div class="error-panel" role="alert" data-testid="error-panel">
            <p class="error-message">{ labels::error_message(lang, &props.error.kind, props.webhook) }</p>
            if let Some(partial) = partial {
                <p class="error-partial" data-testid="partial">{ partial }</p>
            }
            if !details.is_empty() {
                <p class="error-details">
                    <span class="details-label">{ i18n::t(lang, Msg::ErrorDetails) }{ ": " }</span>
                    <code>{ details }</code>
                </p>
            }
            <button type="button" class="button button-primary" data-testid="retry" {onclick}>
                { i18n::t(lang, Msg::Retry) }
            </button>
        </div>
    }
}
