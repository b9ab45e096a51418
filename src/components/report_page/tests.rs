//! Server-side render tests of the report view: what a user sees, as HTML.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::cell::RefCell;
use std::rc::Rc;

use super::*;
use crate::hooks::use_task_loader::NamesStatus;
use crate::i18n::Lang;
use crate::report::directory::Directory;
use crate::report::load_error::{LoadError, LoadErrorKind};
use crate::report::loader::LoadNotice;
use crate::report::query::testdata::generate;
use crate::report::query::{Preset, TaskTable};
use crate::report::retry::WaitReason;

use crate::state::SourceKind;

use crate::report::task::test_task as task;
use crate::report::task::UserId;

fn sample() -> TaskTable {
    TaskTable::from_tasks(vec![
        task(1, "Подготовить отчёт", "1", "2", Some("-2")),
        task(2, "Fix the invoice", "2", "3", Some("-1")),
        task(3, "Ship it", "0", "5", None),
        task(4, "Review contract", "1", "4", Some("-3")),
        task(5, "<img src=x onerror=alert(1)><b>bold</b>", "2", "3", None),
        task(6, "   ", "1", "6", None),
    ])
}

fn done(loaded: usize) -> LoadStatus {
    LoadStatus::Done {
        loaded,
        requests: 3,
        elapsed_ms: 1_250,
    }
}

struct Setup {
    lang: Lang,
    table: TaskTable,
    status: LoadStatus,
    view: SavedView,
    can_open: bool,
    portal_url: Option<String>,
    source: SourceKind,
    notices: Vec<LoadNotice>,
    view_unsaved: bool,
    directory: Directory,
    names: NamesStatus,
}

impl Setup {
    fn new(table: TaskTable) -> Self {
        let loaded = table.len();
        Self {
            lang: Lang::En,
            table,
            status: done(loaded),
            view: SavedView::default(),
            can_open: true,
            portal_url: Some("https://acme.bitrix24.com".into()),
            source: SourceKind::Portal {
                domain: "acme.bitrix24.com".into(),
            },
            notices: Vec::new(),
            view_unsaved: false,
            directory: Directory::new(),
            names: NamesStatus::Resolved,
        }
    }

    async fn render(self) -> String {
        let props = ReportPageProps {
            session: Session {
                lang: self.lang,
                source: self.source,
                can_open_in_portal: self.can_open,
                portal_url: self.portal_url,
            },
            table: TableRef::new(Rc::new(RefCell::new(self.table))),
            status: self.status,
            notices: self.notices.into(),
            directory: Rc::new(self.directory),
            names: self.names,
            view: self.view,
            onedit: Callback::noop(),
            view_unsaved: self.view_unsaved,
            onopen: Callback::noop(),
            onretry: Callback::noop(),
            oncancel: Callback::noop(),
            onreload: Callback::noop(),
        };
        yew::LocalServerRenderer::<ReportPage>::with_props(props)
            .hydratable(false)
            .render()
            .await
    }
}

fn count(html: &str, needle: &str) -> usize {
    html.matches(needle).count()
}

/// The text of the first element with this `data-testid` (up to its first child tag end).
fn testid_text<'a>(html: &'a str, testid: &str) -> &'a str {
    let at = html
        .find(&format!("data-testid=\"{testid}\""))
        .unwrap_or_else(|| panic!("no {testid} in {html}"));
    let rest = &html[at..];
    let start = rest.find('>').unwrap() + 1;
    let end = rest[start..].find('<').unwrap() + start;
    &rest[start..end]
}

