//! The saved view — sort, direction, filters, preset, grouping and search — and its compact,
//! versioned string form for `BX24.userOption` (per user, stored by the portal).
//!
//! Format (version 1): a JSON object with short keys; fields equal to the default are left
//! out, so the default view is `{"v":1}`:
//!
//! ```text
//! {"v":1,"s":"title","d":"a","st":["2","3"],"pr":["2"],"m":["-1","0"],"p":"overdue","g":"status","q":"отчёт"}
//! ```
//!
//! `s` sort (a column key: `id`/`title`/`priority`/`status`/`responsible`/`deadline`/…, see
//! `Column::key`), `d` direction (`a`/`d`), `st` real status
//! codes, `pr` priority codes, `m` meta codes (`-1`/`-2`/`-3`, `0` = none), `p` preset
//! (`in_progress`/`completed`/`deferred`/`overdue`/`almost_overdue`), `g` grouping
//! (`status`/`priority`/`responsible`/`creator`/`project`/`deadline`), `q` search;
//! issue 14 added `rp` responsible and `cr` creator user IDs, `pj` project IDs (`0` = no
//! project), and date ranges `dd` (deadline), `dc` (created), `dx` (closed):
//! `today`/`this_week`/`last_week`/`this_month`/`last_month` or `YYYY-MM-DD..YYYY-MM-DD`
//! (either end may be empty). A view saved before these keys existed loads with none of
//! them: the same version, fields absent. `c` the visible columns in order (column keys;
//! left out for the default `id,title,responsible,deadline,priority,status`, so a view saved
//! before the columns existed shows the default ones), `w` the column widths the user set
//! (`{"title":420}`, CSS pixels within [`WIDTH_RANGE`]). Unknown column keys are skipped.
//!
//! Size: search is cut to [`MAX_SEARCH_CHARS`] characters (control characters dropped), each
//! set to [`MAX_SET_LEN`] codes of at most [`MAX_CODE_LEN`] bytes, so an encoded view stays
//! under ~1.7 KB (13 column keys and widths add at most ~400 bytes). Robustness: [`SavedView::decode`] never fails — anything that is not a
//! version-1 object (empty, garbled, an old or a future version) gives the default view, and
//! within a version-1 object an invalid field falls back to that field's default.
//!
//! Pure: the caller reads and writes `BX24.userOption`.

use crate::report::columns::{self, Column};
use crate::report::order::SortedSet;

use crate::report::dates::{format_day, parse_day, DateField, DatePreset};
use crate::report::json::{self, Json, Number};
use crate::report::query::{Preset, Query, SortDir, SortKey};
use crate::report::summary::GroupBy;
use crate::report::task::{GroupId, MetaStatus, Priority, RealStatus, UserId};

/// The `BX24.userOption` name the view is stored under.
pub const USER_OPTION_KEY: &str = "taskReportView";

/// The format version written by [`SavedView::encode`].
pub const VERSION: u64 = 1;

/// Longest search text kept, in characters.
pub const MAX_SEARCH_CHARS: usize = 64;

/// Most codes kept per filter set.
pub const MAX_SET_LEN: usize = 10;

/// Longest status / priority code kept, in bytes (longer unknown codes are dropped).
pub const MAX_CODE_LEN: usize = 8;

/// Longest stored string [`SavedView::decode`] looks at; anything longer is garbage.
const MAX_INPUT_LEN: usize = 4096;

/// What the user saw: the main table's query, the grouping, and the table's columns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedView {
    /// Search, filters, preset and sort.
    pub query: Query,
    /// Grouping of the grouped tables.
    pub group: GroupBy,
    /// The visible columns, in order (never empty): what the table, the print view and the
    /// exports show.
    pub columns: Vec<Column>,
    /// Widths the user set, in CSS pixels (columns not listed have their default width).
    pub widths: Vec<(Column, u16)>,
}

impl Default for SavedView {
    fn default() -> Self {
        Self {
            query: Query::default(),
            group: GroupBy::default(),
            columns: Column::DEFAULT_VISIBLE.to_vec(),
            widths: Vec::new(),
        }
    }
}

