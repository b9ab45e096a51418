//! Builds workbooks from export requests (as the app encodes them) and reads the parts back
//! from the zip.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::{Cursor, Read};

use task_report::export::request;
use task_report::i18n::Lang;
use task_report::report::directory::Directory;
use task_report::report::summary::GroupBy;
use task_report::report::task::{Priority, RawDetails, Task, TaskId, UserId};
use task_report::report::view::SavedView;
use task_report_exporter::spec::{Cell, Column, Kind, Row, RowKind, Sheet, Spec};

fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut out).unwrap();
    out
}

/// The shared strings of a workbook, by index.
fn shared_strings(bytes: &[u8]) -> Vec<String> {
    part(bytes, "xl/sharedStrings.xml")
        .split("<si>")
        .skip(1)
        .map(|si| {
            let t = si.split_once('>').map(|(_, rest)| rest).unwrap_or("");
            let t = t.split_once("<t>").map_or(t, |(_, rest)| rest);
            t.split("</t>").next().unwrap_or("").to_string()
        })
        .collect()
}

/// The `<c>` element of cell `at` (e.g. `B2`) in a sheet's XML: its attributes and content.
fn cell_xml<'a>(sheet: &'a str, at: &str) -> (&'a str, &'a str) {
    let start = sheet
        .find(&format!(r#"<c r="{at}""#))
        .unwrap_or_else(|| panic!("no cell {at}: {sheet}"));
    let rest = &sheet[start..];
    let open = rest.find('>').unwrap();
    let attrs = &rest[..open];
    if attrs.ends_with('/') {
        return (attrs, "");
    }
    let body = &rest[open + 1..rest.find("</c>").unwrap()];
    (attrs, body)
}

/// The number format of cell `at` of sheet 1 (`General` when it has none).
fn number_format(bytes: &[u8], at: &str) -> String {
    let sheet = part(bytes, "xl/worksheets/sheet1.xml");
    let styles = part(bytes, "xl/styles.xml");
    let (attrs, _) = cell_xml(&sheet, at);
    let xf: usize = attrs
        .split(r#" s=""#)
        .nth(1)
        .map_or(0, |s| s.split('"').next().unwrap().parse().unwrap());
    let attr = |element: &str, name: &str| -> String {
        element
            .split(&format!(r#"{name}=""#))
            .nth(1)
            .map(|v| v.split('"').next().unwrap().to_string())
            .unwrap_or_default()
    };
    let xfs = styles.split("<cellXfs").nth(1).unwrap();
    let xfs = xfs.split("</cellXfs>").next().unwrap();
    let id = attr(xfs.split("<xf ").nth(xf + 1).unwrap(), "numFmtId");
    styles
        .split("<numFmt ")
        .skip(1)
        .find(|f| attr(f, "numFmtId") == id)
        .map_or_else(|| "General".to_string(), |f| attr(f, "formatCode"))
}

fn task(id: u64, title: &str, priority: &str, status: &str, deadline: Option<&str>) -> Task {
    Task::from_status_fields(
        TaskId(id),
        title.into(),
        Priority::from_wire(priority),
        None,
        Some(status),
    )
    .with_responsible(Some(100 + id))
    .with_details(RawDetails {
        deadline,
        ..RawDetails::default()
    })
}

fn export(lang: Lang, view: &SavedView, tasks: &[Task]) -> (Vec<u8>, String, usize) {
    let mut names = Directory::new();
    names.insert_person(UserId(107), "Анна Петрова");
    export_named(lang, view, tasks, &names)
}

fn export_named(
    lang: Lang,
    view: &SavedView,
    tasks: &[Task],
    names: &Directory,
) -> (Vec<u8>, String, usize) {
    let bytes = request::encode(&request::Screen {
        lang,
        portal_url: Some("https://acme.bitrix24.ru/"),
        view,
        directory: names,
        tasks,
    });
    let mut last = (0, 0);
    let (book, name) =
        task_report_exporter::export(bytes, 1_764_950_400, "2026-12-05", &mut |d, t| {
            last = (d, t)
        })
        .unwrap();
    assert_eq!(last.0, last.1, "the progress ends at the total");
    (book, name, last.1)
}

#[test]
fn a_filtered_grouped_view_in_russian() {
    let tasks = [
        task(
            7,
            "Отчёт \"Q3\"",
            "2",
            "3",
            Some("2025-10-24T19:00:00+03:00"),
        ),
        task(9, "=1+2 отчёт", "1", "3", None),
        task(3, "Отчёт готов", "0", "5", None),
        task(4, "не найдётся", "2", "3", None),
    ];
    let mut view = SavedView::default();
    view.query.search = "отчёт".into();
    view.group = GroupBy::Status;
    let (book, name, rows) = export(Lang::Ru, &view, &tasks);
    assert_eq!(name, "tasks-acme.bitrix24.ru-2026-12-05.xlsx");
    // Tasks sheet: 2 group headers + 3 tasks (no duration column: no subtotals); pivot:
    // 3 statuses... counted over all 4 tasks.
    let sheet = part(&book, "xl/worksheets/sheet1.xml");
    let strings = part(&book, "xl/sharedStrings.xml");
    for text in [
        "ID",
        "Название",
        "Исполнитель",
        "Крайний срок",
        "Приоритет",
        "Статус",
    ] {
        assert!(strings.contains(text), "{text}: {strings}");
    }
    assert!(strings.contains("Выполняется (2)"), "{strings}");
    assert!(strings.contains("Завершена (1)"), "{strings}");
    assert!(strings.contains("Анна Петрова"), "{strings}");
    assert!(
        strings.contains("Пользователь #109") || strings.contains("#109"),
        "{strings}"
    );
    assert!(!strings.contains("не найдётся"), "filtered out: {strings}");
    let link7 = "https://acme.bitrix24.ru/company/personal/user/107/tasks/task/view/7/";
    assert!(
        sheet.contains(&format!(r#"<f>HYPERLINK("{link7}",7)</f><v>7</v>"#)),
        "{sheet}"
    );
    assert!(
        sheet.contains(&format!(r#"<f>HYPERLINK("{link7}","Отчёт ""Q3""")</f>"#)),
        "{sheet}"
    );
    // 2025-10-24 19:00 at +03:00 is Excel day 45954.791666…
    assert!(sheet.contains("<v>45954.79166"), "{sheet}");
    assert!(sheet.contains(r#"<autoFilter ref="A1:F6"/>"#), "{sheet}");
    assert!(sheet.contains(r#"ySplit="1""#), "{sheet}");
    let book_xml = part(&book, "xl/workbook.xml");
    assert!(book_xml.contains(r#"name="Задачи""#), "{book_xml}");
    let pivot = part(&book, "xl/worksheets/sheet2.xml");
    // The pivot counts every loaded task: the grand total is 4.
    assert!(pivot.contains("<v>4</v>"), "{pivot}");
    // The header and 5 rows (2 group headers, 3 tasks), no more; the progress counted them.
    assert!(
        sheet.contains(r#"<row r="6""#) && !sheet.contains(r#"<row r="7""#),
        "{sheet}"
    );
    let people = part(&book, "xl/worksheets/sheet3.xml");
    assert!(
        book_xml.contains(r#"name="Исполнитель × статус""#),
        "{book_xml}"
    );
    let pivot_rows = pivot.matches("<row ").count() - 1 + people.matches("<row ").count() - 1;
    assert_eq!(rows, 5 + pivot_rows);
    // The responsible × status sheet: one row per person (4 tasks, 4 people) and the totals.
    assert_eq!(people.matches("<row ").count(), 1 + 4 + 1, "{people}");
}

#[test]
fn a_plain_view_in_english_keeps_the_sort() {
    let tasks = [task(1, "b", "1", "2", None), task(2, "a", "1", "2", None)];
    let mut view = SavedView::default();
    view.query
        .sort_by(task_report::report::query::SortKey::Title);
    let (book, name, _) = export(Lang::En, &view, &tasks);
    assert!(name.ends_with("-2026-12-05.xlsx"));
    let sheet = part(&book, "xl/worksheets/sheet1.xml");
    let a = sheet.find(r#"view/2/",2)"#).unwrap();
    let b = sheet.find(r#"view/1/",1)"#).unwrap();
    assert!(a < b, "title order a, b: {sheet}");
    assert!(part(&book, "xl/sharedStrings.xml").contains("Title"));
    assert!(part(&book, "xl/workbook.xml").contains(r#"name="Tasks""#));
}

#[test]
fn bad_requests_are_errors_not_panics() {
    for bad in [&b""[..], b"TRX1", b"XXXX\x02en", &[0xff; 64]] {
        let err = task_report_exporter::export(bad.to_vec(), 0, "2026-12-05", &mut |_, _| {})
            .unwrap_err();
        assert!(err.starts_with("bad export request"), "{err}");
    }
}

#[test]
fn subtotals_group_rows_and_long_titles() {
    let title = "x".repeat(300);
    let columns = vec![
        Column {
            header: "Title".into(),
            kind: Kind::Text,
            link: true,
        },
        Column {
            header: "Spent".into(),
            kind: Kind::Duration,
            link: false,
        },
    ];
    let rows = vec![
        Row::new(RowKind::Group, vec![Cell::Text("High (1)".into())]),
        Row {
            kind: RowKind::Task,
            cells: vec![Cell::Text(title.clone()), Cell::Number(5400.0)],
            link: Some("https://a/".into()),
        },
        Row::new(
            RowKind::Subtotal,
            vec![Cell::Text("Total".into()), Cell::Number(5400.0)],
        ),
    ];
    let spec = Spec {
        sheets: vec![Sheet::from_rows("Pivot: a/b", columns, rows, true)],
    };
    let bytes = task_report_exporter::write::workbook(spec, &mut |_, _| {}).unwrap();
    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    // A title too long for a formula loses the link but keeps the text.
    assert!(!sheet.contains("HYPERLINK"), "{sheet}");
    assert!(part(&bytes, "xl/sharedStrings.xml").contains(&title));
    // 5400 s is 0.0625 of a day, shown as [h]:mm, in the task row and in the bold subtotal.
    assert!(sheet.contains("<v>0.0625</v>"), "{sheet}");
    assert_eq!(number_format(&bytes, "B3"), "[h]:mm");
    assert_eq!(number_format(&bytes, "B4"), "[h]:mm");
    // '/' and ':' are not allowed in sheet names.
    assert!(part(&bytes, "xl/workbook.xml").contains(r#"name="Pivot  a b""#));
}

#[test]
fn the_columns_chosen_on_screen_are_the_sheet_columns_in_their_order() {
    use task_report::report::columns::Column as ReportColumn;
    let tasks = [task(1, "a", "1", "2", None), task(7, "b", "2", "3", None)];
    let view = SavedView {
        columns: vec![
            ReportColumn::TimeSpent,
            ReportColumn::Id,
            ReportColumn::Project,
        ],
        ..SavedView::default()
    };
    let (book, _, _) = export(Lang::En, &view, &tasks);
    // The header row of the tasks sheet, read through the shared strings.
    let strings = shared_strings(&book);
    let sheet = part(&book, "xl/worksheets/sheet1.xml");
    let row1 = sheet
        .split("<row r=\"1\"")
        .nth(1)
        .unwrap()
        .split("</row>")
        .next()
        .unwrap();
    let headers: Vec<&str> = row1
        .split("<v>")
        .skip(1)
        .map(|v| {
            let i: usize = v.split("</v>").next().unwrap().parse().unwrap();
            strings[i].as_str()
        })
        .collect();
    assert_eq!(headers, ["Time spent", "ID", "Project"], "{row1}");
    // Three columns: the autofilter spans A..C.
    assert!(sheet.contains(r#"<autoFilter ref="A1:C"#), "{sheet}");
}

#[test]
fn text_that_looks_like_a_number_boolean_date_or_formula_stays_text() {
    use task_report::report::columns::Column as ReportColumn;
    let titles: Vec<&str> = "123 TRUE 2024-01-01 =SUM(A1) #N/A 1e3 FALSE NaN 007"
        .split(' ')
        .collect();
    // Newest first: task 9 is row 2, task 1 row 10.
    let tasks: Vec<Task> = (1..=9u64)
        .map(|id| task(id, titles[id as usize - 1], "1", "2", None))
        .collect();
    let mut names = Directory::new();
    names.insert_person(UserId(101), "TRUE");
    names.insert_person(UserId(102), "42");
    let view = SavedView {
        columns: vec![
            ReportColumn::Id,
            ReportColumn::Title,
            ReportColumn::Responsible,
        ],
        ..SavedView::default()
    };
    let (book, _, _) = export_named(Lang::En, &view, &tasks, &names);
    let sheet = part(&book, "xl/worksheets/sheet1.xml");
    let strings = shared_strings(&book);
    // The sheet's relationships (its hyperlink objects' targets), if it has any.
    let rels = zip::ZipArchive::new(Cursor::new(&book))
        .unwrap()
        .by_name("xl/worksheets/_rels/sheet1.xml.rels")
        .map(|mut f| {
            let mut out = String::new();
            f.read_to_string(&mut out).unwrap();
            out
        })
        .unwrap_or_default();
    let text_of = |at: &str| -> String {
        let (attrs, body) = cell_xml(&sheet, at);
        let value = body
            .split("<v>")
            .nth(1)
            .unwrap()
            .split("</v>")
            .next()
            .unwrap();
        if attrs.contains(r#"t="s""#) {
            strings[value.parse::<usize>().unwrap()].clone()
        } else {
            assert!(
                attrs.contains(r#"t="str""#),
                "{at} is not text: {attrs}>{body}"
            );
            value.to_string()
        }
    };
    for (id, title) in (1..=9u64).zip(titles) {
        let row = 11 - id;
        let at = format!("B{row}");
        assert_eq!(text_of(&at), title.replace('&', "&amp;"), "{at}");
        // Still linked to its task: a HYPERLINK formula or a hyperlink object.
        let link = format!("/tasks/task/view/{id}/");
        let (_, body) = cell_xml(&sheet, &at);
        let object = sheet.contains(&format!(r#"<hyperlink ref="{at}""#));
        assert!(
            body.contains(&link) || (object && rels.contains(&link)),
            "{at} links to task {id}: {body}"
        );
        // The ID stays a number.
        let (attrs, _) = cell_xml(&sheet, &format!("A{row}"));
        assert!(!attrs.contains(" t="), "A{row}: {attrs}");
    }
    // A person named "TRUE" or "42" is text too.
    assert_eq!(text_of("C10"), "TRUE");
    assert_eq!(text_of("C9"), "42");
}
