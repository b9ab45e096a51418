//! Every UI string of the app in English, Russian, Ukrainian and German, plus number and
//! plural formatting.
//!
//! Fixed strings are [`Msg`] keys looked up with [`t`] in compile-time `&'static str` tables
//! (`i18n/messages.rs`); strings with arguments have their own functions
//! ([`tasks_count`], [`n_of_m_tasks`], [`loading_progress`], [`operation_limit_until`], …).
//! Labels of the portal's values come from [`status_label`], [`meta_label`] and
//! [`priority_label`]; EN and RU match the Bitrix24 UI (`docs/platform/task-list.md`,
//! "Priorities", "Statuses"), unknown values read "Unknown (N)".
//!
//! Pure: no browser imports; the language code comes from `BX24.getLang()` via the caller.

mod messages;

use std::borrow::Cow;

use crate::report::columns::{CellLabels, Column};
use crate::report::dates::{format_day, DateField, DatePreset, DeadlineBucket, PortalTime, Rel};
use crate::report::directory::Directory;
use crate::report::query::Preset;
use crate::report::summary::{Counter, Folded, GroupBy, GroupKey};
use crate::report::task::{GroupId, MetaStatus, Priority, RealStatus, UserId};

pub use messages::Msg;

/// A UI language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    /// English (also the fallback for every language without its own table).
    #[default]
    En,
    /// Russian (also used for `kz` and `by` portals).
    Ru,
    /// Ukrainian (Bitrix24 code `ua`).
    Ua,
    /// German.
    De,
}

impl Lang {
    /// Every language, in table order.
    pub const ALL: [Lang; 4] = [Self::En, Self::Ru, Self::Ua, Self::De];

    /// Maps a Bitrix24 language code (`BX24.getLang()`: `"en"`, `"ru"`, `"ua"`, `"de"`, `"kz"`,
    /// `"by"`, `"la"`, `"br"`, …) to a UI language: `kz` and `by` → Russian, `uk` (ISO) →
    /// Ukrainian, anything unknown or empty → English. Case and a region suffix (`ru-RU`,
    /// `de_DE`) are ignored.
    pub fn from_code(code: &str) -> Self {
        let code = code.trim();
        let base = code.split(['-', '_']).next().unwrap_or(code);
        match base.to_ascii_lowercase().as_str() {
            "ru" | "kz" | "by" | "be" | "kk" => Self::Ru,
            "ua" | "uk" => Self::Ua,
            "de" => Self::De,
            _ => Self::En,
        }
    }

    /// The Bitrix24 code of the language (`"en"`, `"ru"`, `"ua"`, `"de"`).
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Ru => "ru",
            Self::Ua => "ua",
            Self::De => "de",
        }
    }

    /// The BCP 47 tag for the HTML `lang` attribute (`"en"`, `"ru"`, `"uk"`, `"de"`).
    pub fn html_tag(self) -> &'static str {
        match self {
            Self::Ua => "uk",
            other => other.code(),
        }
    }
}

/// The text of a fixed UI string in `lang`.
pub fn t(lang: Lang, key: Msg) -> &'static str {
    let i = 4 * key as usize + lang as usize;
    let end = messages::ENDS.get(i).map_or(0, |&e| usize::from(e));
    let start = i
        .checked_sub(1)
        .and_then(|before| messages::ENDS.get(before))
        .map_or(0, |&e| usize::from(e));
    messages::TEXT.get(start..end).unwrap_or_default()
}

/// The name of a filter preset in `lang`.
pub fn preset_label(lang: Lang, preset: Preset) -> &'static str {
    t(
        lang,
        match preset {
            Preset::InProgress => Msg::PresetInProgress,
            Preset::Completed => Msg::PresetCompleted,
            Preset::Deferred => Msg::PresetDeferred,
            Preset::Overdue => Msg::PresetOverdue,
            Preset::AlmostOverdue => Msg::PresetAlmostOverdue,
        },
    )
}

/// The label of a counter in `lang`.
pub fn counter_label(lang: Lang, counter: Counter) -> &'static str {
    t(
        lang,
        match counter {
            Counter::Total => Msg::CounterTotal,
            Counter::InProgress => Msg::CounterInProgress,
            Counter::Overdue => Msg::CounterOverdue,
            Counter::AlmostOverdue => Msg::CounterAlmostOverdue,
            Counter::Unviewed => Msg::CounterUnviewed,
            Counter::AwaitingControl => Msg::CounterAwaitingControl,
            Counter::Completed => Msg::CounterCompleted,
            #[cfg(feature = "snapshot")]
            Counter::SinceVisit => Msg::SinceLastVisitChanged,
        },
    )
}

