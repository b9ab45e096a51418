//! `load_status_bar`: how loading goes — progress bar, requests, waits, cancel, and the
//! cancelled (partial) state with Retry (view helper).

use yew::prelude::*;

use crate::components::labels;
use crate::i18n::{self, Lang, Msg};
use crate::state::LoadStatus;

/// A running load (requests going out, or waiting between them): the progress bar, then
/// "loaded of total" with `detail` after it, and the cancel button.
fn running(lang: Lang, loaded: usize, total: Option<usize>, detail: Html, cancel: Html) -> Html {
    html! {
        <>
            { progress(lang, loaded, total) }
            <div class="status-row">
                <p class="status-line">
                    { i18n::loading_progress(lang, loaded as u64, total.map(|t| t as u64)) }
                    { detail }
                </p>
                { cancel }
            </div>
        </>
    }
}

/// The progress bar: determinate when the total is known.
fn progress(lang: Lang, loaded: usize, total: Option<usize>) -> Html {
    let text = match total {
        Some(t) => format!(
            "{} / {}",
            i18n::format_number(lang, loaded as u64),
            i18n::format_number(lang, t as u64)
        ),
        None => i18n::format_number(lang, loaded as u64),
    };
    let pct = total.filter(|&t| t > 0).map(|t| loaded.min(t) * 100 / t);
    html! {
        <div class={labels::class_with("progress", pct.is_none().then_some("is-indeterminate"))}
            role="progressbar" aria-label={i18n::t(lang, Msg::LoadProgress)}
            aria-valuemin="0"
            aria-valuemax={total.map(|t| t.to_string())}
            aria-valuenow={total.map(|_| loaded.to_string())}
            aria-valuetext={text}>
            <div class="progress-fill" style={pct.map(|p| format!("width:{p}%"))}></div>
        </div>
    }
}

/// The load status region (`data-testid="load-status"`) for `status`: Cancel emits
/// `oncancel`, Retry (after a cancel) `onretry`.
pub fn load_status_bar(
    status: &LoadStatus,
    lang: Lang,
    oncancel: &Callback<()>,
    onretry: &Callback<()>,
) -> Html {
    let cancel = html! {
        <button type="button" class="button" data-testid="cancel"
            onclick={labels::click_emits(oncancel)}>
            { i18n::t(lang, Msg::Cancel) }
        </button>
    };
    let requests = |n: u32| {
        labels::fill(
            lang,
            Msg::RequestsCount,
            &[("n", &i18n::format_number(lang, u64::from(n)))],
        )
    };
    let (state, body) = match status {
        LoadStatus::Connecting => (
            "connecting",
            html! {
                <p class="status-line"><span class="spinner" aria-hidden="true"></span>{ i18n::t(lang, Msg::Connecting) }</p>
            },
        ),
        LoadStatus::Loading {
            loaded,
            total,
            requests: n,
        } => (
            "loading",
            running(
                lang,
                *loaded,
                *total,
                html! {
                    <>
                        <span class="status-sep" aria-hidden="true">{ " · " }</span>
                        { requests(*n) }
                    </>
                },
                cancel,
            ),
        ),
        LoadStatus::Waiting {
            loaded,
            total,
            reason,
            ms,
        } => (
            "waiting",
            running(
                lang,
                *loaded,
                *total,
                html! {
                    if let Some(why) = labels::wait_text(lang, reason, *ms) {
                        <span class="wait-reason">{ why }</span>
                    }
                },
                cancel,
            ),
        ),
        LoadStatus::Cancelled { loaded, total } => {
            let count = match total {
                Some(t) => i18n::n_of_m_tasks(lang, *loaded as u64, *t as u64),
                None => i18n::tasks_count(lang, *loaded as u64),
            };
            (
                "cancelled",
                html! {
                    <div class="notice notice-warning" data-testid="partial">
                        <p>{ i18n::t(lang, Msg::LoadCancelled) }</p>
                        <p>{ labels::fill(lang, Msg::PartialReport, &[("count", &count)]) }</p>
                        <button type="button" class="button button-primary" data-testid="retry"
                            onclick={labels::click_emits(onretry)}>
                            { i18n::t(lang, Msg::Retry) }
                        </button>
                    </div>
                },
            )
        }
        LoadStatus::Refreshing { as_of, .. } if cfg!(feature = "snapshot") => (
            "refreshing",
            html! {
                <div class="status-row">
                    <p class="status-line" data-testid="as-of">
                        <span class="spinner" aria-hidden="true"></span>
                        { labels::fill(lang, Msg::SnapshotAsOf, &[("time", as_of)]) }
                    </p>
                    { cancel }
                </div>
            },
        ),
        LoadStatus::Done { .. } | LoadStatus::Refreshing { .. } => (
            "done",
            html! {
                <p class="sr-only">{ i18n::t(lang, Msg::LoadDone) }</p>
            },
        ),
        LoadStatus::Failed { .. } => ("failed", Html::default()),
    };
    html! {
        <div class={format!("load-status is-{state}")} data-testid="load-status"
            data-state={state}>
            { body }
        </div>
    }
}