impl SavedView {
    /// The width of `column`: the user's, else its default.
    pub fn width(&self, column: Column) -> u16 {
        self.widths
            .iter()
            .find(|(c, _)| *c == column)
            .map_or_else(|| column.default_width(), |&(_, w)| w)
    }

    /// Sets the width of `column` (within [`WIDTH_RANGE`]); the default width is not stored.
    pub fn set_width(&mut self, column: Column, width: u16) {
        let width = clamp_width(u64::from(width));
        let old = std::mem::take(&mut self.widths);
        // Kept in column order (no sort: the order of `Column::ALL`).
        self.widths = Column::ALL
            .into_iter()
            .filter_map(|c| {
                let w = if c == column {
                    Some(width)
                } else {
                    old.iter().find(|(o, _)| *o == c).map(|&(_, w)| w)
                };
                w.filter(|&w| w != c.default_width()).map(|w| (c, w))
            })
            .collect();
    }
}

/// Narrowest and widest width kept for a column, in CSS pixels.
pub const WIDTH_RANGE: (u16, u16) = (48, 1200);

/// `width` within [`WIDTH_RANGE`].
pub fn clamp_width(width: u64) -> u16 {
    let (min, max) = WIDTH_RANGE;
    u16::try_from(width).unwrap_or(max).clamp(min, max)
}

fn preset_code(preset: Preset) -> &'static str {
    match preset {
        Preset::InProgress => "in_progress",
        Preset::Completed => "completed",
        Preset::Deferred => "deferred",
        Preset::Overdue => "overdue",
        Preset::AlmostOverdue => "almost_overdue",
    }
}

fn group_code(group: GroupBy) -> &'static str {
    match group {
        GroupBy::None => "none",
        GroupBy::Status => "status",
        GroupBy::Priority => "priority",
        GroupBy::Responsible => "responsible",
        GroupBy::Creator => "creator",
        GroupBy::Project => "project",
        GroupBy::Deadline => "deadline",
    }
}

/// The saved-view key of a date filter.
fn date_key(field: DateField) -> &'static str {
    match field {
        DateField::Deadline => "dd",
        DateField::Created => "dc",
        DateField::Closed => "dx",
    }
}

/// The saved form of a date range.
fn date_code(preset: DatePreset) -> String {
    match preset {
        DatePreset::Today => "today".into(),
        DatePreset::ThisWeek => "this_week".into(),
        DatePreset::LastWeek => "last_week".into(),
        DatePreset::ThisMonth => "this_month".into(),
        DatePreset::LastMonth => "last_month".into(),
        DatePreset::Custom { from, to } => format!(
            "{}..{}",
            from.map(format_day).unwrap_or_default(),
            to.map(format_day).unwrap_or_default()
        ),
    }
}

/// The inverse of [`date_code`]; `None` for anything else (a range with no end, or with a
/// bad date, is dropped).
fn parse_date_code(code: &str) -> Option<DatePreset> {
    if let Some(p) = DatePreset::RELATIVE
        .into_iter()
        .find(|p| date_code(*p) == code)
    {
        return Some(p);
    }
    let (from, to) = code.split_once("..")?;
    let end = |s: &str| -> Option<Option<i64>> {
        if s.is_empty() {
            Some(None)
        } else {
            parse_day(s).map(Some)
        }
    };
    let (from, to) = (end(from)?, end(to)?);
    (from.is_some() || to.is_some()).then_some(DatePreset::Custom { from, to })
}

fn meta_code(meta: Option<MetaStatus>) -> &'static str {
    match meta {
        None => "0",
        Some(MetaStatus::Overdue) => "-1",
        Some(MetaStatus::Unviewed) => "-2",
        Some(MetaStatus::AlmostOverdue) => "-3",
    }
}

/// Drops control characters and cuts to [`MAX_SEARCH_CHARS`].
fn clean_search(search: &str) -> String {
    search
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_SEARCH_CHARS)
        .collect()
}

/// Codes that fit the size limits, at most [`MAX_SET_LEN`].
fn bounded_codes(codes: impl Iterator<Item = String>) -> Vec<String> {
    codes
        .filter(|c| c.len() <= MAX_CODE_LEN)
        .take(MAX_SET_LEN)
        .collect()
}

