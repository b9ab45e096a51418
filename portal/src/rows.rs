//! Task rows as `task.item.list` returns them: field set from SELECT, key order of the
//! readable-field allow-list, values as strings, dates ISO or `""`, meta STATUS per caller,
//! ALLOWED_ACTIONS (docs/platform/task-list.md, "SELECT and the returned row", "Value types",
//! "Meta statuses").
//!
//! Rows are written straight into the answer text (fast path for 10^5–10^6 tasks) and only
//! turned into PHP values when a batch reference (`$result[cmd][49][ID]`) looks into them.

use crate::clock;
use crate::dataset::{user, Task};
use crate::php::{Key, PhpArray, PhpValue};
use crate::store::Store;

/// Readable task fields in allow-list order (`CTasks::getPublicFieldMap`;
/// docs/platform/task-list.md, "SELECT and the returned row").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum F {
    Title,
    StageId,
    Description,
    Deadline,
    StartDatePlan,
    EndDatePlan,
    Priority,
    Accomplices,
    Auditors,
    Tags,
    AllowChangeDeadline,
    TaskControl,
    ParentId,
    DependsOn,
    GroupId,
    ResponsibleId,
    TimeEstimate,
    Id,
    CreatedBy,
    DescriptionInBbcode,
    DeclineReason,
    RealStatus,
    Status,
    ResponsibleName,
    ResponsibleLastName,
    ResponsibleSecondName,
    DateStart,
    DurationFact,
    DurationPlan,
    DurationType,
    CreatedByName,
    CreatedByLastName,
    CreatedBySecondName,
    CreatedDate,
    ChangedBy,
    ChangedDate,
    StatusChangedBy,
    StatusChangedDate,
    ClosedBy,
    ClosedDate,
    ActivityDate,
    Guid,
    Mark,
    ViewedDate,
    TimeSpentInLogs,
    Favorite,
    AllowTimeTracking,
    MatchWorkTime,
    AddInReport,
    ForumId,
    ForumTopicId,
    CommentsCount,
    SiteId,
    Subordinate,
    ForkedByTemplateId,
    Multitask,
    Epic,
}

/// Every readable field with its wire name, in output order.
pub const FIELDS: [(F, &str); 57] = [
    (F::Title, "TITLE"),
    (F::StageId, "STAGE_ID"),
    (F::Description, "DESCRIPTION"),
    (F::Deadline, "DEADLINE"),
    (F::StartDatePlan, "START_DATE_PLAN"),
    (F::EndDatePlan, "END_DATE_PLAN"),
    (F::Priority, "PRIORITY"),
    (F::Accomplices, "ACCOMPLICES"),
    (F::Auditors, "AUDITORS"),
    (F::Tags, "TAGS"),
    (F::AllowChangeDeadline, "ALLOW_CHANGE_DEADLINE"),
    (F::TaskControl, "TASK_CONTROL"),
    (F::ParentId, "PARENT_ID"),
    (F::DependsOn, "DEPENDS_ON"),
    (F::GroupId, "GROUP_ID"),
    (F::ResponsibleId, "RESPONSIBLE_ID"),
    (F::TimeEstimate, "TIME_ESTIMATE"),
    (F::Id, "ID"),
    (F::CreatedBy, "CREATED_BY"),
    (F::DescriptionInBbcode, "DESCRIPTION_IN_BBCODE"),
    (F::DeclineReason, "DECLINE_REASON"),
    (F::RealStatus, "REAL_STATUS"),
    (F::Status, "STATUS"),
    (F::ResponsibleName, "RESPONSIBLE_NAME"),
    (F::ResponsibleLastName, "RESPONSIBLE_LAST_NAME"),
    (F::ResponsibleSecondName, "RESPONSIBLE_SECOND_NAME"),
    (F::DateStart, "DATE_START"),
    (F::DurationFact, "DURATION_FACT"),
    (F::DurationPlan, "DURATION_PLAN"),
    (F::DurationType, "DURATION_TYPE"),
    (F::CreatedByName, "CREATED_BY_NAME"),
    (F::CreatedByLastName, "CREATED_BY_LAST_NAME"),
    (F::CreatedBySecondName, "CREATED_BY_SECOND_NAME"),
    (F::CreatedDate, "CREATED_DATE"),
    (F::ChangedBy, "CHANGED_BY"),
    (F::ChangedDate, "CHANGED_DATE"),
    (F::StatusChangedBy, "STATUS_CHANGED_BY"),
    (F::StatusChangedDate, "STATUS_CHANGED_DATE"),
    (F::ClosedBy, "CLOSED_BY"),
    (F::ClosedDate, "CLOSED_DATE"),
    (F::ActivityDate, "ACTIVITY_DATE"),
    (F::Guid, "GUID"),
    (F::Mark, "MARK"),
    (F::ViewedDate, "VIEWED_DATE"),
    (F::TimeSpentInLogs, "TIME_SPENT_IN_LOGS"),
    (F::Favorite, "FAVORITE"),
    (F::AllowTimeTracking, "ALLOW_TIME_TRACKING"),
    (F::MatchWorkTime, "MATCH_WORK_TIME"),
    (F::AddInReport, "ADD_IN_REPORT"),
    (F::ForumId, "FORUM_ID"),
    (F::ForumTopicId, "FORUM_TOPIC_ID"),
    (F::CommentsCount, "COMMENTS_COUNT"),
    (F::SiteId, "SITE_ID"),
    (F::Subordinate, "SUBORDINATE"),
    (F::ForkedByTemplateId, "FORKED_BY_TEMPLATE_ID"),
    (F::Multitask, "MULTITASK"),
    (F::Epic, "EPIC"),
];

