use super::*;
use crate::export::tasks;
use crate::i18n::Lang;
use crate::report::json::{parse, Json};
use crate::report::query::{Query, SortDir, SortKey, TaskTable};
use crate::report::summary::{self, GroupBy};
use crate::report::task::test_task as task;

fn table() -> TaskTable {
    TaskTable::from_tasks(vec![
        task(12, "Отчёт \"Q1\"", "2", "3", Some("-1")),
        task(7, "=cmd|' /C calc'!A0", "1", "5", None),
        task(3, "-5 °C", "2", "2", Some("-3")),
    ])
}

fn by_id(t: &TaskTable) -> Vec<u32> {
    t.apply(&Query {
        sort: SortKey::Id,
        dir: SortDir::Asc,
        ..Query::default()
    })
}

fn cells(row: &Json) -> Vec<String> {
    row.get("c")
        .and_then(Json::as_array)
        .unwrap()
        .iter()
        .map(|c| match c {
            Json::Null => String::new(),
            Json::Number(n) => n.as_str().to_string(),
            other => other.as_str().unwrap().to_string(),
        })
        .collect()
}

fn sheets(text: &str) -> Vec<Json> {
    parse(text)
        .unwrap()
        .get("sheets")
        .unwrap()
        .as_array()
        .unwrap()
        .to_vec()
}

#[test]
fn plain_view_has_typed_columns_links_and_the_rows_in_order() {
    let t = table();
    let rows = by_id(&t);
    let groups = summary::group(&t, &rows, GroupBy::None);
    let groups: Vec<_> = groups.iter().map(|g| (&g.key, g.rows.as_slice())).collect();
    let pivot = summary::pivot(&t, &rows);
    let text = tasks::workbook(
        &t,
        &rows,
        &groups,
        &pivot,
        Some("https://acme.example/"),
        Lang::Ru,
    );
    let sheets = sheets(&text);
    assert_eq!(sheets.len(), 2);
    let s = &sheets[0];
    assert_eq!(s.get("name").unwrap().as_str(), Some("Задачи"));
    assert_eq!(s.get("filter"), Some(&Json::Bool(true)));
    let cols = s.get("columns").unwrap().as_array().unwrap();
    let heads: Vec<_> = cols
        .iter()
        .map(|c| c.get("header").unwrap().as_str().unwrap())
        .collect();
    assert_eq!(heads, ["ID", "Название", "Приоритет", "Статус", "Отметка"]);
    let kinds: Vec<_> = cols
        .iter()
        .map(|c| c.get("kind").unwrap().as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["number", "text", "text", "text", "text"]);
    let links: Vec<_> = cols
        .iter()
        .map(|c| c.get("link") == Some(&Json::Bool(true)))
        .collect();
    assert_eq!(links, [true, true, false, false, false]);
    let rows = s.get("rows").unwrap().as_array().unwrap();
    assert_eq!(rows.len(), 3);
    // The ID is a JSON number, the title stays whole (no CSV formula guard: an xlsx text
    // cell is never a formula).
    assert!(matches!(
        rows[0].get("c").unwrap().at(0),
        Some(Json::Number(_))
    ));
    assert_eq!(
        cells(&rows[0]),
        [
            "3",
            "-5 °C",
            "Высокий",
            "Ждет выполнения",
            "Почти просрочена"
        ]
    );
    assert_eq!(
        cells(&rows[1]),
        ["7", "=cmd|' /C calc'!A0", "Средний", "Завершена", ""]
    );
    assert_eq!(
        rows[1].get("l").unwrap().as_str(),
        Some("https://acme.example/company/personal/user/107/tasks/task/view/7/")
    );
    assert!(rows.iter().all(|r| r.get("k").is_none()));
}

