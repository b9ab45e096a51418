//! Text helpers of the view: message templates with `{name}` placeholders, tones of badges,
//! class lists, the translated load error, wait reasons and notices; and the shared click
//! callback of plain buttons. No state, no browser calls except the local clock via
//! [`crate::hooks::dom`].

use yew::AttrValue;

use crate::hooks::dom;
use crate::i18n::{self, Lang, Msg};
use crate::report::load_error::{LoadError, LoadErrorKind};
use crate::report::loader::LoadNotice;
use crate::report::retry::WaitReason;
use crate::report::task::{MetaStatus, Priority, RealStatus, Task};
use crate::state::SourceKind;

/// A `class` value: `base`, then `extra` when there is one. A plain string rather than
/// `classes!` (whose set type and conversions cost wasm for no gain here).
pub fn class_with(base: &'static str, extra: Option<&'static str>) -> AttrValue {
    match extra {
        Some(extra) => AttrValue::from(format!("{base} {extra}")),
        None => AttrValue::Static(base),
    }
}

/// An `onclick` that emits `cb` (one shared closure type for all such buttons).
pub fn click_emits(cb: &yew::Callback<()>) -> yew::Callback<yew::MouseEvent> {
    cb.reform(|_| ())
}

/// The text of `key` with each `{name}` replaced by its value.
pub fn fill(lang: Lang, key: Msg, args: &[(&str, &str)]) -> String {
    let mut text = i18n::t(lang, key).to_string();
    for (name, value) in args {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

/// A duration in seconds with one decimal, in the language's decimal mark (`3.2` / `3,2`).
pub fn seconds(lang: Lang, ms: u32) -> String {
    // Integer arithmetic: no float formatting code in the wasm.
    let tenths = (ms + 50) / 100;
    let mark = match lang {
        Lang::En => '.',
        Lang::Ru | Lang::Ua | Lang::De => ',',
    };
    format!("{}{mark}{}", tenths / 10, tenths % 10)
}

/// The colour tone (CSS class suffix) of a real status badge.
pub fn status_tone(status: &RealStatus) -> &'static str {
    match status {
        RealStatus::New => "info",
        RealStatus::Pending => "grey",
        RealStatus::InProgress => "primary",
        RealStatus::SupposedlyCompleted => "warning",
        RealStatus::Completed => "success",
        RealStatus::Deferred | RealStatus::Declined => "muted",
        RealStatus::Unknown(_) => "outline",
    }
}

/// The colour tone of a meta status badge.
pub fn meta_tone(meta: MetaStatus) -> &'static str {
    match meta {
        MetaStatus::Overdue => "alert",
        MetaStatus::AlmostOverdue => "warning",
        MetaStatus::Unviewed => "info",
    }
}

/// The colour tone of a priority badge.
pub fn priority_tone(priority: &Priority) -> &'static str {
    match priority {
        Priority::High => "alert",
        Priority::Medium => "grey",
        Priority::Low => "muted",
        Priority::Unknown(_) => "outline",
    }
}

/// "Data from portal.bitrix24.ru", "Preview — demo data", …
pub fn source_text(lang: Lang, source: &SourceKind) -> String {
    match source {
        SourceKind::Portal { domain } => fill(lang, Msg::SourcePortal, &[("domain", domain)]),
        SourceKind::Demo { .. } => i18n::t(lang, Msg::SourceDemo).to_string(),
        SourceKind::Webhook { domain } => fill(lang, Msg::SourceWebhook, &[("domain", domain)]),
    }
}

/// `HH:MM` local time of a Unix time in seconds.
pub fn local_time(unix_seconds: f64) -> String {
    let (h, m) = dom::local_hour_minute(unix_seconds);
    format!("{h:02}:{m:02}")
}