/// Looks a wire name up in [`FIELDS`].
pub fn field_index(name: &str) -> Option<usize> {
    FIELDS.iter().position(|(_, n)| *n == name)
}

/// A set of [`FIELDS`] indices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct FieldSet(u64);

impl FieldSet {
    /// Adds the field at `index`.
    pub fn add(&mut self, index: usize) {
        if index < 64 {
            self.0 |= 1 << index;
        }
    }

    /// Adds a field by wire name (unknown names are ignored: SELECT has no allow-list).
    pub fn add_name(&mut self, name: &str) {
        if let Some(i) = field_index(name) {
            self.add(i);
        }
    }

    /// Removes a field by wire name.
    pub fn remove_name(&mut self, name: &str) {
        if let Some(i) = field_index(name) {
            self.0 &= !(1u64 << i);
        }
    }

    /// True when the field at `index` is in the set.
    pub fn has(&self, index: usize) -> bool {
        index < 64 && self.0 & (1 << index) != 0
    }

    /// The fields of an empty SELECT: every readable field except ACCOMPLICES, AUDITORS, TAGS,
    /// DEPENDS_ON and EPIC (docs/platform/task-list.md, "SELECT and the returned row").
    pub fn default_select() -> FieldSet {
        let mut s = FieldSet::default();
        for (i, (f, _)) in FIELDS.iter().enumerate() {
            if !matches!(
                f,
                F::Accomplices | F::Auditors | F::Tags | F::DependsOn | F::Epic
            ) {
                s.add(i);
            }
        }
        s
    }

    /// `ID, RESPONSIBLE_ID, CREATED_BY, GROUP_ID, STATUS, REAL_STATUS` — always merged into a
    /// non-empty SELECT (`getMinimalSelectLegacy`).
    pub fn minimal() -> FieldSet {
        let mut s = FieldSet::default();
        for n in [
            "ID",
            "RESPONSIBLE_ID",
            "CREATED_BY",
            "GROUP_ID",
            "STATUS",
            "REAL_STATUS",
        ] {
            s.add_name(n);
        }
        s
    }
}