impl SavedView {
    /// The compact string for `BX24.userOption` (see the module docs for the format).
    pub fn encode(&self) -> String {
        let q = &self.query;
        let search = clean_search(&q.search);
        // Fields in this order; those equal to the default are left out.
        let mut wire = vec![("v".to_string(), Json::Number(Number::from(VERSION)))];
        let mut push = |key: &str, value: Json| wire.push((key.to_string(), value));
        let text = |s: &str| Json::String(s.to_string());
        let list = |codes: Vec<String>| Json::Array(codes.into_iter().map(Json::String).collect());
        if q.sort != SortKey::default() {
            push("s", text(q.sort.key()));
        }
        if q.dir != SortDir::default() {
            push(
                "d",
                text(match q.dir {
                    SortDir::Asc => "a",
                    SortDir::Desc => "d",
                }),
            );
        }
        let statuses = bounded_codes(q.statuses.iter().map(RealStatus::code));
        if !statuses.is_empty() {
            push("st", list(statuses));
        }
        let priorities = bounded_codes(q.priorities.iter().map(Priority::code));
        if !priorities.is_empty() {
            push("pr", list(priorities));
        }
        if !q.meta.is_empty() {
            push(
                "m",
                list(q.meta.iter().map(|m| meta_code(*m).to_string()).collect()),
            );
        }
        if let Some(preset) = q.preset {
            push("p", text(preset_code(preset)));
        }
        let ids = |ids: Vec<String>| bounded_codes(ids.into_iter());
        let responsible = ids(q.responsible.iter().map(|u| u.0.to_string()).collect());
        if !responsible.is_empty() {
            push("rp", list(responsible));
        }
        let creators = ids(q.creators.iter().map(|u| u.0.to_string()).collect());
        if !creators.is_empty() {
            push("cr", list(creators));
        }
        let projects = ids(q
            .projects
            .iter()
            .map(|g| g.map_or(0, |g| g.0).to_string())
            .collect());
        if !projects.is_empty() {
            push("pj", list(projects));
        }
        for field in DateField::ALL {
            if let Some(preset) = q.dates.get(field) {
                push(date_key(field), text(&date_code(preset)));
            }
        }
        if self.group != GroupBy::None {
            push("g", text(group_code(self.group)));
        }
        if !search.is_empty() {
            push("q", text(&search));
        }
        if self.columns != Column::DEFAULT_VISIBLE {
            push(
                "c",
                list(self.columns.iter().map(|c| c.key().to_string()).collect()),
            );
        }
        if !self.widths.is_empty() {
            let widths = self.widths.iter().map(|(c, w)| {
                let width = Json::Number(Number::from(u64::from(*w)));
                (c.key().to_string(), width)
            });
            push("w", Json::Object(widths.collect()));
        }
        Json::Object(wire).encode()
    }