/// The translated, actionable message of a load error kind.
/// `webhook`: the data comes through an incoming webhook (the fixes differ from an app's).
pub fn error_message(lang: Lang, kind: &LoadErrorKind, webhook: bool) -> String {
    let key = match kind {
        LoadErrorKind::MissingScope if webhook => Msg::ErrWebhookMissingScope,
        LoadErrorKind::AuthFailed if webhook => Msg::ErrWebhookAuthFailed,
        LoadErrorKind::MissingScope => Msg::ErrMissingScope,
        LoadErrorKind::AccessDenied => Msg::ErrAccessDenied,
        LoadErrorKind::AuthFailed => Msg::ErrAuthFailed,
        LoadErrorKind::RateLimited => Msg::ErrRateLimitedStop,
        LoadErrorKind::OperationLimit { .. } => Msg::ErrOperationLimitStop,
        LoadErrorKind::Network => Msg::ErrNetwork,
        LoadErrorKind::Timeout => Msg::ErrTimeout,
        LoadErrorKind::TooLarge => Msg::ErrTooLarge,
        LoadErrorKind::Server(_) => Msg::ErrServer,
        LoadErrorKind::BadAnswer => Msg::ErrBadAnswer,
        LoadErrorKind::MethodUnavailable => Msg::ErrNoTaskMethod,
        LoadErrorKind::Unavailable => Msg::ErrUnavailable,
        LoadErrorKind::Other(_) => Msg::ErrOther,
    };
    let text = i18n::t(lang, key);
    match kind {
        LoadErrorKind::OperationLimit { reset_at } => {
            let when = match reset_at {
                Some(at) => fill(lang, Msg::TryAfter, &[("time", &local_time(*at))]),
                None => i18n::t(lang, Msg::TryLater).to_string(),
            };
            format!("{text} {when}")
        }
        _ => text.to_string(),
    }
}

/// The portal's code and description for the details line (empty when unknown).
pub fn error_details(error: &LoadError) -> String {
    error.details()
}

/// Why the loader waits, for the status line; `None` for plain pacing.
pub fn wait_text(lang: Lang, reason: &WaitReason, ms: u32) -> Option<String> {
    match reason {
        WaitReason::Pacing => None,
        WaitReason::QueryLimit { .. } => Some(i18n::t(lang, Msg::ErrRateLimited).to_string()),
        WaitReason::OperationLimit { reset_at } => Some(match reset_at {
            Some(at) => {
                let (h, m) = dom::local_hour_minute(*at);
                i18n::operation_limit_until(lang, h, m)
            }
            None => i18n::t(lang, Msg::ErrOperationLimit).to_string(),
        }),
        WaitReason::Retry { kind, .. } => {
            let secs = ms.div_ceil(1000).max(1);
            let cause = match kind {
                LoadErrorKind::Network => i18n::t(lang, Msg::ErrNetwork),
                LoadErrorKind::Timeout => i18n::t(lang, Msg::ErrTimeout),
                LoadErrorKind::Server(_) => i18n::t(lang, Msg::ErrServer),
                LoadErrorKind::BadAnswer => i18n::t(lang, Msg::ErrBadAnswer),
                _ => "",
            };
            let retry = i18n::retry_in(lang, secs);
            Some(if cause.is_empty() {
                retry
            } else {
                format!("{cause} {retry}")
            })
        }
    }
}