/// The menu label of a grouping in `lang`.
pub fn group_by_label(lang: Lang, group: GroupBy) -> &'static str {
    t(
        lang,
        match group {
            GroupBy::None => Msg::GroupNone,
            GroupBy::Status => Msg::GroupStatus,
            GroupBy::Priority => Msg::GroupPriority,
            GroupBy::Responsible => Msg::GroupResponsible,
            GroupBy::Creator => Msg::GroupCreator,
            GroupBy::Project => Msg::GroupProject,
            GroupBy::Deadline => Msg::GroupDeadline,
        },
    )
}

/// The name of a deadline bucket in `lang` ("Overdue", "Due this week", "No deadline", …).
pub fn deadline_bucket_label(lang: Lang, bucket: DeadlineBucket) -> &'static str {
    t(
        lang,
        match bucket {
            DeadlineBucket::Overdue => Msg::BucketOverdue,
            DeadlineBucket::Today => Msg::BucketToday,
            DeadlineBucket::ThisWeek => Msg::BucketThisWeek,
            DeadlineBucket::NextWeek => Msg::BucketNextWeek,
            DeadlineBucket::Later => Msg::BucketLater,
            DeadlineBucket::None => Msg::BucketNone,
        },
    )
}

/// The filter name of a date column ("Deadline", "Created", "Closed").
pub fn date_field_label(lang: Lang, field: DateField) -> &'static str {
    column_label(
        lang,
        match field {
            DateField::Deadline => Column::Deadline,
            DateField::Created => Column::Created,
            DateField::Closed => Column::Closed,
        },
    )
}

/// A date range's name: "This week", …; a custom range as its days ("2025-10-01 – 2025-10-31",
/// an open end as "…").
pub fn date_preset_label(lang: Lang, preset: DatePreset) -> String {
    let key = match preset {
        DatePreset::Today => Msg::DateToday,
        DatePreset::ThisWeek => Msg::DateThisWeek,
        DatePreset::LastWeek => Msg::DateLastWeek,
        DatePreset::ThisMonth => Msg::DateThisMonth,
        DatePreset::LastMonth => Msg::DateLastMonth,
        DatePreset::Custom {
            from: None,
            to: None,
        } => Msg::DateCustom,
        DatePreset::Custom { from, to } => {
            let mut text = from.map_or_else(|| "…".to_string(), format_day);
            text.push_str(" – ");
            text.push_str(&to.map_or_else(|| "…".to_string(), format_day));
            return text;
        }
    };
    t(lang, key).to_string()
}

/// A group's heading: "All tasks", a status or priority label, a person's or project's name
/// (or its "User #12" / "Project #12" fallback, "Not set" / "No project" for none), or a
/// deadline bucket.
pub fn group_label<'a>(labels: &'a ReportLabels<'_>, key: &GroupKey) -> Cow<'a, str> {
    let lang = labels.lang;
    match key {
        GroupKey::All => Cow::Borrowed(t(lang, Msg::CounterTotal)),
        GroupKey::Status(s) => status_label(lang, s),
        GroupKey::Priority(p) => priority_label(lang, p),
        GroupKey::Responsible(Some(id)) | GroupKey::Creator(Some(id)) => labels.person(*id),
        GroupKey::Responsible(None) | GroupKey::Creator(None) => {
            Cow::Borrowed(t(lang, Msg::NoPerson))
        }
        GroupKey::Project(Some(id)) => labels.project(*id),
        GroupKey::Project(None) => Cow::Borrowed(t(lang, Msg::NoProject)),
        GroupKey::Deadline(bucket) => Cow::Borrowed(deadline_bucket_label(lang, *bucket)),
    }
}