    /// Parses a stored string. Never fails: unknown, garbled, old or future values give the
    /// default view; an invalid field inside a valid version-1 value gives that field's
    /// default.
    pub fn decode(raw: &str) -> Self {
        let raw = raw.trim();
        if raw.is_empty() || raw.len() > MAX_INPUT_LEN {
            return Self::default();
        }
        let Ok(obj @ Json::Object(_)) = json::parse(raw) else {
            return Self::default();
        };
        if obj.get("v").and_then(Json::as_u64) != Some(VERSION) {
            return Self::default();
        }
        let text = |key: &str| obj.get(key).and_then(Json::as_str);
        let codes = |key: &str| -> Vec<String> {
            let items = obj.get(key).and_then(Json::as_array);
            let strings = items.into_iter().flatten().filter_map(|v| match v {
                Json::String(s) => Some(s.clone()),
                // Numbers as sent (`3`; a code is never fractional).
                Json::Number(n) => Some(n.as_str().to_string()),
                _ => None,
            });
            bounded_codes(strings)
        };

        let mut query = Query::default();
        if let Some(sort) = SortKey::ALL
            .into_iter()
            .find(|k| text("s") == Some(k.key()))
        {
            query.sort = sort;
        }
        query.dir = match text("d") {
            Some("a") => SortDir::Asc,
            Some("d") => SortDir::Desc,
            _ => SortDir::default(),
        };
        query.statuses = codes("st")
            .iter()
            .map(|c| RealStatus::from_wire(c))
            .collect();
        query.priorities = codes("pr").iter().map(|c| Priority::from_wire(c)).collect();
        query.meta = codes("m")
            .iter()
            .filter_map(|c| match c.as_str() {
                "0" => Some(None),
                other => MetaStatus::from_wire(other).map(Some),
            })
            .collect::<SortedSet<_>>();
        query.preset = Preset::ALL
            .into_iter()
            .find(|p| text("p") == Some(preset_code(*p)));
        query.search = text("q").map(clean_search).unwrap_or_default();
        let ids = |key: &str| codes(key).into_iter().filter_map(|c| c.parse::<u64>().ok());
        query.responsible = ids("rp").filter(|&id| id > 0).map(UserId).collect();
        query.creators = ids("cr").filter(|&id| id > 0).map(UserId).collect();
        query.projects = ids("pj")
            .map(|id| (id > 0).then_some(GroupId(id)))
            .collect();
        for field in DateField::ALL {
            query
                .dates
                .set(field, text(date_key(field)).and_then(parse_date_code));
        }
        let group = GroupBy::ALL
            .into_iter()
            .find(|g| text("g") == Some(group_code(*g)))
            .unwrap_or_default();
        // Columns (issue 14): a view saved before them has none and shows the default.
        let keys = obj.get("c").and_then(Json::as_array).into_iter().flatten();
        let columns = columns::from_keys(keys.filter_map(Json::as_str).take(Column::ALL.len()));
        let mut view = Self {
            query,
            group,
            columns,
            widths: Vec::new(),
        };
        if let Some(Json::Object(widths)) = obj.get("w") {
            for (key, width) in widths.iter().take(Column::ALL.len()) {
                if let (Some(column), Some(width)) = (Column::from_key(key), width.as_u64()) {
                    view.set_width(column, clamp_width(width));
                }
            }
        }
        view
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn full() -> SavedView {
        SavedView {
            query: Query {
                search: "Отчёт \"Q1\" ёлка".into(),
                statuses: [RealStatus::InProgress, RealStatus::Unknown("42".into())].into(),
                priorities: [Priority::High, Priority::Unknown(String::new())].into(),
                meta: [
                    None,
                    Some(MetaStatus::Overdue),
                    Some(MetaStatus::AlmostOverdue),
                ]
                .into(),
                preset: Some(Preset::InProgress),
                sort: SortKey::Title,
                dir: SortDir::Asc,
                ..Query::default()
            },
            group: GroupBy::Priority,
            ..SavedView::default()
        }
    }

    #[test]
    fn default_view_is_tiny() {
        assert_eq!(SavedView::default().encode(), "{\"v\":1}");
        assert_eq!(SavedView::decode("{\"v\":1}"), SavedView::default());
    }

    #[test]
    fn round_trip() {
        let view = full();
        let encoded = view.encode();
        assert_eq!(
            encoded,
            "{\"v\":1,\"s\":\"title\",\"d\":\"a\",\"st\":[\"3\",\"42\"],\"pr\":[\"2\",\"\"],\
             \"m\":[\"0\",\"-1\",\"-3\"],\"p\":\"in_progress\",\"g\":\"priority\",\
             \"q\":\"Отчёт \\\"Q1\\\" ёлка\"}"
        );
        assert_eq!(SavedView::decode(&encoded), view);
        for sort in SortKey::ALL {
            for preset in Preset::ALL {
                for group in GroupBy::ALL {
                    let mut v = SavedView::default();
                    v.query.sort = sort;
                    v.query.preset = Some(preset);
                    v.group = group;
                    assert_eq!(SavedView::decode(&v.encode()), v);
                }
            }
        }
    }

    #[test]
    fn columns_and_widths_round_trip_and_old_views_get_the_default_columns() {
        let mut v = SavedView {
            columns: vec![
                Column::Deadline,
                Column::Id,
                Column::TimeSpent,
                Column::Project,
            ],
            ..SavedView::default()
        };
        v.set_width(Column::Title, 420);
        v.set_width(Column::Deadline, 9999);
        v.set_width(Column::Id, Column::Id.default_width());
        v.query.sort = SortKey::Responsible;
        let encoded = v.encode();
        assert_eq!(
            encoded,
            "{\"v\":1,\"s\":\"responsible\",\"c\":[\"deadline\",\"id\",\"time_spent\",\"project\"],\
             \"w\":{\"title\":420,\"deadline\":1200}}"
        );
        let back = SavedView::decode(&encoded);
        assert_eq!(back, v);
        assert_eq!(back.width(Column::Title), 420);
        assert_eq!(back.width(Column::Status), Column::Status.default_width());
        // A view saved before the columns existed: its query, and the default columns.
        let old = SavedView::decode("{\"v\":1,\"s\":\"title\",\"g\":\"status\"}");
        assert_eq!(old.columns, Column::DEFAULT_VISIBLE);
        assert_eq!(
            (old.query.sort, old.group),
            (SortKey::Title, GroupBy::Status)
        );
        assert!(old.widths.is_empty());
        // Bad entries are skipped one by one; nothing left is the default.
        let odd = SavedView::decode(
            "{\"v\":1,\"c\":[\"bogus\",7,\"status\",\"status\"],\"w\":{\"x\":5,\"id\":\"wide\",\"title\":1}}",
        );
        assert_eq!(odd.columns, [Column::Status]);
        assert_eq!(odd.widths, [(Column::Title, WIDTH_RANGE.0)]);
        let none = SavedView::decode("{\"v\":1,\"c\":[],\"w\":[]}");
        assert_eq!(none, SavedView::default());
        // Every column as the sort key survives the round trip.
        for column in Column::ALL {
            let mut v = SavedView::default();
            v.query.sort = column;
            assert_eq!(SavedView::decode(&v.encode()).query.sort, column);
        }
    }

    #[test]
    fn garbage_gives_the_default_view() {
        for raw in [
            "",
            "   ",
            "null",
            "[]",
            "42",
            "\"text\"",
            "{",
            "{\"v\":2,\"s\":\"title\"}",
            "{\"v\":\"1\",\"s\":\"title\"}",
            "{\"s\":\"title\"}",
            "v1|title|asc",
            "\u{0}\u{ffff}",
            &"{\"v\":1,\"q\":\"".repeat(2000),
        ] {
            assert_eq!(SavedView::decode(raw), SavedView::default(), "{raw:?}");
        }
    }

    #[test]
    fn bad_fields_fall_back_one_by_one() {
        let v = SavedView::decode(
            "{\"v\":1,\"s\":\"colour\",\"d\":7,\"st\":[3,\"5\",null,{}],\"pr\":\"high\",\
             \"m\":[\"-1\",\"-9\"],\"p\":\"mine\",\"g\":\"people\",\"q\":\"a\\u0000b\"}",
        );
        assert_eq!(v.query.sort, SortKey::Id);
        assert_eq!(v.query.dir, SortDir::Desc);
        assert_eq!(
            v.query.statuses,
            [RealStatus::InProgress, RealStatus::Completed].into()
        );
        assert!(v.query.priorities.is_empty());
        assert_eq!(v.query.meta, [Some(MetaStatus::Overdue)].into());
        assert_eq!(v.query.preset, None);
        assert_eq!(v.group, GroupBy::None);
        assert_eq!(v.query.search, "ab");
    }

    #[test]
    fn people_projects_dates_and_new_groupings_round_trip() {
        let mut v = full();
        v.query.responsible = [UserId(12), UserId(3)].into();
        v.query.creators = [UserId(1)].into();
        v.query.projects = [None, Some(GroupId(7))].into();
        v.query.dates.deadline = Some(DatePreset::ThisWeek);
        v.query.dates.created = Some(DatePreset::Custom {
            from: parse_day("2025-10-01"),
            to: None,
        });
        v.query.dates.closed = Some(DatePreset::Custom {
            from: parse_day("2025-09-01"),
            to: parse_day("2025-09-30"),
        });
        v.group = GroupBy::Responsible;
        let encoded = v.encode();
        assert!(
            encoded.contains(
                "\"rp\":[\"3\",\"12\"],\"cr\":[\"1\"],\"pj\":[\"0\",\"7\"],\
                 \"dd\":\"this_week\",\"dc\":\"2025-10-01..\",\"dx\":\"2025-09-01..2025-09-30\""
            ),
            "{encoded}"
        );
        assert!(encoded.contains("\"g\":\"responsible\""), "{encoded}");
        assert_eq!(SavedView::decode(&encoded), v);
        for group in GroupBy::ALL {
            for preset in DatePreset::RELATIVE {
                for field in DateField::ALL {
                    let mut v = SavedView {
                        group,
                        ..SavedView::default()
                    };
                    v.query.dates.set(field, Some(preset));
                    assert_eq!(SavedView::decode(&v.encode()), v);
                }
            }
        }
    }

    #[test]
    fn views_saved_before_issue_14_still_load() {
        // Written by the previous release (no people, projects or dates; status grouping).
        let old = "{\"v\":1,\"s\":\"title\",\"d\":\"a\",\"st\":[\"3\"],\"pr\":[\"2\"],\
                   \"m\":[\"-1\"],\"p\":\"in_progress\",\"g\":\"status\",\"q\":\"отчёт\"}";
        let v = SavedView::decode(old);
        assert_eq!(v.query.sort, SortKey::Title);
        assert_eq!(v.query.statuses, [RealStatus::InProgress].into());
        assert_eq!(v.query.preset, Some(Preset::InProgress));
        assert_eq!(v.group, GroupBy::Status);
        assert_eq!(v.query.search, "отчёт");
        assert!(v.query.responsible.is_empty() && v.query.projects.is_empty());
        assert!(v.query.dates.is_empty());
        assert_eq!(
            SavedView::decode("{\"v\":1,\"g\":\"priority\"}").group,
            GroupBy::Priority
        );
    }

    #[test]
    fn bad_people_projects_and_dates_fall_back() {
        let v = SavedView::decode(
            "{\"v\":1,\"rp\":[\"x\",-3,0,\"5\",7.5],\"cr\":\"1\",\"pj\":[\"0\",\"abc\"],\
             \"dd\":\"yesterday\",\"dc\":\"..\",\"dx\":\"2025-02-30..\",\"g\":\"deadline\"}",
        );
        assert_eq!(v.query.responsible, [UserId(5)].into());
        assert!(v.query.creators.is_empty());
        assert_eq!(v.query.projects, [None].into());
        assert!(v.query.dates.is_empty());
        assert_eq!(v.group, GroupBy::Deadline);
    }

    #[test]
    fn size_is_bounded() {
        let mut v = full();
        v.query.search = "\"😀".repeat(500);
        v.query.statuses = (0..100)
            .map(|i| RealStatus::Unknown(format!("{i:08}")))
            .collect();
        v.query
            .statuses
            .insert(RealStatus::Unknown("x".repeat(500)));
        v.query.priorities = (0..100)
            .map(|i| Priority::Unknown(format!("{i:08}")))
            .collect();
        v.query.meta = [
            None,
            Some(MetaStatus::Overdue),
            Some(MetaStatus::Unviewed),
            Some(MetaStatus::AlmostOverdue),
        ]
        .into();
        v.query.responsible = (1..100).map(|i| UserId(10_000_000 + i)).collect();
        v.query.creators = v.query.responsible.clone();
        v.query.projects = (1..100).map(|i| Some(GroupId(10_000_000 + i))).collect();
        for field in DateField::ALL {
            v.query.dates.set(
                field,
                Some(DatePreset::Custom {
                    from: parse_day("2025-01-01"),
                    to: parse_day("2025-12-31"),
                }),
            );
        }
        let encoded = v.encode();
        assert!(encoded.len() < 1300, "{} bytes", encoded.len());
        assert!(encoded.len() < MAX_INPUT_LEN);
        let back = SavedView::decode(&encoded);
        assert_eq!(back.query.search.chars().count(), MAX_SEARCH_CHARS);
        assert_eq!(back.query.statuses.len(), MAX_SET_LEN);
    }
}