/// The footer lines for the load notices: repeated notices of one kind are summed.
pub fn notice_lines(lang: Lang, notices: &[LoadNotice]) -> Vec<String> {
    let mut fallback: Option<(&str, &str)> = None;
    let mut malformed = 0usize;
    let mut example: Option<&str> = None;
    let mut duplicates = 0usize;
    let mut mismatch: Option<(usize, usize)> = None;
    let mut reduced: Option<u32> = None;
    let mut unavailable = false;
    for notice in notices {
        match notice {
            LoadNotice::MethodFallback { from, to } => fallback = Some((from, to)),
            LoadNotice::MalformedRows { count, example: e } => {
                malformed += count;
                example.get_or_insert(e.as_str());
            }
            LoadNotice::DuplicatesDropped { count } => duplicates += count,
            LoadNotice::TotalMismatch { announced, loaded } => {
                mismatch = Some((*announced, *loaded));
            }
            LoadNotice::BatchReduced { commands } => {
                reduced = Some(reduced.map_or(*commands, |r| r.min(*commands)));
            }
            LoadNotice::SnapshotUnavailable => unavailable = true,
            // The footer shows it as its own panel (`report_footer::since_last_visit`).
            LoadNotice::SinceLastVisit { .. } => {}
        }
    }
    let mut lines = Vec::new();
    if let Some((from, to)) = fallback {
        lines.push(fill(
            lang,
            Msg::NoticeMethodFallback,
            &[("from", from), ("to", to)],
        ));
    }
    let number = |n: usize| i18n::format_number(lang, n as u64);
    if malformed > 0 {
        lines.push(fill(
            lang,
            Msg::NoticeMalformed,
            &[
                ("n", &number(malformed)),
                ("example", example.unwrap_or("—")),
            ],
        ));
    }
    if duplicates > 0 {
        lines.push(fill(
            lang,
            Msg::NoticeDuplicates,
            &[("n", &number(duplicates))],
        ));
    }
    if let Some((announced, loaded)) = mismatch {
        lines.push(fill(
            lang,
            Msg::NoticeTotalMismatch,
            &[
                ("announced", &number(announced)),
                ("loaded", &number(loaded)),
            ],
        ));
    }
    if let Some(commands) = reduced {
        lines.push(fill(
            lang,
            Msg::NoticeBatchReduced,
            &[("n", &number(commands as usize))],
        ));
    }
    if unavailable {
        lines.push(i18n::t(lang, Msg::SnapshotUnavailable).to_string());
    }
    lines
}

/// The plain link to a task in the portal, if the portal's URL and the task's page path
/// ([`Task::view_path`]) are known.
pub fn task_url(portal_url: Option<&str>, task: &Task) -> Option<String> {
    let base = portal_url?.trim_end_matches('/');
    let path = task.view_path()?;
    (!base.is_empty()).then(|| format!("{base}{path}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::task::test_task;

    #[test]
    fn templates_and_numbers() {
        assert_eq!(
            fill(Lang::En, Msg::RequestsCount, &[("n", "12")]),
            "Requests: 12"
        );
        assert_eq!(seconds(Lang::Ru, 3_250), "3,3");
        assert_eq!(seconds(Lang::De, 49), "0,0");
        assert_eq!(seconds(Lang::En, 12_000), "12.0");
        let task = test_task(7, "t", "1", "2", None).with_responsible(Some(12));
        assert_eq!(
            task_url(Some("https://b24.example.com/"), &task).as_deref(),
            Some("https://b24.example.com/company/personal/user/12/tasks/task/view/7/")
        );
        assert_eq!(task_url(None, &task), None);
        // No responsible in the row: no made-up path (never user 0).
        let nobody = test_task(7, "t", "1", "2", None).with_responsible(Some(0));
        assert_eq!(task_url(Some("https://b24.example.com/"), &nobody), None);
    }

    #[test]
    fn notices_are_summed() {
        let lines = notice_lines(
            Lang::En,
            &[
                LoadNotice::MethodFallback {
                    from: "task.item.list",
                    to: "tasks.task.list",
                },
                LoadNotice::DuplicatesDropped { count: 2 },
                LoadNotice::DuplicatesDropped { count: 3 },
                LoadNotice::MalformedRows {
                    count: 1,
                    example: "ID missing".into(),
                },
            ],
        );
        assert_eq!(
            lines,
            [
                "This portal no longer has task.item.list; tasks were loaded through tasks.task.list.",
                "Rows without a usable ID were left out: 1 (for example: ID missing).",
                "Duplicate rows dropped: 5."
            ]
        );
    }
}