/// The 22 ALLOWED_ACTIONS keys in order (docs/platform/task-list.md, "SELECT and the returned
/// row").
pub const ACTIONS: [&str; 22] = [
    "ACTION_ACCEPT",
    "ACTION_DECLINE",
    "ACTION_COMPLETE",
    "ACTION_APPROVE",
    "ACTION_DISAPPROVE",
    "ACTION_START",
    "ACTION_PAUSE",
    "ACTION_DELEGATE",
    "ACTION_REMOVE",
    "ACTION_EDIT",
    "ACTION_DEFER",
    "ACTION_RENEW",
    "ACTION_CREATE",
    "ACTION_CHANGE_DEADLINE",
    "ACTION_CHECKLIST_ADD_ITEMS",
    "ACTION_CHECKLIST_REORDER_ITEMS",
    "ACTION_CHANGE_DIRECTOR",
    "ACTION_ELAPSED_TIME_ADD",
    "ACTION_START_TIME_TRACKING",
    "ACTION_ADD_FAVORITE",
    "ACTION_DELETE_FAVORITE",
    "ACTION_RATE",
];

/// Meta STATUS for `caller` at `now_s` (docs/platform/task-list.md, "Meta statuses"; first match
/// wins):
/// -3 almost overdue (deadline within the next 86400 s), -1 overdue, -2 not viewed by a
/// caller who is not the creator while real status is 1 or 2, else the real status.
pub fn meta_status(t: &Task, caller: u64, now_s: i64) -> i64 {
    let rs = t.real_status;
    let deadline_counts = rs != 4 && rs != 5 && (rs != 7 || u64::from(t.responsible_id) != caller);
    if let Some(d) = t.deadline {
        if deadline_counts && now_s <= d && d < now_s + 86_400 {
            return -3;
        }
        if deadline_counts && d < now_s {
            return -1;
        }
    }
    if !t.viewed_by(caller) && u64::from(t.created_by) != caller && (rs == 1 || rs == 2) {
        return -2;
    }
    i64::from(rs)
}

/// ALLOWED_ACTIONS for `caller` (a plausible role/status model; the real rules are access
/// checks on the portal and are not documented).
pub fn allowed_actions(t: &Task, caller: u64, is_admin: bool) -> [bool; 22] {
    let rs = t.real_status;
    let resp = u64::from(t.responsible_id) == caller;
    let creator = u64::from(t.created_by) == caller;
    let director = creator || is_admin;
    let member = resp || director;
    let open = !matches!(rs, 4 | 5);
    [
        false,                                         // ACCEPT (legacy flow)
        false,                                         // DECLINE (legacy flow)
        member && open,                                // COMPLETE
        director && rs == 4,                           // APPROVE
        director && rs == 4,                           // DISAPPROVE
        (resp || is_admin) && matches!(rs, 1 | 2 | 6), // START
        (resp || is_admin) && rs == 3,                 // PAUSE
        (resp || director) && open,                    // DELEGATE
        director,                                      // REMOVE
        director,                                      // EDIT
        member && matches!(rs, 1..=3),                 // DEFER
        member && matches!(rs, 5..=7),                 // RENEW
        true,                                          // CREATE
        director,                                      // CHANGE_DEADLINE
        member,                                        // CHECKLIST_ADD_ITEMS
        member,                                        // CHECKLIST_REORDER_ITEMS
        director,                                      // CHANGE_DIRECTOR
        member,                                        // ELAPSED_TIME_ADD
        false,    // START_TIME_TRACKING (ALLOW_TIME_TRACKING = N)
        true,     // ADD_FAVORITE
        false,    // DELETE_FAVORITE
        director, // RATE
    ]
}