#[tokio::test]
async fn english_labels_counters_and_table() {
    let html = Setup::new(sample()).render().await;
    for text in [
        "Task report",
        "Data from acme.bitrix24.com",
        "Export CSV",
        "Print",
        "Reload",
        "All tasks",
        "Awaiting control",
        ">Title<",
        ">Priority<",
        ">Status<",
        "Status × priority",
        "Tasks by status",
        "Reset filters",
        "No grouping",
        "Almost overdue",
    ] {
        assert!(html.contains(text), "missing {text:?}");
    }
    assert_eq!(testid_text(&html, "shown-count"), "6 of 6 tasks");
    for name in [
        "total",
        "in-progress",
        "overdue",
        "almost-overdue",
        "unviewed",
        "awaiting-control",
        "completed",
    ] {
        assert!(
            html.contains(&format!("data-testid=\"counter-{name}\"")),
            "{name}"
        );
    }
    // Total is the active quick filter of the default view.
    assert!(
        html.contains("aria-pressed=\"true\" data-testid=\"counter-total\"")
            || html.contains("data-testid=\"counter-total\" aria-pressed=\"true\"")
    );
    assert_eq!(count(&html, "data-testid=\"row\""), 6);
    // Newest first; ID column sorted descending.
    let first = html.find("data-id=\"6\"").unwrap();
    let last = html.find("data-id=\"1\"").unwrap();
    assert!(first < last);
    assert!(html.contains("aria-sort=\"descending\""));
    assert!(html.contains("role=\"grid\""));
    assert!(html.contains("aria-rowcount=\"7\""));
    assert!(html.contains("aria-rowindex=\"2\""));
    for id in [
        "report-table",
        "search",
        "pivot",
        "chart",
        "load-status",
        "export-csv",
        "print",
        "reload",
        "group-by",
        "load-stats",
    ] {
        assert!(html.contains(&format!("data-testid=\"{id}\"")), "{id}");
    }
    assert!(!html.contains("data-testid=\"error-panel\""));
    assert_eq!(
        testid_text(&html, "load-stats"),
        "Loaded 6 tasks in 1.3 s; requests: 3."
    );
}

#[tokio::test]
async fn russian_labels_and_plurals() {
    let mut s = Setup::new(sample());
    s.lang = Lang::Ru;
    let html = s.render().await;
    for text in [
        "Отчёт по задачам",
        "Данные портала acme.bitrix24.com",
        "Все задачи",
        "Название",
        "Приоритет",
        "Выполняется",
        "Просрочена",
        "Почти просрочена",
        "Не просмотрена",
        "Высокий",
        "Экспорт в CSV",
        "(без названия)",
        "lang=\"ru\"",
    ] {
        assert!(html.contains(text), "missing {text:?}");
    }
    assert_eq!(testid_text(&html, "shown-count"), "6 из 6 задач");
    assert_eq!(
        testid_text(&html, "load-stats"),
        "Загружено 6 задач за 1,3 с; запросов: 3."
    );
}

#[tokio::test]
async fn meta_badges_escaped_titles_and_no_title() {
    let html = Setup::new(sample()).render().await;
    let row = |id: u64| {
        let at = html.find(&format!("data-id=\"{id}\"")).unwrap();
        let end = html[at..].find("</tr>").unwrap() + at;
        html[at..end].to_string()
    };
    assert!(row(2).contains("tone-alert\">Overdue<"), "{}", row(2));
    assert!(row(2).contains(">In progress<"));
    assert!(row(4).contains("tone-warning\">Almost overdue<"));
    assert!(row(4).contains(">Pending review<"));
    assert!(row(1).contains(">Unviewed<"));
    assert!(!row(3).contains("Overdue"));
    // HTML in a title is text.
    assert!(!html.contains("<img"));
    assert!(!html.contains("<b>bold"));
    assert!(row(5).contains("&lt;img src=x onerror=alert(1)&gt;&lt;b&gt;bold&lt;/b&gt;"));
    assert!(row(6).contains("class=\"no-title\">(no title)<"));
}

#[tokio::test]
async fn saved_view_filters_and_n_of_m() {
    let mut s = Setup::new(sample());
    s.view.query.preset = Some(Preset::Completed);
    let html = s.render().await;
    assert_eq!(testid_text(&html, "shown-count"), "1 of 6 tasks");
    assert_eq!(count(&html, "data-testid=\"row\""), 1);
    assert!(html.contains("data-id=\"3\""));
    // The Completed counter is the active quick filter.
    let at = html.find("data-testid=\"counter-completed\"").unwrap();
    let tag = &html[html[..at].rfind('<').unwrap()..at + 60];
    assert!(tag.contains("aria-pressed=\"true\""), "{tag}");

    let mut s = Setup::new(sample());
    s.view.query.search = "НЕТ ТАКОГО".into();
    let html = s.render().await;
    assert_eq!(testid_text(&html, "shown-count"), "0 of 6 tasks");
    assert!(html.contains("No tasks match"));
    assert!(html.contains("Change the search or reset the filters."));
    assert!(html.contains("value=\"НЕТ ТАКОГО\""));
}