/// Picks the text for `lang` from an `[en, ru, ua, de]` row.
fn pick(lang: Lang, row: [&'static str; 4]) -> &'static str {
    row[lang as usize]
}

/// "Unknown (N)" in `lang`; just "Unknown" when the raw value is empty.
pub fn unknown_label(lang: Lang, raw: &str) -> String {
    let word = t(lang, Msg::UnknownValue);
    if raw.trim().is_empty() {
        word.to_string()
    } else {
        format!("{word} ({raw})")
    }
}

/// The label of a real status (1–7 as in the Bitrix24 UI; others "Unknown (N)").
pub fn status_label(lang: Lang, status: &RealStatus) -> Cow<'static, str> {
    let key = match status {
        RealStatus::New => Msg::StatusNew,
        RealStatus::Pending => Msg::StatusPending,
        RealStatus::InProgress => Msg::StatusInProgress,
        RealStatus::SupposedlyCompleted => Msg::StatusSupposedlyCompleted,
        RealStatus::Completed => Msg::StatusCompleted,
        RealStatus::Deferred => Msg::StatusDeferred,
        RealStatus::Declined => Msg::StatusDeclined,
        RealStatus::Unknown(raw) => return Cow::Owned(unknown_label(lang, raw)),
    };
    Cow::Borrowed(t(lang, key))
}

/// The label of a meta status (-1 overdue, -2 unviewed, -3 almost overdue).
pub fn meta_label(lang: Lang, meta: MetaStatus) -> &'static str {
    t(
        lang,
        match meta {
            MetaStatus::Overdue => Msg::MetaOverdue,
            MetaStatus::AlmostOverdue => Msg::MetaAlmostOverdue,
            MetaStatus::Unviewed => Msg::MetaUnviewed,
        },
    )
}

/// The label of a priority (0 Low, 1 Medium, 2 High; others "Unknown (N)").
pub fn priority_label(lang: Lang, priority: &Priority) -> Cow<'static, str> {
    let key = match priority {
        Priority::Low => Msg::PriorityLow,
        Priority::Medium => Msg::PriorityMedium,
        Priority::High => Msg::PriorityHigh,
        Priority::Unknown(raw) => return Cow::Owned(unknown_label(lang, raw)),
    };
    Cow::Borrowed(t(lang, key))
}

/// A heading of the report's summaries (pivot, chart, groups) in the user's language; the
/// domain (`report::summary`) names them by value, this maps them to text.
pub trait Label {
    /// The heading ("In progress", "High", "Unknown (9)", "Other", "All tasks", …).
    fn label(&self, lang: Lang) -> Cow<'static, str>;
}

impl Label for Folded<RealStatus> {
    fn label(&self, lang: Lang) -> Cow<'static, str> {
        self.value()
            .map_or(Cow::Borrowed(t(lang, Msg::SummaryOther)), |s| {
                status_label(lang, s)
            })
    }
}

impl Label for Folded<Priority> {
    fn label(&self, lang: Lang) -> Cow<'static, str> {
        self.value()
            .map_or(Cow::Borrowed(t(lang, Msg::SummaryOther)), |p| {
                priority_label(lang, p)
            })
    }
}

/// Without the loaded names: people and projects by their "User #12" / "Project #12"
/// fallback; the report names its groups with [`group_label`] and the directory.
impl Label for GroupKey {
    fn label(&self, lang: Lang) -> Cow<'static, str> {
        let directory = Directory::new();
        let labels = ReportLabels {
            lang,
            directory: &directory,
        };
        Cow::Owned(group_label(&labels, self).into_owned())
    }
}

/// Formats an integer with the language's digit grouping: en `12,500`, ru/ua `12 500`
/// (no-break space U+00A0), de `12.500`.
pub fn format_number(lang: Lang, n: u64) -> String {
    let sep = match lang {
        Lang::En => ',',
        Lang::Ru | Lang::Ua => '\u{a0}',
        Lang::De => '.',
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 2);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(d);
    }
    out
}

/// A CLDR plural category (cardinal, integers only).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Plural {
    /// 1 (en/de); 1, 21, 31, … but not 11 (ru/ua).
    One,
    /// 2–4, 22–24, … but not 12–14 (ru/ua only).
    Few,
    /// 0, 5–20, 25–30, … (ru/ua only).
    Many,
    /// Everything but 1 (en/de only).
    Other,
}

/// The plural category of `n` in `lang` (ru/ua: one/few/many; en/de: one/other).
pub fn plural(lang: Lang, n: u64) -> Plural {
    match lang {
        Lang::En | Lang::De => {
            if n == 1 {
                Plural::One
            } else {
                Plural::Other
            }
        }
        Lang::Ru | Lang::Ua => {
            let (d, dd) = (n % 10, n % 100);
            if d == 1 && dd != 11 {
                Plural::One
            } else if (2..=4).contains(&d) && !(12..=14).contains(&dd) {
                Plural::Few
            } else {
                Plural::Many
            }
        }
    }
}