/// A field value before it is written.
enum Val {
    Null,
    Static(&'static str),
    Text(String),
    Num(i64),
    Date(Option<i64>),
    EmptyList,
}

fn name_parts(id: u16) -> (&'static str, &'static str, &'static str) {
    user(u64::from(id)).map_or(("", "", ""), |u| (u.name, u.last_name, u.second_name))
}

fn value(f: F, t: &Task, caller: u64, now_s: i64) -> Val {
    let yn = |b: bool| Val::Static(if b { "Y" } else { "N" });
    match f {
        F::Title => Val::Text(t.title()),
        F::StageId => Val::Static("0"),
        F::Description => Val::Text(t.description()),
        F::Deadline => Val::Date(t.deadline),
        F::StartDatePlan | F::EndDatePlan => Val::Date(None),
        F::Priority => Val::Num(i64::from(t.priority)),
        F::Accomplices | F::Auditors | F::Tags | F::DependsOn => Val::EmptyList,
        F::AllowChangeDeadline => yn(t.text_seed % 3 == 0),
        F::TaskControl => yn(t.text_seed % 5 == 0),
        F::ParentId => Val::Null,
        F::GroupId => Val::Num(i64::from(t.group_id)),
        F::ResponsibleId => Val::Num(i64::from(t.responsible_id)),
        F::TimeEstimate => Val::Num(i64::from(t.time_estimate_s())),
        F::Id => Val::Num(t.id as i64),
        F::CreatedBy => Val::Num(i64::from(t.created_by)),
        F::DescriptionInBbcode => Val::Static("Y"),
        F::DeclineReason => Val::Null,
        F::RealStatus => Val::Num(i64::from(t.real_status)),
        F::Status => Val::Num(meta_status(t, caller, now_s)),
        F::ResponsibleName => Val::Static(name_parts(t.responsible_id).0),
        F::ResponsibleLastName => Val::Static(name_parts(t.responsible_id).1),
        F::ResponsibleSecondName => Val::Static(name_parts(t.responsible_id).2),
        F::DateStart => Val::Date(t.date_start),
        F::DurationFact => Val::Null,
        F::DurationPlan => Val::Null,
        F::DurationType => Val::Static("days"),
        F::CreatedByName => Val::Static(name_parts(t.created_by).0),
        F::CreatedByLastName => Val::Static(name_parts(t.created_by).1),
        F::CreatedBySecondName => Val::Static(name_parts(t.created_by).2),
        F::CreatedDate => Val::Date(Some(t.created)),
        F::ChangedBy => Val::Num(i64::from(t.responsible_id)),
        F::ChangedDate | F::ActivityDate => Val::Date(Some(t.changed)),
        F::StatusChangedBy => Val::Num(i64::from(t.responsible_id)),
        F::StatusChangedDate => Val::Date(Some(t.status_changed)),
        F::ClosedBy => match t.closed {
            Some(_) => Val::Num(i64::from(t.responsible_id)),
            None => Val::Null,
        },
        F::ClosedDate => Val::Date(t.closed),
        F::Guid => Val::Text(t.guid()),
        F::Mark => Val::Null,
        F::ViewedDate => Val::Date(t.viewed_at(caller)),
        // No time logged: `null`, as the documented answers show (`"timeSpentInLogs": null`).
        F::TimeSpentInLogs => match t.time_spent_s {
            0 => Val::Null,
            s => Val::Num(i64::from(s)),
        },
        F::Favorite => Val::Static("N"),
        F::AllowTimeTracking | F::MatchWorkTime | F::AddInReport => Val::Static("N"),
        F::ForumId | F::ForumTopicId | F::CommentsCount | F::ForkedByTemplateId | F::Epic => {
            Val::Null
        }
        F::SiteId => Val::Static("s1"),
        F::Subordinate => Val::Static("N"),
        F::Multitask => Val::Static("N"),
    }
}

fn val_to_php(v: Val, offset_s: i32) -> PhpValue {
    match v {
        Val::Null => PhpValue::Null,
        Val::Static(s) => PhpValue::Str(s.to_string()),
        Val::Text(s) => PhpValue::Str(s),
        Val::Num(n) => PhpValue::Str(n.to_string()),
        Val::Date(d) => PhpValue::Str(d.map_or_else(String::new, |d| clock::iso_in(d, offset_s))),
        Val::EmptyList => PhpValue::Array(PhpArray::new()),
    }
}

/// Appends `s` as a JSON string (same escaping as serde_json).
pub fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc: Option<&str> = match b {
            b'"' => Some("\\\""),
            b'\\' => Some("\\\\"),
            b'\n' => Some("\\n"),
            b'\r' => Some("\\r"),
            b'\t' => Some("\\t"),
            0x08 => Some("\\b"),
            0x0c => Some("\\f"),
            0..=0x1f => None,
            _ => continue,
        };
        out.push_str(&s[start..i]);
        match esc {
            Some(e) => out.push_str(e),
            None => {
                use std::fmt::Write;
                let _ = write!(out, "\\u{:04x}", b);
            }
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

fn push_val(out: &mut String, v: Val, offset_s: i32) {
    use std::fmt::Write;
    match v {
        Val::Null => out.push_str("null"),
        Val::Static(s) => push_json_str(out, s),
        Val::Text(s) => push_json_str(out, &s),
        Val::Num(n) => {
            let _ = write!(out, "\"{n}\"");
        }
        Val::Date(None) => out.push_str("\"\""),
        Val::Date(Some(d)) => {
            out.push('"');
            clock::push_iso_in(out, d, offset_s);
            out.push('"');
        }
        Val::EmptyList => out.push_str("[]"),
    }
}

/// `tasks.task.list` key: `RESPONSIBLE_ID` → `responsibleId`; REAL_STATUS → `status`,
/// STATUS → `subStatus` (docs/platform/task-list.md, "`tasks.task.list`").
pub fn camel_name(name: &str) -> String {
    match name {
        "REAL_STATUS" => return "status".into(),
        "STATUS" => return "subStatus".into(),
        _ => {}
    }
    let mut s = String::with_capacity(name.len());
    for (i, part) in name.split('_').enumerate() {
        let lower = part.to_ascii_lowercase();
        if i == 0 {
            s.push_str(&lower);
        } else {
            let mut cs = lower.chars();
            if let Some(c) = cs.next() {
                s.push(c.to_ascii_uppercase());
                s.extend(cs);
            }
        }
    }
    s
}

/// The row format of a list method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowFormat {
    /// `task.item.list`: UPPER_CASE keys, each row with its `ALLOWED_ACTIONS`.
    ItemList,
    /// `tasks.task.list`: camelCase keys, no actions.
    TaskList,
}

/// One page of rows, rendered lazily.
#[derive(Clone, Debug, PartialEq)]
pub struct Rows {
    /// Positions in the store's task vector, in answer order.
    pub positions: Vec<u32>,
    /// The calling user.
    pub caller: u64,
    /// True when the caller is the portal administrator.
    pub caller_is_admin: bool,
    /// Request time, Unix s.
    pub now_s: i64,
    /// Fields to emit.
    pub fields: FieldSet,
    /// The calling method's row format.
    pub format: RowFormat,
}

impl Rows {
    /// camelCase keys (`tasks.task.list`).
    fn camel(&self) -> bool {
        self.format == RowFormat::TaskList
    }

