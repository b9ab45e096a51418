//! The sheet description the Excel exporter reads (the worker's `exporter/src/spec.rs` has
//! the format), written straight to JSON text: generic columns (header, cell type, link,
//! subtotal), rows in the order on screen, group header and subtotal rows.
//!
//! Pure and generic: a column is a header, a [`Kind`] and a function from a row (an index
//! into the table) to a [`Cell`]. Any column model feeds it by mapping each visible column
//! to an [`ExportColumn`] (see `src/export/tasks.rs` for today's columns).
//!
//! Cells are integers or text (dates are Unix seconds, durations seconds): no float is
//! formatted here, which keeps core's float formatter out of the app's wasm.

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::report::json::write_string;

/// How a column's cells are typed in the workbook.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A number (IDs, counts).
    Number,
    /// Text (titles, labels in the user's language).
    Text,
    /// A date: Unix seconds, shown in the portal's zone (offset east of UTC, seconds).
    Date {
        /// The portal's offset from UTC in seconds.
        offset: i32,
    },
    /// A duration in seconds (shown as hours and minutes).
    Duration,
}

/// One cell value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell<'a> {
    /// Nothing.
    Empty,
    /// An integer (a number, Unix seconds of a date, seconds of a duration).
    Int(i64),
    /// Text.
    Text(Cow<'a, str>),
}

/// A column to export: what it shows and how each row's cell is read.
pub struct ExportColumn<'a> {
    /// The header text, in the user's language.
    pub header: Cow<'a, str>,
    /// The cell type.
    pub kind: Kind,
    /// The cell links to the row's task.
    pub link: bool,
    /// Groups get a subtotal row summing this column (numbers and durations only).
    pub sum: bool,
    /// The cell of a row (an index into the table).
    pub cell: Box<dyn Fn(u32) -> Cell<'a> + 'a>,
}

/// A group as on screen: its heading and its rows in order.
pub struct ExportGroup<'a> {
    /// The heading ("In progress (12)").
    pub label: Cow<'a, str>,
    /// The rows.
    pub rows: &'a [u32],
}

/// The rows of a task sheet.
pub enum Body<'a> {
    /// One list.
    Plain(&'a [u32]),
    /// Groups, each with a header row (and a subtotal row when a column sums).
    Grouped(&'a [ExportGroup<'a>]),
}

/// A workbook description being written (JSON text).
pub struct Workbook {
    out: String,
    sheets: usize,
    rows_open: bool,
}

impl Default for Workbook {
    fn default() -> Self {
        Self::new()
    }
}

impl Workbook {
    /// An empty workbook.
    pub fn new() -> Self {
        Self {
            out: String::from("{\"sheets\":["),
            sheets: 0,
            rows_open: false,
        }
    }