/// The noun "task" agreeing with `n` (nominative after a bare number).
fn tasks_noun(lang: Lang, n: u64) -> &'static str {
    match (lang, plural(lang, n)) {
        (Lang::En, Plural::One) => "task",
        (Lang::En, _) => "tasks",
        (Lang::De, Plural::One) => "Aufgabe",
        (Lang::De, _) => "Aufgaben",
        (Lang::Ru, Plural::One) => "задача",
        (Lang::Ru, Plural::Few) => "задачи",
        (Lang::Ru, _) => "задач",
        (Lang::Ua, Plural::One) => "завдання",
        (Lang::Ua, Plural::Few) => "завдання",
        (Lang::Ua, _) => "завдань",
    }
}

/// The noun "task" after "of N" (genitive in ru/ua: "из 21 задачи", "из 25 задач").
fn of_tasks_noun(lang: Lang, n: u64) -> &'static str {
    match (lang, plural(lang, n)) {
        (Lang::Ru, Plural::One) => "задачи",
        (Lang::Ru, _) => "задач",
        (Lang::Ua, Plural::One) => "завдання",
        (Lang::Ua, _) => "завдань",
        _ => tasks_noun(lang, n),
    }
}

/// "N tasks" with the number formatted and the noun in the right plural form:
/// en "1 task", "12,500 tasks"; ru "1 задача", "2 задачи", "5 задач"; ua "21 завдання",
/// "25 завдань"; de "1 Aufgabe", "2 Aufgaben".
pub fn tasks_count(lang: Lang, n: u64) -> String {
    format!("{} {}", format_number(lang, n), tasks_noun(lang, n))
}

/// "N of M tasks" for the table footer: en "120 of 12,500 tasks", ru "120 из 12 500 задач",
/// ua "120 з 12 500 завдань", de "120 von 12.500 Aufgaben".
pub fn n_of_m_tasks(lang: Lang, shown: u64, total: u64) -> String {
    let of = pick(lang, ["of", "из", "з", "von"]);
    format!(
        "{} {of} {} {}",
        format_number(lang, shown),
        format_number(lang, total),
        of_tasks_noun(lang, total)
    )
}

/// The loading progress line: "Loading tasks… 12,500 of 100,000" when the total is known,
/// "Loading tasks… 12,500" when it is not (keyset paging sends no total).
pub fn loading_progress(lang: Lang, loaded: u64, total: Option<u64>) -> String {
    let head = t(lang, Msg::Loading);
    match total {
        Some(total) => format!(
            "{head} {} {} {}",
            format_number(lang, loaded),
            pick(lang, ["of", "из", "з", "von"]),
            format_number(lang, total)
        ),
        None => format!("{head} {}", format_number(lang, loaded)),
    }
}

/// The operation-time-limit message with the local time the wait ends ("… waiting until
/// 14:05"). `hour` and `minute` are local wall-clock values (the caller converts
/// `operating_reset_at`).
pub fn operation_limit_until(lang: Lang, hour: u8, minute: u8) -> String {
    let text = pick(
        lang,
        [
            "The portal's time limit for reading tasks is used up; waiting until",
            "Исчерпан лимит времени портала на чтение задач; ждём до",
            "Вичерпано ліміт часу порталу на читання завдань; чекаємо до",
            "Das Zeitlimit des Portals für das Lesen von Aufgaben ist erschöpft; es wird gewartet bis",
        ],
    );
    let suffix = if lang == Lang::De { " Uhr" } else { "" };
    format!("{text} {hour:02}:{minute:02}{suffix}")
}

/// "Retrying in N s" for a back-off countdown.
pub fn retry_in(lang: Lang, seconds: u32) -> String {
    let text = pick(
        lang,
        [
            "Retrying in",
            "Повтор через",
            "Повтор через",
            "Neuer Versuch in",
        ],
    );
    let unit = pick(lang, ["s", "с", "с", "s"]);
    format!("{text} {seconds}\u{a0}{unit}")
}