    /// Each row with its `ALLOWED_ACTIONS` (`task.item.list`).
    fn actions(&self) -> bool {
        self.format == RowFormat::ItemList
    }

    fn key(&self, name: &str) -> String {
        if self.camel() {
            camel_name(name)
        } else {
            name.to_string()
        }
    }

    /// Appends the page as a JSON array.
    pub fn write(&self, store: &Store, out: &mut String) {
        out.push('[');
        for (n, &pos) in self.positions.iter().enumerate() {
            if n > 0 {
                out.push(',');
            }
            if let Some(t) = store.tasks.get(pos as usize) {
                self.write_row(t, store.offset_s, out);
            } else {
                out.push_str("{}");
            }
        }
        out.push(']');
    }

    fn write_row(&self, t: &Task, offset_s: i32, out: &mut String) {
        out.push('{');
        let mut first = true;
        for (i, (f, name)) in FIELDS.iter().enumerate() {
            if !self.fields.has(i) {
                continue;
            }
            if !first {
                out.push(',');
            }
            first = false;
            if self.camel() {
                push_json_str(out, &camel_name(name));
            } else {
                out.push('"');
                out.push_str(name);
                out.push('"');
            }
            out.push(':');
            push_val(out, value(*f, t, self.caller, self.now_s), offset_s);
        }
        if self.actions() {
            if !first {
                out.push(',');
            }
            out.push_str("\"ALLOWED_ACTIONS\":{");
            let acts = allowed_actions(t, self.caller, self.caller_is_admin);
            for (i, (name, on)) in ACTIONS.iter().zip(acts).enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push('"');
                out.push_str(name);
                out.push_str("\":");
                out.push_str(if on { "true" } else { "false" });
            }
            out.push('}');
        }
        out.push('}');
    }