#[tokio::test]
async fn failed_load_shows_error_panel_with_retry_and_partial_note() {
    let mut s = Setup::new(sample());
    s.status = LoadStatus::Failed {
        error: LoadError::new(LoadErrorKind::MissingScope)
            .with_code(
                "insufficient_scope",
                "The request requires higher privileges",
            )
            .with_status(401),
        loaded: 6,
        total: Some(120),
    };
    let html = s.render().await;
    assert!(html.contains("data-testid=\"error-panel\""));
    assert!(html.contains("role=\"alert\""));
    assert!(html.contains("The app needs the Tasks (task) permission"));
    assert!(html.contains("insufficient_scope: The request requires higher privileges (HTTP 401)"));
    assert!(html.contains("The report is incomplete — loaded 6 of 120 tasks."));
    assert!(html.contains("data-testid=\"retry\""));
    // The partial report is still there.
    assert_eq!(count(&html, "data-testid=\"row\""), 6);
    assert!(!html.contains("data-testid=\"cancel\""));

    // Nothing loaded: the error panel alone (no empty table).
    let mut s = Setup::new(TaskTable::new());
    s.lang = Lang::Ru;
    s.status = LoadStatus::Failed {
        error: LoadError::new(LoadErrorKind::Network),
        loaded: 0,
        total: None,
    };
    let html = s.render().await;
    assert!(html.contains("Ошибка сети"));
    assert!(html.contains(">Повторить<"));
    assert!(!html.contains("data-testid=\"report-table\""));
    assert!(!html.contains("data-testid=\"empty-state\""));
}

#[tokio::test]
async fn cancelled_load_offers_resume() {
    let mut s = Setup::new(sample());
    s.status = LoadStatus::Cancelled {
        loaded: 6,
        total: None,
    };
    let html = s.render().await;
    assert!(html.contains("Loading cancelled."));
    assert!(html.contains("loaded 6 tasks"));
    assert!(html.contains("data-testid=\"retry\""));
}

#[tokio::test]
async fn empty_and_connecting_states() {
    let html = Setup::new(TaskTable::new()).render().await;
    assert!(html.contains("data-testid=\"empty-state\""));
    assert!(html.contains("No tasks yet"));
    assert!(html.contains("Create a task in Bitrix24 Tasks, then press Reload."));
    assert_eq!(testid_text(&html, "shown-count"), "0 of 0 tasks");

    let mut s = Setup::new(TaskTable::new());
    s.status = LoadStatus::Connecting;
    let html = s.render().await;
    assert!(html.contains("Connecting to Bitrix24…"));
    assert!(html.contains("data-testid=\"skeleton\""));
    assert!(!html.contains("data-testid=\"report-table\""));

    let mut s = Setup::new(TaskTable::new());
    s.status = LoadStatus::Loading {
        loaded: 0,
        total: None,
        requests: 1,
    };
    let html = s.render().await;
    assert!(html.contains("Loading tasks…"));
    assert!(html.contains("data-testid=\"skeleton\""));
    assert!(html.contains("is-indeterminate"));
}

#[tokio::test]
async fn loading_progress_and_waits() {
    let mut s = Setup::new(sample());
    s.status = LoadStatus::Loading {
        loaded: 12_500,
        total: Some(100_000),
        requests: 7,
    };
    let html = s.render().await;
    assert!(html.contains("role=\"progressbar\""));
    assert!(html.contains("aria-valuenow=\"12500\""));
    assert!(html.contains("aria-valuemax=\"100000\""));
    assert!(html.contains("Loading tasks… 12,500 of 100,000"));
    assert!(html.contains("Requests: 7"));
    assert!(html.contains("data-testid=\"cancel\""));
    // The rows that arrived are already shown.
    assert_eq!(count(&html, "data-testid=\"row\""), 6);

    let mut s = Setup::new(sample());
    s.lang = Lang::Ru;
    s.status = LoadStatus::Waiting {
        loaded: 12_500,
        total: Some(100_000),
        // 2024-01-01 14:05 UTC (server rendering has no local time zone).
        reason: WaitReason::OperationLimit {
            reset_at: Some(1_704_117_900.0),
        },
        ms: 60_000,
    };
    let html = s.render().await;
    assert!(html.contains("Загрузка задач… 12\u{a0}500 из 100\u{a0}000"));
    assert!(html.contains("ждём до 14:05"));

    let mut s = Setup::new(sample());
    s.status = LoadStatus::Waiting {
        loaded: 5,
        total: None,
        reason: WaitReason::QueryLimit { attempt: 1 },
        ms: 1_000,
    };
    let html = s.render().await;
    assert!(html.contains("Too many requests to the portal"));
}