/// The header label of a column in `lang` (the domain names the column, i18n its text).
pub fn column_label(lang: Lang, column: Column) -> &'static str {
    t(
        lang,
        match column {
            Column::Id => Msg::ColId,
            Column::Title => Msg::ColTitle,
            Column::Responsible => Msg::ColResponsible,
            Column::CreatedBy => Msg::ColCreatedBy,
            Column::Project => Msg::ColProject,
            Column::Deadline => Msg::ColDeadline,
            Column::Created => Msg::ColCreated,
            Column::Changed => Msg::ColChanged,
            Column::Closed => Msg::ColClosed,
            Column::Priority => Msg::ColPriority,
            Column::Status => Msg::ColStatus,
            Column::TimeEstimate => Msg::ColTimeEstimate,
            Column::TimeSpent => Msg::ColTimeSpent,
        },
    )
}

/// A date and time in `lang`, in the offset the portal wrote (never the browser's zone):
/// en "Oct 24, 2025 19:00", ru/ua/de "24.10.2025 19:00".
pub fn format_date(lang: Lang, time: PortalTime) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let c = time.local();
    match lang {
        Lang::En => format!(
            "{} {}, {} {:02}:{:02}",
            MONTHS
                .get(usize::from(c.month).saturating_sub(1))
                .copied()
                .unwrap_or("?"),
            c.day,
            c.year,
            c.hour,
            c.minute
        ),
        Lang::Ru | Lang::Ua | Lang::De => format!(
            "{:02}.{:02}.{} {:02}:{:02}",
            c.day, c.month, c.year, c.hour, c.minute
        ),
    }
}

/// "N days" with the noun agreeing with `n`.
fn days(lang: Lang, n: u32) -> String {
    let noun = match (lang, plural(lang, u64::from(n))) {
        (Lang::En, Plural::One) => "day",
        (Lang::En, _) => "days",
        (Lang::De, Plural::One) => "Tag",
        (Lang::De, _) => "Tage",
        (Lang::Ru, Plural::One) => "день",
        (Lang::Ru, Plural::Few) => "дня",
        (Lang::Ru, _) => "дней",
        (Lang::Ua, Plural::One) => "день",
        (Lang::Ua, Plural::Few) => "дні",
        (Lang::Ua, _) => "днів",
    };
    format!("{n}\u{a0}{noun}")
}

/// A deadline relative to now: "today", "tomorrow", "in 2 days", "3 days overdue" (ru "через
/// 2 дня", "просрочена на 5 дней"; ua "через 2 дні", "прострочено на 5 днів"; de "in 2
/// Tagen", "3 Tage überfällig").
pub fn relative_deadline(lang: Lang, rel: Rel) -> String {
    match rel {
        Rel::Today => t(lang, Msg::DueToday).to_string(),
        Rel::Tomorrow => t(lang, Msg::DueTomorrow).to_string(),
        Rel::OverdueToday => t(lang, Msg::OverdueToday).to_string(),
        Rel::InDays(n) => match lang {
            Lang::En => format!("in {}", days(lang, n)),
            Lang::Ru | Lang::Ua => format!("через {}", days(lang, n)),
            // German dative plural after "in": "in 2 Tagen", "in 1 Tag".
            Lang::De if n == 1 => "in 1\u{a0}Tag".to_string(),
            Lang::De => format!("in {n}\u{a0}Tagen"),
        },
        Rel::OverdueDays(n) => match lang {
            Lang::En => format!("{} overdue", days(lang, n)),
            Lang::Ru => format!("просрочена на {}", days(lang, n)),
            Lang::Ua => format!("прострочено на {}", days(lang, n)),
            Lang::De => format!("{} überfällig", days(lang, n)),
        },
    }
}

/// The column model's texts in one language, with the names of the loaded
/// [`Directory`]; unknown IDs fall back to "User #12" / "Project #12".
#[derive(Clone, Copy, Debug)]
pub struct ReportLabels<'a> {
    /// The UI language.
    pub lang: Lang,
    /// The known names of people and projects.
    pub directory: &'a Directory,
}

