//! CSV export (and the clipboard's TSV) of exactly what the table shows: the given rows in
//! the given order, the visible columns of the column model in their order
//! (`report::columns`), plus a Note column after the status (the meta status: "Overdue", …,
//! empty when none), with headers, labels, names and dates in the UI language (dates in the
//! portal's offset, without the relative deadline: a file does not depend on when it was
//! made).
//!
//! Format, chosen for Excel and LibreOffice as users open the file:
//! * UTF-8 with a BOM (so Excel detects UTF-8 and Cyrillic is not garbled);
//! * separator by language: `;` for ru, ua, de (their Excel list separator, since `,` is
//!   the decimal mark there), `,` for en;
//! * CRLF line ends, a CRLF after the last row too;
//! * RFC 4180 quoting: a field containing the separator, `"`, CR or LF is put in double quotes
//!   and its quotes are doubled;
//! * formula-injection guard (OWASP "CSV injection"): a cell gets a leading apostrophe `'`,
//!   so a spreadsheet shows it as text instead of running it as a formula, when its first
//!   non-whitespace character is `=`, `+`, `-`, `@` or one of their full-width forms `＝`,
//!   `＋`, `－`, `＠` (U+FF1D, U+FF0B, U+FF0D, U+FF20), or when its leading whitespace holds
//!   a TAB or CR. Whitespace is Unicode whitespace (space, TAB, CR, LF, U+3000, …): spreadsheets
//!   skip it before deciding that a cell is a formula, so ` =1+2` and `\n=1+2` are guarded
//!   too. The cell text is kept whole after the apostrophe: a title such as `-5 °C` is
//!   exported as `'-5 °C`, ` =x` as `' =x`; the apostrophe is visible in the raw file but not
//!   in the cell's displayed value in Excel. No exported column holds a negative number (IDs
//!   are positive; priority and status are labels, dates start with a digit or a month name,
//!   times are `H:MM`), so no number is turned into text; "—" (no value) is not a trigger.
//!
//! Pure: returns a `String`; the caller wraps it in a `Blob` and downloads it.

use crate::i18n::{self, Lang, Msg, ReportLabels};
use crate::report::columns::{CellLabels, Column};
use crate::report::query::TaskTable;

/// The byte order mark written first.
pub const BOM: char = '\u{feff}';

/// The MIME type for the download `Blob`.
pub const MIME_TYPE: &str = "text/csv;charset=utf-8";

/// The field separator for `lang`: `;` for ru, ua, de; `,` for en.
pub fn separator(lang: Lang) -> char {
    match lang {
        Lang::En => ',',
        Lang::Ru | Lang::Ua | Lang::De => ';',
    }
}

/// Appends one cell to `out`, with the formula guard and RFC 4180 quoting (see the module
/// docs).
pub fn push_field(out: &mut String, field: &str, sep: char) {
    let guard = needs_formula_guard(field);
    let quote = field.contains([sep, '"', '\r', '\n']);
    if quote {
        out.push('"');
    }
    if guard {
        out.push('\'');
    }
    if quote {
        for c in field.chars() {
            if c == '"' {
                out.push('"');
            }
            out.push(c);
        }
        out.push('"');
    } else {
        out.push_str(field);
    }
}

/// The CSV file for `rows` of `table` (in that order) with the visible `columns` (in that
/// order), texts from `labels` (the user's language and the names of people and projects):
/// BOM, header line, one line per row, CRLF line ends. The meta status ("Overdue", …) is a
/// "Note" column right after the status, when the status is shown.
pub fn to_csv(
    table: &TaskTable,
    rows: &[u32],
    columns: &[Column],
    labels: &ReportLabels,
) -> String {
    export_text(
        table,
        rows,
        columns,
        labels,
        separator(labels.lang),
        Some(BOM),
    )
}

/// The rows as tab-separated text for the clipboard (what Excel and Google Sheets paste as
/// cells): a header line, then one line per row, CRLF line ends, the same columns, quoting
/// and formula guard as [`to_csv`] (a field with a TAB, quote or line break is quoted), no
/// BOM.
pub fn to_tsv(
    table: &TaskTable,
    rows: &[u32],
    columns: &[Column],
    labels: &ReportLabels,
) -> String {
    export_text(table, rows, columns, labels, '\t', None)
}

/// `first` (the BOM, if any), then the table with fields separated by `sep`.
fn export_text(
    table: &TaskTable,
    rows: &[u32],
    columns: &[Column],
    labels: &ReportLabels,
    sep: char,
    first: Option<char>,
) -> String {
    let mut out = String::with_capacity(64 + rows.len() * 16 * (columns.len() + 1));
    out.extend(first);
    write_table(&mut out, table, rows, columns, labels, sep);
    out
}