#[tokio::test]
async fn hundred_thousand_rows_are_virtualised() {
    let table = TaskTable::from_tasks(generate(100_000, 5));
    let html = Setup::new(table).render().await;
    let rows = count(&html, "data-testid=\"row\"");
    assert!(rows > 0 && rows <= 200, "{rows} rows in the DOM");
    assert!(html.contains("aria-rowcount=\"100001\""));
    assert!(html.contains("data-id=\"100000\""));
    assert_eq!(
        testid_text(&html, "shown-count"),
        "100,000 of 100,000 tasks"
    );
    // The spacer keeps the scroll height of the rows not rendered.
    assert!(html.contains("class=\"spacer\""));

    // Grouped: the budget is shared by the groups.
    let table = TaskTable::from_tasks(generate(100_000, 5));
    let mut s = Setup::new(table);
    s.view.group = GroupBy::Status;
    let html = s.render().await;
    let rows = count(&html, "data-testid=\"row\"");
    assert!(rows > 0 && rows <= 200, "{rows} rows in the DOM (grouped)");
    assert!(count(&html, "data-testid=\"group\"") >= 7);
    assert!(html.contains("aria-expanded=\"true\""));
    assert!(html.contains(">Unknown (42)<"));
}

#[tokio::test]
async fn pivot_has_totals() {
    let html = Setup::new(sample()).render().await;
    let at = html.find("data-testid=\"pivot\"").unwrap();
    let end = html[at..].find("</table>").unwrap() + at;
    let pivot = &html[at..end];
    // In progress × high = tasks 2 and 5.
    assert!(
        pivot.contains("aria-label=\"In progress, High: 2\""),
        "{pivot}"
    );
    // Row total of "In progress", column total of "Medium", grand total.
    assert!(pivot.contains("aria-label=\"In progress, Total: 2\""));
    assert!(pivot.contains("aria-label=\"Medium, Total: 3\""));
    assert!(pivot.contains("aria-label=\"Total: 6\""));
    // The chart summary names counts and shares.
    assert!(html.contains("aria-label=\"Tasks by status: Pending 1 (17%); In progress 2 (33%);"));
}

#[tokio::test]
async fn links_when_tasks_cannot_open_in_the_portal() {
    let mut s = Setup::new(sample());
    s.can_open = false;
    s.source = SourceKind::Demo { tasks: 6 };
    let html = s.render().await;
    assert!(html.contains("Preview — demo data"));
    assert!(html.contains(
        "href=\"https://acme.bitrix24.com/company/personal/user/102/tasks/task/view/2/\""
    ));
    assert!(html.contains("target=\"_blank\""));
    assert!(html.contains("rel=\"noopener\""));
    assert!(!html.contains("is-clickable"));

    let mut s = Setup::new(sample());
    s.can_open = false;
    s.portal_url = None;
    let html = s.render().await;
    assert!(!html.contains("<a "));

    let html = Setup::new(sample()).render().await;
    assert!(!html.contains("<a "));
    assert!(html.contains("is-clickable"));
}

#[tokio::test]
async fn footer_notices() {
    let mut s = Setup::new(sample());
    s.notices = vec![
        LoadNotice::MethodFallback {
            from: "task.item.list",
            to: "tasks.task.list",
        },
        LoadNotice::DuplicatesDropped { count: 4 },
    ];
    let html = s.render().await;
    assert!(html.contains(
        "This portal no longer has task.item.list; tasks were loaded through tasks.task.list."
    ));
    assert!(html.contains("Duplicate rows dropped: 4."));
}