impl CellLabels for ReportLabels<'_> {
    fn column(&self, column: Column) -> Cow<'_, str> {
        column_label(self.lang, column).into()
    }
    fn person(&self, id: UserId) -> Cow<'_, str> {
        match self.directory.person(id) {
            Some(name) => name.into(),
            None => t(self.lang, Msg::UserFallback)
                .replace("{id}", &id.to_string())
                .into(),
        }
    }
    fn project(&self, id: GroupId) -> Cow<'_, str> {
        match self.directory.project(id) {
            Some(name) => name.into(),
            None => t(self.lang, Msg::ProjectFallback)
                .replace("{id}", &id.to_string())
                .into(),
        }
    }
    fn date(&self, time: PortalTime) -> String {
        format_date(self.lang, time)
    }
    fn relative(&self, rel: Rel) -> String {
        relative_deadline(self.lang, rel)
    }
    fn priority(&self, priority: &Priority) -> Cow<'_, str> {
        priority_label(self.lang, priority)
    }
    fn status(&self, status: &RealStatus) -> Cow<'_, str> {
        status_label(self.lang, status)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod column_tests {
    use super::*;

    const LANGS: [Lang; 4] = [Lang::En, Lang::Ru, Lang::Ua, Lang::De];

    #[test]
    fn every_column_has_a_label_in_every_language() {
        for lang in LANGS {
            let mut seen = Vec::new();
            for column in Column::ALL {
                let label = column_label(lang, column);
                assert!(!label.trim().is_empty(), "{lang:?} {column:?}");
                assert!(!seen.contains(&label), "{lang:?}: {label} twice");
                seen.push(label);
            }
        }
        assert_eq!(column_label(Lang::Ru, Column::Deadline), "Крайний срок");
    }

    #[test]
    fn names_fall_back_to_numbers() {
        let mut dir = Directory::new();
        dir.insert_person(UserId(3), "Анна Петрова");
        dir.insert_project(GroupId(4), "Сайт");
        let ru = ReportLabels {
            lang: Lang::Ru,
            directory: &dir,
        };
        assert_eq!(ru.person(UserId(3)), "Анна Петрова");
        assert_eq!(ru.person(UserId(12)), "Пользователь #12");
        assert_eq!(ru.project(GroupId(4)), "Сайт");
        assert_eq!(ru.project(GroupId(12)), "Проект #12");
        let empty = Directory::new();
        let en = ReportLabels {
            lang: Lang::En,
            directory: &empty,
        };
        assert_eq!(en.person(UserId(12)), "User #12");
        assert_eq!(en.project(GroupId(12)), "Project #12");
    }

    #[test]
    fn dates_in_the_portal_offset_and_relative_days_with_plurals() {
        let time = PortalTime::parse("2025-10-24T23:30:00+03:00").unwrap();
        assert_eq!(format_date(Lang::En, time), "Oct 24, 2025 23:30");
        assert_eq!(format_date(Lang::De, time), "24.10.2025 23:30");
        let west = PortalTime::parse("2025-10-24T20:30:00Z").unwrap();
        assert_eq!(format_date(Lang::Ru, west), "24.10.2025 20:30");
        let nb = |s: &str| s.replace('\u{a0}', " ");
        let rel = |lang, rel| nb(&relative_deadline(lang, rel));
        assert_eq!(rel(Lang::En, Rel::InDays(2)), "in 2 days");
        assert_eq!(rel(Lang::En, Rel::OverdueDays(1)), "1 day overdue");
        assert_eq!(rel(Lang::Ru, Rel::InDays(2)), "через 2 дня");
        assert_eq!(rel(Lang::Ru, Rel::InDays(5)), "через 5 дней");
        assert_eq!(rel(Lang::Ru, Rel::OverdueDays(21)), "просрочена на 21 день");
        assert_eq!(rel(Lang::Ru, Rel::OverdueDays(11)), "просрочена на 11 дней");
        assert_eq!(rel(Lang::Ua, Rel::InDays(3)), "через 3 дні");
        assert_eq!(
            rel(Lang::Ua, Rel::OverdueDays(25)),
            "прострочено на 25 днів"
        );
        assert_eq!(rel(Lang::De, Rel::InDays(2)), "in 2 Tagen");
        assert_eq!(rel(Lang::De, Rel::OverdueDays(3)), "3 Tage überfällig");
        assert_eq!(rel(Lang::En, Rel::Today), "today");
        assert_eq!(rel(Lang::Ua, Rel::Tomorrow), "завтра");
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_text_in_every_language() {
        assert_eq!(messages::ENDS.len(), 4 * Msg::ALL.len());
        for (i, &key) in Msg::ALL.iter().enumerate() {
            assert_eq!(key as usize, i);
            for lang in Lang::ALL {
                let text = t(lang, key);
                assert!(!text.trim().is_empty(), "{key:?} is empty in {lang:?}");
                assert_eq!(text, text.trim(), "{key:?} has stray spaces in {lang:?}");
            }
            // Russian, Ukrainian and German must be real translations of prose, not English
            // left in place (short technical words such as "ID" or "Status" may coincide).
            let en = t(Lang::En, key);
            if en.len() > 12 {
                assert_ne!(t(Lang::Ru, key), en, "{key:?} not translated to ru");
                assert_ne!(t(Lang::Ua, key), en, "{key:?} not translated to ua");
                assert_ne!(t(Lang::De, key), en, "{key:?} not translated to de");
            }
        }
    }

    #[test]
    fn packed_texts_start_and_end_where_their_neighbours_do() {
        let first = [
            "Task report",
            "Отчёт по задачам",
            "Звіт по завданнях",
            "Aufgabenbericht",
        ];
        let last = [
            "Excel failed; CSV downloaded.",
            "Excel не удался, скачан CSV.",
            "Excel не вдався, завантажено CSV.",
            "Excel fehlgeschlagen, CSV geladen.",
        ];
        let last_key = *Msg::ALL.last().unwrap();
        for lang in Lang::ALL {
            assert_eq!(t(lang, Msg::AppTitle), first[lang as usize]);
            assert_eq!(t(lang, last_key), last[lang as usize]);
        }
        assert_eq!(
            messages::TEXT.len(),
            usize::from(messages::ENDS[4 * Msg::ALL.len() - 1])
        );
    }

    #[test]
    fn required_texts_are_exact() {
        assert_eq!(t(Lang::En, Msg::AppTitle), "Task report");
        assert_eq!(t(Lang::En, Msg::EmptyTitle), "No tasks yet");
        assert_eq!(
            t(Lang::En, Msg::PreviewBanner),
            "Preview — not inside Bitrix24: demo data"
        );
        assert!(t(Lang::En, Msg::ErrMissingScope).starts_with(
            "The app needs the Tasks (task) permission; an administrator can add it in the app's settings"
        ));
        assert!(t(Lang::En, Msg::ErrMethodUnavailable).contains("tasks.task.list"));
    }

    #[test]
    fn language_codes() {
        assert_eq!(Lang::from_code("en"), Lang::En);
        assert_eq!(Lang::from_code("ru"), Lang::Ru);
        assert_eq!(Lang::from_code("ua"), Lang::Ua);
        assert_eq!(Lang::from_code("de"), Lang::De);
        assert_eq!(Lang::from_code("kz"), Lang::Ru);
        assert_eq!(Lang::from_code("by"), Lang::Ru);
        assert_eq!(Lang::from_code(" RU-ru "), Lang::Ru);
        assert_eq!(Lang::from_code("la"), Lang::En);
        assert_eq!(Lang::from_code("br"), Lang::En);
        assert_eq!(Lang::from_code(""), Lang::En);
        assert_eq!(Lang::from_code("uk"), Lang::Ua);
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), lang);
        }
        assert_eq!(Lang::Ua.html_tag(), "uk");
    }

    #[test]
    fn status_and_priority_labels_match_bitrix24() {
        let en: Vec<_> = RealStatus::KNOWN
            .iter()
            .map(|s| status_label(Lang::En, s))
            .collect();
        assert_eq!(
            en,
            [
                "New",
                "Pending",
                "In progress",
                "Pending review",
                "Completed",
                "Deferred",
                "Declined"
            ]
        );
        let ru: Vec<_> = RealStatus::KNOWN
            .iter()
            .map(|s| status_label(Lang::Ru, s))
            .collect();
        assert_eq!(
            ru,
            [
                "Новая",
                "Ждет выполнения",
                "Выполняется",
                "Ждет контроля",
                "Завершена",
                "Отложена",
                "Отклонена"
            ]
        );
        assert_eq!(meta_label(Lang::En, MetaStatus::Overdue), "Overdue");
        assert_eq!(meta_label(Lang::Ru, MetaStatus::Overdue), "Просрочена");
        assert_eq!(
            meta_label(Lang::Ru, MetaStatus::AlmostOverdue),
            "Почти просрочена"
        );
        assert_eq!(meta_label(Lang::Ru, MetaStatus::Unviewed), "Не просмотрена");
        assert_eq!(priority_label(Lang::Ru, &Priority::Low), "Низкий");
        assert_eq!(priority_label(Lang::Ru, &Priority::Medium), "Средний");
        assert_eq!(priority_label(Lang::Ru, &Priority::High), "Высокий");
        assert_eq!(priority_label(Lang::En, &Priority::High), "High");
        assert_eq!(
            status_label(Lang::En, &RealStatus::from_wire("42")),
            "Unknown (42)"
        );
        assert_eq!(
            status_label(Lang::Ru, &RealStatus::from_wire("42")),
            "Неизвестно (42)"
        );
        assert_eq!(
            priority_label(Lang::De, &Priority::from_wire("9")),
            "Unbekannt (9)"
        );
        assert_eq!(
            priority_label(Lang::Ua, &Priority::from_wire("")),
            "Невідомо"
        );
        for lang in Lang::ALL {
            for s in &RealStatus::KNOWN {
                assert!(!status_label(lang, s).is_empty());
            }
            for m in MetaStatus::ALL {
                assert!(!meta_label(lang, m).is_empty());
            }
        }
    }

    #[test]
    fn numbers_per_language() {
        assert_eq!(format_number(Lang::En, 12_500), "12,500");
        assert_eq!(format_number(Lang::Ru, 12_500), "12\u{a0}500");
        assert_eq!(format_number(Lang::Ua, 100_000), "100\u{a0}000");
        assert_eq!(format_number(Lang::De, 12_500), "12.500");
        assert_eq!(format_number(Lang::En, 1_234_567), "1,234,567");
        assert_eq!(format_number(Lang::En, 999), "999");
        assert_eq!(format_number(Lang::De, 0), "0");
        assert_eq!(format_number(Lang::En, 1000), "1,000");
    }

    #[test]
    fn russian_plurals() {
        let forms: Vec<_> = [1, 2, 5, 11, 21, 22, 25, 12, 111, 0]
            .iter()
            .map(|&n| tasks_count(Lang::Ru, n))
            .collect();
        assert_eq!(
            forms,
            [
                "1 задача",
                "2 задачи",
                "5 задач",
                "11 задач",
                "21 задача",
                "22 задачи",
                "25 задач",
                "12 задач",
                "111 задач",
                "0 задач"
            ]
        );
        assert_eq!(plural(Lang::Ru, 1), Plural::One);
        assert_eq!(plural(Lang::Ru, 2), Plural::Few);
        assert_eq!(plural(Lang::Ru, 5), Plural::Many);
        assert_eq!(plural(Lang::Ru, 11), Plural::Many);
        assert_eq!(plural(Lang::Ru, 21), Plural::One);
        assert_eq!(plural(Lang::Ru, 22), Plural::Few);
        assert_eq!(plural(Lang::Ru, 25), Plural::Many);
        assert_eq!(tasks_count(Lang::Ua, 21), "21 завдання");
        assert_eq!(tasks_count(Lang::Ua, 25), "25 завдань");
        assert_eq!(tasks_count(Lang::En, 1), "1 task");
        assert_eq!(tasks_count(Lang::En, 12_500), "12,500 tasks");
        assert_eq!(tasks_count(Lang::De, 1), "1 Aufgabe");
        assert_eq!(tasks_count(Lang::De, 2), "2 Aufgaben");
    }

    #[test]
    fn phrases_with_numbers() {
        assert_eq!(n_of_m_tasks(Lang::En, 120, 12_500), "120 of 12,500 tasks");
        assert_eq!(n_of_m_tasks(Lang::En, 1, 1), "1 of 1 task");
        assert_eq!(n_of_m_tasks(Lang::Ru, 5, 21), "5 из 21 задачи");
        assert_eq!(
            n_of_m_tasks(Lang::Ru, 120, 12_500),
            "120 из 12\u{a0}500 задач"
        );
        assert_eq!(n_of_m_tasks(Lang::De, 3, 12_500), "3 von 12.500 Aufgaben");
        assert_eq!(
            loading_progress(Lang::Ru, 12_500, Some(100_000)),
            "Загрузка задач… 12\u{a0}500 из 100\u{a0}000"
        );
        assert_eq!(
            loading_progress(Lang::En, 12_500, None),
            "Loading tasks… 12,500"
        );
        assert!(operation_limit_until(Lang::En, 9, 5).ends_with("waiting until 09:05"));
        assert!(operation_limit_until(Lang::De, 14, 30).ends_with("14:30 Uhr"));
        assert_eq!(retry_in(Lang::En, 5), "Retrying in 5\u{a0}s");
    }
}