    /// Row `index` as a PHP array (for batch references).
    pub fn row_php(&self, store: &Store, index: usize) -> Option<PhpValue> {
        let pos = *self.positions.get(index)?;
        let t = store.tasks.get(pos as usize)?;
        let mut arr = PhpArray::new();
        for (i, (f, name)) in FIELDS.iter().enumerate() {
            if self.fields.has(i) {
                arr.insert(
                    Key::Str(self.key(name)),
                    val_to_php(value(*f, t, self.caller, self.now_s), store.offset_s),
                );
            }
        }
        if self.actions() {
            let mut acts = PhpArray::new();
            for (name, on) in
                ACTIONS
                    .iter()
                    .zip(allowed_actions(t, self.caller, self.caller_is_admin))
            {
                acts.insert(Key::Str((*name).to_string()), PhpValue::Bool(on));
            }
            arr.insert(Key::Str("ALLOWED_ACTIONS".into()), PhpValue::Array(acts));
        }
        Some(PhpValue::Array(arr))
    }

    /// The whole page as a PHP list of rows.
    pub fn to_php(&self, store: &Store) -> PhpArray {
        let mut arr = PhpArray::new();
        for i in 0..self.positions.len() {
            if let Some(row) = self.row_php(store, i) {
                arr.push(row);
            }
        }
        arr
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn task() -> Task {
        Task {
            id: 10,
            text_seed: 99,
            created: 1_000_000,
            changed: 1_000_500,
            status_changed: 1_000_000,
            deadline: None,
            date_start: None,
            closed: None,
            responsible_id: 5,
            created_by: 3,
            group_id: 0,
            viewed_mask: 1 << 3,
            time_spent_s: 0,
            estimate_quarters: 0,
            priority: 1,
            real_status: 2,
        }
    }

    const NOW: i64 = 2_000_000;

    #[test]
    fn meta_status_order_and_boundaries() {
        let mut t = task();
        // Not viewed by user 5, not creator, status 2 → -2.
        assert_eq!(meta_status(&t, 5, NOW), -2);
        // The creator sees the real status.
        assert_eq!(meta_status(&t, 3, NOW), 2);
        // Deadline exactly now → almost overdue (now ≤ d < now + 86400).
        t.deadline = Some(NOW);
        assert_eq!(meta_status(&t, 3, NOW), -3);
        t.deadline = Some(NOW + 86_399);
        assert_eq!(meta_status(&t, 3, NOW), -3);
        t.deadline = Some(NOW + 86_400);
        assert_eq!(meta_status(&t, 3, NOW), 2);
        t.deadline = Some(NOW - 1);
        assert_eq!(meta_status(&t, 3, NOW), -1);
        // Overdue beats unviewed.
        assert_eq!(meta_status(&t, 5, NOW), -1);
        // Completed and pending-review tasks are never overdue.
        t.real_status = 5;
        assert_eq!(meta_status(&t, 3, NOW), 5);
        t.real_status = 4;
        assert_eq!(meta_status(&t, 3, NOW), 4);
        // Declined: overdue for others, not for the responsible person.
        t.real_status = 7;
        assert_eq!(meta_status(&t, 3, NOW), -1);
        assert_eq!(meta_status(&t, 5, NOW), 7);
        // Deferred tasks can be overdue.
        t.real_status = 6;
        assert_eq!(meta_status(&t, 5, NOW), -1);
    }

    #[test]
    fn camel_case_names() {
        assert_eq!(camel_name("ID"), "id");
        assert_eq!(camel_name("RESPONSIBLE_ID"), "responsibleId");
        assert_eq!(camel_name("REAL_STATUS"), "status");
        assert_eq!(camel_name("STATUS"), "subStatus");
        assert_eq!(camel_name("CREATED_BY_LAST_NAME"), "createdByLastName");
    }

    #[test]
    fn json_strings_escape_like_serde() {
        for s in ["a\"b\\c", "line\nbreak\t\u{1}", "эмодзи 🔥 <script>"] {
            let mut out = String::new();
            push_json_str(&mut out, s);
            assert_eq!(out, serde_json::to_string(s).unwrap());
        }
    }
}