#[tokio::test]
async fn a_view_that_could_not_be_saved_is_said_once_in_the_footer() {
    let html = Setup::new(sample()).render().await;
    assert!(!html.contains("could not be saved"));
    for (lang, text) in [
        (Lang::En, "Your view could not be saved."),
        (Lang::Ru, "Не удалось сохранить ваш вид отчёта."),
        (Lang::Ua, "Не вдалося зберегти ваш вигляд звіту."),
        (Lang::De, "Ihre Ansicht konnte nicht gespeichert werden."),
    ] {
        let mut s = Setup::new(sample());
        s.lang = lang;
        s.view_unsaved = true;
        let html = s.render().await;
        let footer = &html[html.find("data-testid=\"footer\"").unwrap()..];
        assert_eq!(count(footer, text), 1, "{lang:?}");
        assert_eq!(count(&html, text), 1, "{lang:?}");
    }
}

#[tokio::test]
async fn grouped_by_responsible_with_names_and_fallbacks() {
    // Tasks 1..=6: responsible 101..=106 (test_task); 102 and 104 have names.
    let mut s = Setup::new(sample());
    s.view.group = GroupBy::Responsible;
    s.directory.insert_person(UserId(102), "Boris Brown");
    s.directory.insert_person(UserId(104), "Анна Петрова");
    let html = s.render().await;
    let headings: Vec<&str> = html
        .split("class=\"chevron\">▾</span><span>")
        .skip(1)
        .filter_map(|part| part.split('<').next())
        .collect();
    assert_eq!(
        headings,
        [
            "Boris Brown",
            "Анна Петрова",
            "User #101",
            "User #103",
            "User #105",
            "User #106"
        ],
        "{html}"
    );
    // The grouping menu offers the new groupings, this one selected.
    assert!(html.contains("selected=\"selected\">By responsible<"));
    for label in ["By creator", "By project", "By deadline"] {
        assert!(html.contains(&format!(">{label}<")), "{label}");
    }
}

#[tokio::test]
async fn person_pivot_puts_the_most_overdue_first_with_names() {
    // Responsible 101..=106 (test_task); add two overdue tasks for 103 and one for 102.
    let mut tasks = vec![
        task(1, "a", "1", "2", None),
        task(2, "b", "2", "3", Some("-1")),
        task(3, "c", "0", "3", Some("-1")),
    ];
    tasks.push(task(7, "d", "1", "3", Some("-1")).with_responsible(Some(103)));
    tasks.push(task(8, "e", "1", "2", None).with_responsible(Some(103)));
    let mut s = Setup::new(TaskTable::from_tasks(tasks));
    s.directory.insert_person(UserId(103), "Ольга Смирнова");
    s.lang = Lang::Ru;
    let html = s.render().await;
    let at = html.find("data-testid=\"person-pivot\"").unwrap();
    let end = html[at..].find("</table>").unwrap() + at;
    let pivot = &html[at..end];
    assert!(
        pivot.contains("<caption>Исполнитель × статус</caption>"),
        "{pivot}"
    );
    // Olga: 3 tasks, 2 overdue — first; then user 102 (1 overdue), then 101 (none).
    let rows: Vec<&str> = pivot
        .split("<th scope=\"row\">")
        .skip(1)
        .filter_map(|p| p.split('<').next())
        .collect();
    assert_eq!(
        rows,
        [
            "Ольга Смирнова",
            "Пользователь #102",
            "Пользователь #101",
            "Итого"
        ]
    );
    assert!(
        pivot.contains("aria-label=\"Ольга Смирнова, Просрочены: 2\""),
        "{pivot}"
    );
    assert!(pivot.contains("aria-label=\"Ольга Смирнова, Итого: 3\""));
    assert!(pivot.contains("aria-label=\"Пользователь #102, Выполняется: 1\""));
}