    /// Starts a sheet with a header row of `columns`; `filter` puts an autofilter on it.
    pub fn sheet(&mut self, name: &str, columns: &[(&str, Kind, bool)], filter: bool) {
        self.close_sheet();
        if self.sheets > 0 {
            self.out.push(',');
        }
        self.sheets += 1;
        self.out.push_str("{\"name\":");
        write_string(&mut self.out, name);
        self.out.push_str(if filter {
            ",\"filter\":true"
        } else {
            ",\"filter\":false"
        });
        self.out.push_str(",\"columns\":[");
        for (i, &(header, kind, link)) in columns.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            self.out.push_str("{\"header\":");
            write_string(&mut self.out, header);
            let kind = match kind {
                Kind::Number => "number",
                Kind::Text => "text",
                Kind::Duration => "duration",
                Kind::Date { offset } => {
                    let _ = write!(self.out, ",\"offset\":{offset}");
                    "date"
                }
            };
            let _ = write!(self.out, ",\"kind\":\"{kind}\",\"link\":{link}}}");
        }
        self.out.push_str("],\"rows\":[");
        self.rows_open = true;
    }

    /// Appends a row to the current sheet: `kind` `None` for a task row, `Some("g")` for a
    /// group header, `Some("s")` for a subtotal; `link` for the columns that link.
    pub fn row(&mut self, kind: Option<&str>, cells: &[Cell<'_>], link: Option<&str>) {
        let out = &mut self.out;
        if !out.ends_with('[') {
            out.push(',');
        }
        out.push('{');
        if let Some(kind) = kind {
            let _ = write!(out, "\"k\":\"{kind}\",");
        }
        if let Some(link) = link {
            out.push_str("\"l\":");
            write_string(out, link);
            out.push(',');
        }
        out.push_str("\"c\":[");
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            match cell {
                Cell::Empty => out.push_str("null"),
                Cell::Int(n) => {
                    let _ = write!(out, "{n}");
                }
                Cell::Text(text) => write_string(out, text),
            }
        }
        out.push_str("]}");
    }

    /// A task sheet: `columns` over `body` as on screen, `link` gives a row's task URL.
    /// Subtotal rows (label `total` in the first column) follow each group when a column
    /// has `sum`.
    pub fn task_sheet(
        &mut self,
        name: &str,
        columns: &[ExportColumn<'_>],
        body: Body<'_>,
        link: &dyn Fn(u32) -> Option<String>,
        total: &str,
    ) {
        let heads: Vec<_> = columns
            .iter()
            .map(|c| (c.header.as_ref(), c.kind, c.link))
            .collect();
        self.sheet(name, &heads, true);
        let any_link = columns.iter().any(|c| c.link);
        let task_rows = |book: &mut Self, rows: &[u32]| {
            for &row in rows {
                let url = if any_link { link(row) } else { None };
                let cells: Vec<Cell<'_>> = columns.iter().map(|c| (c.cell)(row)).collect();
                book.row(None, &cells, url.as_deref());
            }
        };
        match body {
            Body::Plain(rows) => task_rows(self, rows),
            Body::Grouped(groups) => {
                let sums = columns.iter().any(|c| c.sum);
                for group in groups {
                    self.row(Some("g"), &[Cell::Text(group.label.clone())], None);
                    task_rows(self, group.rows);
                    if sums {
                        let cells = subtotals(columns, group.rows, total);
                        self.row(Some("s"), &cells, None);
                    }
                }
            }
        }
    }

    /// The finished description (JSON text).
    pub fn finish(mut self) -> String {
        self.close_sheet();
        self.out.push_str("]}");
        self.out
    }

    fn close_sheet(&mut self) {
        if self.rows_open {
            self.out.push_str("]}");
            self.rows_open = false;
        }
    }
}

/// A group's subtotal row: `total` in the first column, the sums of the summed columns.
fn subtotals<'a>(columns: &[ExportColumn<'_>], rows: &[u32], total: &'a str) -> Vec<Cell<'a>> {
    let mut cells: Vec<Cell<'a>> = columns
        .iter()
        .map(|c| {
            if !c.sum {
                return Cell::Empty;
            }
            let sum = rows.iter().fold(0i64, |acc, &r| match (c.cell)(r) {
                Cell::Int(n) => acc.saturating_add(n),
                _ => acc,
            });
            Cell::Int(sum)
        })
        .collect();
    if let Some(first) = cells.first_mut() {
        if *first == Cell::Empty {
            *first = Cell::Text(Cow::Borrowed(total));
        }
    }
    cells
}

/// The file name `tasks-<portal>-<YYYY-MM-DD>.xlsx`: the portal's host from its URL (only
/// letters, digits, `.` and `-` kept, no port), `fallback` when it is unknown.
pub fn file_name(portal_url: Option<&str>, fallback: &str, date: &str) -> String {
    let host = portal_url
        .map(|u| u.split("://").last().unwrap_or(u))
        .map(|u| u.split(['/', '?', '#', ':']).next().unwrap_or(""))
        .map(|h| {
            h.chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
                .collect::<String>()
        })
        .filter(|h| !h.is_empty());
    format!("tasks-{}-{date}.xlsx", host.as_deref().unwrap_or(fallback))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
