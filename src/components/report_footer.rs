//! `report_footer`: load notices, a failed save of the view, and, when done, the load
//! statistics (view helper).

use yew::prelude::*;

use crate::components::labels;
use crate::i18n::{self, Lang, Msg};
use crate::report::loader::LoadNotice;
use crate::state::LoadStatus;

/// The footer lines: the `notices` collected during loading, one line when the names of
/// people and projects could not be loaded (`names_failed`), one when the view could not be
/// saved (`view_unsaved`), and the statistics of a done load (`status`).
pub fn report_footer(
    notices: &[LoadNotice],
    status: &LoadStatus,
    view_unsaved: bool,
    names_failed: bool,
    lang: Lang,
) -> Html {
    let mut lines = labels::notice_lines(lang, notices);
    if names_failed {
        lines.push(i18n::t(lang, Msg::NoticeNamesFailed).to_string());
    }
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
            { since_last_visit(notices, lang) }
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

/// When tasks are gone since the last visit, a collapsed list of them (ID and last known
/// title) — after a reopen whose snapshot was brought up to date. (The new and changed ones
/// are a counter and a mark in the table.)
fn since_last_visit(notices: &[LoadNotice], lang: Lang) -> Html {
    if !cfg!(feature = "snapshot") {
        return Html::default();
    }
    let Some(gone) = notices.iter().rev().find_map(|n| match n {
        LoadNotice::SinceLastVisit { gone } => Some(gone),
        _ => None,
    }) else {
        return Html::default();
    };
    if gone.is_empty() {
        return Html::default();
    }
    let n = i18n::format_number(lang, gone.len() as u64);
    html! {
        <div class="since-visit" data-testid="since-visit">
            <details data-testid="since-visit-gone" data-count={gone.len().to_string()}>
                <summary>{ labels::fill(lang, Msg::SinceLastVisitGone, &[("n", &n)]) }</summary>
                <ul>
                    for (id, title) in gone.iter() {
                        <li key={id.0}>{ format!("#{} {}", id.0, title) }</li>
                    }
                </ul>
            </details>
        </div>
    }
}