#[tokio::test]
async fn person_and_date_filters_list_names_with_counts_and_apply() {
    use crate::report::dates::{DateField, DatePreset};
    let mut s = Setup::new(sample());
    s.directory.insert_person(UserId(102), "Boris Brown");
    s.view.query.responsible = [UserId(102), UserId(105)].into();
    s.view
        .query
        .dates
        .set(DateField::Created, Some(DatePreset::LastMonth));
    s.view.query.dates.set(DateField::Created, None);
    s.view
        .query
        .dates
        .set(DateField::Deadline, Some(DatePreset::ThisWeek));
    let html = s.render().await;
    // Responsible list: names with counts, named first, search inside the list.
    let at = html.find("data-testid=\"filter-responsible\"").unwrap();
    let list = &html[at..at + html[at..].find("</details>").unwrap()];
    assert!(
        list.contains("data-testid=\"filter-responsible-search\""),
        "{list}"
    );
    assert!(list.contains("placeholder=\"Find in the list\""), "{list}");
    let names: Vec<&str> = list
        .split("<span>")
        .skip(1)
        .filter_map(|p| p.split('<').next())
        .collect();
    assert_eq!(
        names,
        [
            "Boris Brown (1)",
            "User #101 (1)",
            "User #103 (1)",
            "User #104 (1)",
            "User #105 (1)",
            "User #106 (1)"
        ]
    );
    assert_eq!(count(list, "checked"), 2, "{list}");
    assert!(list.contains("<span class=\"dropdown-count\">2</span>"));
    // The deadline range is named on its button; no task has a deadline this week.
    assert!(html.contains("Deadline: This week</summary>"), "{html}");
    assert!(html.contains("data-testid=\"filter-date-created\""));
    assert!(html.contains(">No tasks match<"));
}

#[tokio::test]
async fn a_shown_snapshot_says_as_of_and_a_refresh_says_what_changed() {
    let mut s = Setup::new(sample());
    s.status = LoadStatus::Refreshing {
        loaded: 6,
        as_of: "10:42".into(),
    };
    let html = s.render().await;
    assert!(html.contains("Tasks as of 10:42"), "{html}");
    assert!(
        html.contains("Fix the invoice"),
        "the snapshot's rows are shown"
    );
    assert_eq!(count(&html, "data-testid=\"since-visit\""), 0);

    let mut s = Setup::new(sample());
    s.lang = Lang::De;
    s.notices = vec![
        LoadNotice::SinceLastVisit {
            gone: vec![
                (
                    crate::report::task::TaskId(9),
                    "<b>Old</b> task".to_string(),
                ),
                (crate::report::task::TaskId(8), "Hidden".to_string()),
            ]
            .into(),
        },
        LoadNotice::SnapshotUnavailable,
    ];
    let html = s.render().await;
    assert!(html.contains("Für Sie nicht mehr sichtbar (2)"), "{html}");
    assert!(
        html.contains("#9 &lt;b&gt;Old&lt;/b&gt; task"),
        "titles are text: {html}"
    );
    assert!(html.contains("Speicher blockiert"), "{html}");
}

/// The header labels of the main table, in order.
fn header_labels(html: &str) -> Vec<String> {
    let at = html.find("data-testid=\"report-table\"").unwrap();
    let thead = &html[at..html[at..].find("</thead>").unwrap() + at];
    thead
        .split("class=\"sort-label\">")
        .skip(1)
        .map(|part| part[..part.find('<').unwrap()].to_string())
        .collect()
}