#[test]
fn grouped_view_has_a_header_row_per_group_and_the_pivot_sheet_matches() {
    let t = table();
    let rows = by_id(&t);
    let groups = summary::group(&t, &rows, GroupBy::Priority);
    let groups: Vec<_> = groups.iter().map(|g| (&g.key, g.rows.as_slice())).collect();
    let pivot = summary::pivot(&t, &rows);
    let text = tasks::workbook(&t, &rows, &groups, &pivot, None, Lang::En);
    let sheets = sheets(&text);
    let body = sheets[0].get("rows").unwrap().as_array().unwrap();
    let shape: Vec<String> = body
        .iter()
        .map(|r| match r.get("k").and_then(Json::as_str) {
            Some(k) => format!("{k}:{}", cells(r)[0]),
            None => cells(r)[0].clone(),
        })
        .collect();
    assert_eq!(shape, ["g:High (2)", "3", "12", "g:Medium (1)", "7"]);
    // No portal URL: no links.
    assert!(body.iter().all(|r| r.get("l").is_none()));
    let p = &sheets[1];
    assert_eq!(p.get("name").unwrap().as_str(), Some("Status × priority"));
    assert_eq!(p.get("filter"), Some(&Json::Bool(false)));
    let prow = p.get("rows").unwrap().as_array().unwrap();
    assert_eq!(prow.len(), pivot.statuses.len() + 1);
    let last = prow.last().unwrap();
    assert_eq!(last.get("k").unwrap().as_str(), Some("s"));
    let mut expected = vec!["Total".to_string()];
    expected.extend(pivot.col_totals.iter().map(|n| n.to_string()));
    expected.push("3".into());
    assert_eq!(cells(last), expected);
}

#[test]
fn summed_columns_get_subtotal_rows_and_dates_carry_the_offset() {
    let secs = [3600i64, 5400, 60];
    let columns = vec![
        ExportColumn {
            header: "Name".into(),
            kind: Kind::Text,
            link: false,
            sum: false,
            cell: Box::new(|r| Cell::Text(format!("r{r}").into())),
        },
        ExportColumn {
            header: "Due".into(),
            kind: Kind::Date { offset: 10_800 },
            link: false,
            sum: false,
            cell: Box::new(|r| Cell::Int(1_764_950_400 + i64::from(r))),
        },
        ExportColumn {
            header: "Spent".into(),
            kind: Kind::Duration,
            link: false,
            sum: true,
            cell: Box::new(move |r| Cell::Int(secs[r as usize])),
        },
    ];
    let groups = [
        ExportGroup {
            label: "A".into(),
            rows: &[0, 1],
        },
        ExportGroup {
            label: "B".into(),
            rows: &[2],
        },
    ];
    let mut book = Workbook::new();
    book.task_sheet("S", &columns, Body::Grouped(&groups), &|_| None, "Total");
    let sheets = sheets(&book.finish());
    let cols = sheets[0].get("columns").unwrap().as_array().unwrap();
    assert_eq!(cols[1].get("kind").unwrap().as_str(), Some("date"));
    assert_eq!(cols[1].get("offset").unwrap().as_u64(), Some(10_800));
    let rows = sheets[0].get("rows").unwrap().as_array().unwrap();
    let got: Vec<Vec<String>> = rows.iter().map(cells).collect();
    assert_eq!(
        got,
        [
            vec!["A".to_string()],
            vec!["r0".into(), "1764950400".into(), "3600".into()],
            vec!["r1".into(), "1764950401".into(), "5400".into()],
            vec!["Total".into(), "".into(), "9000".into()],
            vec!["B".into()],
            vec!["r2".into(), "1764950402".into(), "60".into()],
            vec!["Total".into(), "".into(), "60".into()],
        ]
    );
}

#[test]
fn file_name_names_the_portal_host_and_the_date() {
    let date = "2026-12-05";
    assert_eq!(
        file_name(Some("https://acme.bitrix24.com"), "demo", date),
        "tasks-acme.bitrix24.com-2026-12-05.xlsx"
    );
    assert_eq!(
        file_name(Some("http://127.0.0.1:8123/x"), "demo", date),
        "tasks-127.0.0.1-2026-12-05.xlsx"
    );
    assert_eq!(file_name(None, "demo", date), "tasks-demo-2026-12-05.xlsx");
    assert_eq!(
        file_name(Some("https://"), "demo", date),
        "tasks-demo-2026-12-05.xlsx"
    );
}
