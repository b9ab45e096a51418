//! The sheet description the writer reads ([`crate::write`]): generic columns (header, cell
//! type, link) and rows (task rows, group headers, subtotals) handed over one at a time, so
//! the description of a 100 000-row sheet is never held whole ([`crate::sheets`] builds it
//! from the app's request).
//!
//! A date cell is seconds since 1970-01-01 00:00 *in the portal's local time* (the instant
//! plus the portal's offset: Excel dates carry no zone); a duration cell is seconds.

/// The whole workbook.
pub struct Spec<'a> {
    /// The sheets, in tab order.
    pub sheets: Vec<Sheet<'a>>,
}

/// One worksheet.
pub struct Sheet<'a> {
    /// The tab name (Excel allows 31 characters; longer names are cut).
    pub name: String,
    /// The columns, left to right.
    pub columns: Vec<Column>,
    /// How many rows [`Sheet::rows`] gives (for the progress and the autofilter range).
    pub row_count: usize,
    /// The rows under the header row, produced as they are written.
    pub rows: Box<dyn Iterator<Item = Row> + 'a>,
    /// Put an autofilter on the header row.
    pub filter: bool,
}

/// A column: header text and how its cells are typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// The header cell's text.
    pub header: String,
    /// The cell type.
    pub kind: Kind,
    /// The cell links to its row's `link` URL.
    pub link: bool,
}

/// How a column's cells are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A number (IDs, counts).
    Number,
    /// Text (titles, labels).
    Text,
    /// A date and time: local seconds (see the module docs), shown as a date.
    Date,
    /// A duration in seconds, shown as `[h]:mm`.
    Duration,
}

/// One row.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// What the row is.
    pub kind: RowKind,
    /// The cells, left to right (fewer than the columns: the rest stay empty).
    pub cells: Vec<Cell>,
    /// The row's link (the task's page) for the columns with `link`.
    pub link: Option<String>,
}

/// What a row is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    /// A task (or a plain data row).
    Task,
    /// A group header.
    Group,
    /// A subtotal.
    Subtotal,
}

/// One cell value.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// A number (or seconds for dates and durations).
    Number(f64),
    /// Text.
    Text(String),
}

impl Row {
    /// A row of `kind` with `cells` and no link.
    pub fn new(kind: RowKind, cells: Vec<Cell>) -> Self {
        Self {
            kind,
            cells,
            link: None,
        }
    }
}

impl<'a> Sheet<'a> {
    /// A sheet over rows already in memory (the pivot, tests).
    pub fn from_rows(name: &str, columns: Vec<Column>, rows: Vec<Row>, filter: bool) -> Self {
        Self {
            name: name.to_string(),
            columns,
            row_count: rows.len(),
            rows: Box::new(rows.into_iter()),
            filter,
        }
    }
}