#[tokio::test]
async fn the_table_follows_the_visible_columns_with_names_dates_and_totals() {
    use crate::report::columns::Column;
    use crate::report::task::{GroupId, RawDetails, UserId};
    let far = "2999-01-01T10:00:00+03:00";
    let table = TaskTable::from_tasks(vec![
        task(1, "Отчёт", "1", "3", None).with_details(RawDetails {
            created_by: Some("7"),
            group: Some("4"),
            deadline: Some(far),
            time_estimate: Some("5400"),
            time_spent: Some("600"),
            ..RawDetails::default()
        }),
        task(2, "Счёт", "1", "3", None).with_details(RawDetails {
            deadline: Some("2001-01-01T10:00:00+03:00"),
            time_spent: Some("3000"),
            ..RawDetails::default()
        }),
    ]);
    let mut directory = Directory::new();
    directory.insert_person(UserId(101), "Анна Петрова");
    directory.insert_project(GroupId(4), "Сайт");

    // The default view: ID, Title, Responsible, Deadline, Priority, Status.
    let mut s = Setup::new(table.clone());
    s.directory = directory.clone();
    let html = s.render().await;
    assert_eq!(
        header_labels(&html),
        [
            "ID",
            "Title",
            "Responsible",
            "Deadline",
            "Priority",
            "Status"
        ]
    );
    assert!(html.contains(">Анна Петрова<"), "a known name");
    assert!(
        html.contains(">User #102<"),
        "the fallback of an unknown person"
    );
    assert!(html.contains(">Jan 1, 2999 10:00<"), "{html}");
    assert!(html.contains(">Jan 1, 2001 10:00<"));
    // An open task past its deadline says so; the far one is "in N days".
    assert!(html.contains("class=\"rel is-overdue\""));
    assert!(html.contains(">in "));
    assert!(html.contains("role=\"gridcell\"") && html.contains("role=\"columnheader\""));
    assert!(html.contains("aria-multiselectable=\"true\""));
    assert!(html.contains("aria-selected=\"false\""));
    assert!(
        !html.contains("data-testid=\"totals\""),
        "no time column, no totals"
    );
    assert!(html.contains("data-testid=\"column-chooser\""));
    assert!(!html.contains("Names of people and projects could not be loaded"));

    // Another order, the time columns (totals), a width, and the names failed.
    let mut s = Setup::new(table);
    s.lang = Lang::Ru;
    s.directory = directory;
    s.names = NamesStatus::Failed(LoadError::new(LoadErrorKind::Network));
    s.view.columns = vec![
        Column::Project,
        Column::TimeSpent,
        Column::Id,
        Column::CreatedBy,
        Column::TimeEstimate,
    ];
    s.view.set_width(Column::Project, 333);
    let html = s.render().await;
    assert_eq!(
        header_labels(&html),
        ["Проект", "Затрачено", "ID", "Постановщик", "Оценка времени"]
    );
    assert!(html.contains("style=\"width:333px\""));
    assert!(html.contains(">Сайт<") && html.contains(">Пользователь #7<"));
    let at = html.find("data-testid=\"totals\"").unwrap();
    let totals = &html[at..html[at..].find("</tr>").unwrap() + at];
    // 600 + 3000 s spent, 5400 s estimated; the first column says what the row is.
    assert!(totals.contains(">Итого<"), "{totals}");
    assert!(
        totals.contains(">1:00<") && totals.contains(">1:30<"),
        "{totals}"
    );
    assert!(html.contains("Не удалось загрузить имена сотрудников"));
}

#[cfg(feature = "snapshot")]
#[tokio::test]
async fn new_and_changed_tasks_have_a_counter_that_filters_and_a_mark_in_their_row() {
    let before: Vec<_> = sample().tasks()[..4].to_vec();
    let mut table = sample();
    // Tasks 5 and 6 are new; task 2 was edited since the snapshot.
    let mut edited = table.tasks()[1].clone();
    edited.changed = crate::report::dates::PortalTime::new(1_767_225_600, 180);
    table.push_page(vec![edited]);
    let html = Setup::new(table.clone()).render().await;
    assert_eq!(
        count(&html, "counter-since-visit"),
        0,
        "no snapshot compared"
    );

    table.mark_since_visit(&before);
    let mut s = Setup::new(table.clone());
    s.lang = Lang::Ru;
    let html = s.render().await;
    assert!(
        html.contains("data-testid=\"counter-since-visit\""),
        "{html}"
    );
    assert!(html.contains("Изменены с прошлого визита"), "{html}");
    assert_eq!(count(&html, "aria-label=\"Новая с прошлого визита\""), 2);
    assert_eq!(count(&html, "aria-label=\"Изменена с прошлого визита\""), 1);

    let mut s = Setup::new(table);
    crate::components::view_edit::ViewEdit::Counter(crate::report::summary::Counter::SinceVisit)
        .apply(&mut s.view);
    let html = s.render().await;
    assert_eq!(count(&html, "data-testid=\"row\""), 3, "{html}");
    assert_eq!(count(&html, "data-testid=\"since-mark\""), 3);
    let counter = &html[html.find("data-testid=\"counter-since-visit\"").unwrap()..];
    assert!(
        counter.starts_with("data-testid=\"counter-since-visit\" aria-pressed=\"true\""),
        "{counter}"
    );
}