/// The header and the rows, fields separated by `sep`.
fn write_table(
    out: &mut String,
    table: &TaskTable,
    rows: &[u32],
    columns: &[Column],
    labels: &ReportLabels,
    sep: char,
) {
    let lang = labels.lang;
    let mut first = true;
    let field = |out: &mut String, text: &str, first: &mut bool| {
        if !*first {
            out.push(sep);
        }
        *first = false;
        push_field(out, text, sep);
    };
    for &column in columns {
        field(out, &labels.column(column), &mut first);
        if column == Column::Status {
            field(out, i18n::t(lang, Msg::ColMeta), &mut first);
        }
    }
    out.push_str("\r\n");
    for task in rows.iter().filter_map(|&row| table.get(row)) {
        let mut first = true;
        for &column in columns {
            field(out, &column.text(task, labels), &mut first);
            if column == Column::Status {
                field(
                    out,
                    task.meta.map_or("", |m| i18n::meta_label(lang, m)),
                    &mut first,
                );
            }
        }
        out.push_str("\r\n");
    }
}

/// True when a spreadsheet could read `field` as a formula (see the module docs): its
/// leading whitespace holds a TAB or CR, or its first non-whitespace character is `= + - @`
/// or a full-width form of one.
pub fn needs_formula_guard(field: &str) -> bool {
    for c in field.chars() {
        match c {
            '\t' | '\r' => return true,
            c if c.is_whitespace() => continue,
            '=' | '+' | '-' | '@' | '\u{ff1d}' | '\u{ff0b}' | '\u{ff0d}' | '\u{ff20}' => {
                return true
            }
            _ => return false,
        }
    }
    false
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::report::query::{Query, SortDir, SortKey};
    use crate::report::task::RealStatus;

    use crate::report::directory::Directory;
    use crate::report::task::test_task as task;
    use crate::report::task::{GroupId, RawDetails, UserId};

    /// The mission's four columns.
    const FOUR: [Column; 4] = [Column::Id, Column::Title, Column::Priority, Column::Status];

    fn csv_of(t: &TaskTable, rows: &[u32], lang: Lang) -> String {
        let directory = Directory::new();
        to_csv(
            t,
            rows,
            &FOUR,
            &ReportLabels {
                lang,
                directory: &directory,
            },
        )
    }

    #[test]
    fn csv_and_tsv_follow_the_visible_columns_and_their_order() {
        let mut directory = Directory::new();
        directory.insert_person(UserId(107), "Анна Петрова");
        directory.insert_project(GroupId(4), "Сайт; новый");
        let t = TaskTable::from_tasks(vec![
            task(7, "Fix\tit", "2", "3", Some("-1")).with_details(RawDetails {
                created_by: Some("12"),
                group: Some("4"),
                deadline: Some("2025-10-24T19:00:00+03:00"),
                time_spent: Some("5400"),
                ..RawDetails::default()
            }),
            task(8, "Plain", "1", "5", None).with_responsible(None),
        ]);
        let rows = t.apply(&Query::default());
        let columns = [
            Column::Deadline,
            Column::Responsible,
            Column::Status,
            Column::Project,
            Column::CreatedBy,
            Column::TimeSpent,
            Column::Id,
        ];
        let ru = ReportLabels {
            lang: Lang::Ru,
            directory: &directory,
        };
        assert_eq!(
            to_csv(&t, &rows, &columns, &ru),
            "\u{feff}Крайний срок;Исполнитель;Статус;Отметка;Проект;Постановщик;Затрачено;ID\r\n\
             —;—;Завершена;;—;—;—;8\r\n\
             24.10.2025 19:00;Анна Петрова;Выполняется;Просрочена;\"Сайт; новый\";Пользователь #12;1:30;7\r\n"
        );
        let en = ReportLabels {
            lang: Lang::En,
            directory: &directory,
        };
        assert_eq!(
            to_tsv(
                &t,
                &rows,
                &[Column::Title, Column::Id, Column::Deadline],
                &en
            ),
            "Title\tID\tDeadline\r\nPlain\t8\t—\r\n\"Fix\tit\"\t7\tOct 24, 2025 19:00\r\n"
        );
    }

    fn table() -> TaskTable {
        TaskTable::from_tasks(vec![
            task(12, "Отчёт \"Q1\"; итог\nстрока 2", "2", "3", Some("-1")),
            task(7, "=cmd|' /C calc'!A0", "1", "5", None),
            task(3, "-5 °C, @home", "9", "42", Some("-3")),
        ])
    }

    #[test]
    fn russian_csv_bytes_exactly() {
        let t = table();
        let rows = t.apply(&Query::default());
        let csv = csv_of(&t, &rows, Lang::Ru);
        let expected = "\u{feff}ID;Название;Приоритет;Статус;Отметка\r\n\
            12;\"Отчёт \"\"Q1\"\"; итог\nстрока 2\";Высокий;Выполняется;Просрочена\r\n\
            7;'=cmd|' /C calc'!A0;Средний;Завершена;\r\n\
            3;'-5 °C, @home;Неизвестно (9);Неизвестно (42);Почти просрочена\r\n";
        assert_eq!(csv, expected);
        assert_eq!(&csv.as_bytes()[..3], [0xEF, 0xBB, 0xBF]);
    }

    #[test]
    fn english_csv_uses_commas_and_follows_the_shown_order() {
        let t = table();
        let q = Query {
            sort: SortKey::Id,
            dir: SortDir::Asc,
            statuses: [RealStatus::InProgress, RealStatus::Unknown("42".into())].into(),
            ..Query::default()
        };
        let csv = csv_of(&t, &t.apply(&q), Lang::En);
        let expected = "\u{feff}ID,Title,Priority,Status,Note\r\n\
            3,\"'-5 °C, @home\",Unknown (9),Unknown (42),Almost overdue\r\n\
            12,\"Отчёт \"\"Q1\"\"; итог\nстрока 2\",High,In progress,Overdue\r\n";
        assert_eq!(csv, expected);
    }

    #[test]
    fn separators_and_guard() {
        assert_eq!(separator(Lang::En), ',');
        assert_eq!(separator(Lang::Ru), ';');
        assert_eq!(separator(Lang::Ua), ';');
        assert_eq!(separator(Lang::De), ';');
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("@x"), "'@x");
        assert_eq!(cell("\tx"), "'\tx");
        assert_eq!(cell("\rx"), "\"'\rx\"");
        assert_eq!(cell("a=b"), "a=b");
        assert_eq!(cell("a,b"), "a,b");
        assert_eq!(cell(""), "");
        let empty = csv_of(&TaskTable::new(), &[], Lang::De);
        assert_eq!(empty, "\u{feff}ID;Titel;Priorität;Status;Hinweis\r\n");
    }

    fn cell(s: &str) -> String {
        let mut out = String::new();
        push_field(&mut out, s, ';');
        out
    }

    /// Leading whitespace a spreadsheet skips before a formula: none, space, two spaces,
    /// ideographic space, no-break space, LF, CRLF, TAB, space + TAB.
    const PREFIXES: [&str; 9] = [
        "", " ", "  ", "\u{3000}", "\u{a0}", "\n", "\r\n", "\t", " \t",
    ];

    #[test]
    fn guard_catches_every_trigger_after_any_leading_whitespace() {
        let triggers = [
            '=', '+', '-', '@', '\u{ff1d}', '\u{ff0b}', '\u{ff0d}', '\u{ff20}',
        ];
        for prefix in PREFIXES {
            for trigger in triggers {
                let field = format!("{prefix}{trigger}SUM(A1)");
                // The apostrophe comes first and the text stays whole; a line break inside
                // still makes the cell a quoted one.
                let expected = if prefix.contains(['\r', '\n']) {
                    format!("\"'{field}\"")
                } else {
                    format!("'{field}")
                };
                assert_eq!(cell(&field), expected, "{field:?}");
            }
        }
        // TAB or CR anywhere in the leading whitespace, whatever follows (a leading TAB or
        // CR alone: `separators_and_guard`).
        assert_eq!(cell(" \tx"), "' \tx");
        assert_eq!(cell("\u{3000}\tx"), "'\u{3000}\tx");
        assert_eq!(cell("  \rx"), "\"'  \rx\"");
        assert_eq!(cell("\n\rx"), "\"'\n\rx\"");
        assert_eq!(cell("\t"), "'\t");
    }

    #[test]
    fn harmless_cells_are_left_as_they_are() {
        for field in [
            "Квартальный отчёт",
            "e-mail @ 10:00 = ok",
            "a=b",
            "1-2",
            "a＝b",
            "  plain title",
            "\u{3000}見出し",
            "   ",
            "Unknown (-5)",
        ] {
            assert_eq!(cell(field), field, "{field:?}");
            assert!(!needs_formula_guard(field), "{field:?}");
        }
        // Only quoting, no apostrophe: a line break before ordinary text.
        assert_eq!(cell("\nx"), "\"\nx\"");
        assert_eq!(cell(" x;y"), "\" x;y\"");
    }

    #[test]
    fn exported_titles_with_hidden_formulas_are_guarded() {
        let t = TaskTable::from_tasks(vec![
            task(1, "\u{3000}\u{ff1d}HYPERLINK(\"http://x\")", "1", "2", None),
            task(2, " +1", "1", "2", None),
            task(3, "\r\n@SUM(A1)", "1", "2", None),
            task(4, "Plan - Q2", "1", "2", None),
        ]);
        let q = Query {
            sort: SortKey::Id,
            dir: SortDir::Asc,
            ..Query::default()
        };
        let csv = csv_of(&t, &t.apply(&q), Lang::En);
        let expected = "\u{feff}ID,Title,Priority,Status,Note\r\n\
            1,\"'\u{3000}\u{ff1d}HYPERLINK(\"\"http://x\"\")\",Medium,Pending,\r\n\
            2,' +1,Medium,Pending,\r\n\
            3,\"'\r\n@SUM(A1)\",Medium,Pending,\r\n\
            4,Plan - Q2,Medium,Pending,\r\n";
        assert_eq!(csv, expected);
    }
}
