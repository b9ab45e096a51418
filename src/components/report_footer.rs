//! `<ReportFooter>`: load notices and, when done, the load statistics.

use yew::prelude::*;

use crate::components::labels;
use crate::i18n::{self, Lang, Msg};
use crate::state::{LoadStatus, Notices};

/// Props of [`ReportFooter`].
#[derive(Properties, PartialEq)]
pub struct ReportFooterProps {
    /// Notices collected during loading.
    pub notices: Notices,
    /// The load status.
    pub status: LoadStatus,
    /// The UI language.
    pub lang: Lang,
}

/// The footer lines.
#[component]
pub fn ReportFooter(props: &ReportFooterProps) -> Html {
    let lang = props.lang;
    let lines = labels::notice_lines(lang, &props.notices);
    let stats = match &props.status {
        LoadStatus::Done {
            loaded,
            requests,
            elapsed_ms,
        } => Some(labels::fill(
            lang,
            Msg::LoadStats,
            &[
                ("tasks", &i18n::tasks_count(lang, *loaded as u64)),
                ("secs", &labels::seconds(lang, *elapsed_ms)),
                ("requests", &i18n::format_number(lang, u64::from(*requests))),
            ],
        )),
        _ => None,
    };
    html! {
        <footer class="report-footer" data-testid="footer">
            if !lines.is_empty() {
                <ul class="notices" data-testid="notices">
                    for line in lines {
                        <li>{ line }</li>
                    }
                </ul>
            }
            if let Some(stats) = stats {
                <p class="load-stats" data-testid="load-stats">{ stats }</p>
            }
        </footer>
    }
}
