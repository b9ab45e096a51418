//! The sheet description the app sends (JSON text, written by the app's `src/export/spec.rs`).
//!
//! ```json
//! { "sheets": [ { "name": "Tasks", "filter": true,
//!     "columns": [ { "header": "ID", "kind": "number", "link": true },
//!                  { "header": "Due", "kind": "date", "offset": 10800 } ],
//!     "rows": [ { "k": "g", "c": ["High · 2"] },
//!               { "c": [7, 1764950400], "l": "https://portal/…/view/7/" },
//!               { "k": "s", "c": ["Total", 1] } ] } ] }
//! ```
//!
//! Cells are JSON numbers, strings or `null` (empty). A date cell is Unix seconds, shown in
//! the column's `offset` (seconds east of UTC, the portal's zone); a duration cell is
//! seconds. Row kind `k`: absent = a task row, `"g"` = a group header, `"s"` = a subtotal.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

/// The whole workbook.
#[derive(Debug, Deserialize)]
pub struct Spec {
    /// The sheets, in tab order.
    pub sheets: Vec<Sheet>,
}

/// One worksheet.
#[derive(Debug, Deserialize)]
pub struct Sheet {
    /// The tab name (Excel allows 31 characters; longer names are cut).
    pub name: String,
    /// The columns, left to right.
    pub columns: Vec<Column>,
    /// The rows under the header row.
    pub rows: Vec<Row>,
    /// Put an autofilter on the header row.
    #[serde(default)]
    pub filter: bool,
}

/// A column: header text and how its cells are typed.
#[derive(Debug, Deserialize)]
pub struct Column {
    /// The header cell's text.
    pub header: String,
    /// The cell type.
    pub kind: Kind,
    /// For dates: the portal's offset from UTC in seconds.
    #[serde(default)]
    pub offset: i64,
    /// The cell links to its row's `l` URL.
    #[serde(default)]
    pub link: bool,
}

/// How a column's cells are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A number (IDs, counts).
    Number,
    /// Text (titles, labels).
    Text,
    /// A date and time: Unix seconds, shown in the column's offset.
    Date,
    /// A duration in seconds, shown as `[h]:mm`.
    Duration,
}

/// One row.
#[derive(Debug, Deserialize)]
pub struct Row {
    /// `None`: a task row; `"g"`: a group header; `"s"`: a subtotal.
    #[serde(default)]
    pub k: Option<RowKind>,
    /// The cells, left to right (fewer than the columns: the rest stay empty).
    #[serde(default)]
    pub c: Vec<Cell>,
    /// The row's link (the task's page) for the columns with `link`.
    #[serde(default)]
    pub l: Option<String>,
}

/// A row that is not a task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum RowKind {
    /// A group header.
    #[serde(rename = "g")]
    Group,
    /// A subtotal.
    #[serde(rename = "s")]
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

impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(CellVisitor)
    }
}

struct CellVisitor;

impl<'de> Visitor<'de> for CellVisitor {
    type Value = Cell;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, a string or null")
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Cell, E> {
        Ok(Cell::Number(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Cell, E> {
        Ok(Cell::Number(v as f64))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Cell, E> {
        Ok(Cell::Number(v as f64))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Cell, E> {
        Ok(Cell::Text(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Cell, E> {
        Ok(Cell::Text(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Cell, E> {
        Ok(Cell::Empty)
    }
    fn visit_none<E: de::Error>(self) -> Result<Cell, E> {
        Ok(Cell::Empty)
    }
}

/// Reads the description; the error names the place in the text.
pub fn parse(text: &str) -> Result<Spec, String> {
    serde_json::from_str(text).map_err(|e| format!("bad sheet description: {e}"))
}
