//! `report_footer`: load notices, a failed save of the view, and, when done, the load
//! statistics (view helper).

use yew::prelude::*;

use crate::components::labels;
use crate::i18n::{self, Lang, Msg};
use crate::report::loader::LoadNotice;
use crate::state::LoadStatus;

/// The footer lines: the `notices` collected during loading, one line when the view could not
/// be saved (`view_unsaved`), and the statistics of a done load (`status`).
pub fn report_footer(
    notices: &[LoadNotice],
    status: &LoadStatus,
    view_unsaved: bool,
    lang: Lang,
) -> Html {
    let mut lines = labels::notice_lines(lang, notices);
    if view_unsaved {
        lines.push(i18n::t(lang, Msg::ViewNotSaved).to_string());
    }
    let stats = match status {
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
