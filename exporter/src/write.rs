//! Writes a [`Spec`] as an `.xlsx` workbook with `rust_xlsxwriter`: bold frozen header row,
//! autofilter, column widths from the content, typed cells, links as `HYPERLINK` formulas.
//!
//! Why formulas and not the crate's `write_url`: a worksheet holds at most 65 530 hyperlink
//! objects (Excel's limit; 100 000 tasks with two linked cells each are 200 000), and a
//! hyperlink object makes its cell a string, while an ID must stay a number. A
//! `HYPERLINK(url, value)` formula has no such limit and its cached result keeps the cell's
//! type (number for the ID, text for the title). A formula's text argument may have at most
//! 255 characters: a longer title is written as plain text (its ID cell still links).
//!
//! Text stays text: rust_xlsxwriter types a formula's cached result by its text (a number when
//! it parses as one, a boolean for `TRUE`/`FALSE`, an error for `#N/A`, …), so a task titled
//! "123" or "TRUE" would read back as a number or a boolean wherever the cached value is used
//! (readers, and spreadsheets that do not recalculate on open). Such a title gets a hyperlink
//! object instead (a text cell; at most `MAX_HYPERLINKS` per sheet, then plain text).
//! Plain text cells are written with `write_string`, which never reads text as a formula,
//! number or date: "=SUM(A1)" and "2024-01-01" stay that text.
//!
//! Memory: the crate's constant-memory mode streams rows to temporary files, which
//! wasm32-unknown-unknown does not have (no file system: the mode traps or fails there, see
//! `bench/xlsx-constant-memory/`). Here the rows of the description are produced one at a
//! time as they are written ([`Sheet::rows`] is an iterator), so the description is never
//! held whole beside the worksheet; see BENCHMARKS.md ("Excel export: memory") for the
//! measured peak and where it goes.

use rust_xlsxwriter::{
    Color, Format, FormatUnderline, Formula, Url, Workbook, Worksheet, XlsxError,
};

use crate::spec::{Cell, Column, Kind, RowKind, Sheet, Spec};

/// Excel's limit on the characters of one cell.
const MAX_CELL_CHARS: usize = 32_767;
/// Excel's limit on a text argument inside a formula.
const MAX_FORMULA_TEXT: usize = 255;
/// Excel's limit on rows per sheet (the header row included).
const MAX_ROWS: usize = 1_048_576;
/// Excel's limit on hyperlink objects per worksheet.
const MAX_HYPERLINKS: usize = 65_530;
/// The formula results rust_xlsxwriter writes as errors (`Worksheet::write_formula_cell`).
const ERROR_RESULTS: [&str; 8] = [
    "#DIV/0!",
    "#N/A",
    "#NAME?",
    "#NULL!",
    "#NUM!",
    "#REF!",
    "#VALUE!",
    "#GETTING_DATA",
];
/// Widest column set from the content, in characters.
const MAX_WIDTH: usize = 60;
/// Days between Excel's day 0 (1899-12-30) and the Unix epoch.
const UNIX_EPOCH_SERIAL: f64 = 25_569.0;
/// The zip's deflate level: 3 instead of the crate's 6 — its own measurements (performance
/// docs) give 0.71 of the save time for 1.06 of the size, and zipping is a large part of a
/// 100 000-row export (BENCHMARKS.md, "Excel export").
const ZIP_LEVEL: u8 = 3;
/// The number format of durations: hours past 24 and minutes.
const DURATION_FORMAT: &str = "[h]:mm";
/// How often progress is reported, in rows.
pub const PROGRESS_EVERY: usize = 5_000;

/// The formats of one workbook.
struct Formats {
    header: Format,
    group: Format,
    subtotal: Format,
    date: Format,
    duration: Format,
    /// A duration in a subtotal row: bold and `[h]:mm`.
    total_duration: Format,
    link: Format,
}

impl Formats {
    fn new() -> Self {
        let bold = Format::new().set_bold();
        Self {
            header: bold.clone().set_background_color(Color::RGB(0xE8EEF4)),
            group: bold.clone().set_background_color(Color::RGB(0xF2F4F6)),
            total_duration: bold.clone().set_num_format(DURATION_FORMAT),
            subtotal: bold,
            date: Format::new().set_num_format("yyyy-mm-dd hh:mm"),
            duration: Format::new().set_num_format(DURATION_FORMAT),
            link: Format::new()
                .set_font_color(Color::RGB(0x0563C1))
                .set_underline(FormatUnderline::Single),
        }
    }
}

/// Builds the workbook. `progress(done, total)` is called every [`PROGRESS_EVERY`] rows
/// and once before the file is packed (`done == total`).
pub fn workbook(spec: Spec<'_>, progress: &mut dyn FnMut(usize, usize)) -> Result<Vec<u8>, String> {
    let total: usize = spec.sheets.iter().map(|s| s.row_count).sum();
    let formats = Formats::new();
    let mut book = Workbook::new();
    book.set_zip_compression_level(ZIP_LEVEL);
    let mut done = 0;
    for sheet in spec.sheets {
        if sheet.row_count + 1 > MAX_ROWS {
            return Err(format!(
                "{} rows do not fit in one Excel sheet (at most {})",
                sheet.row_count,
                MAX_ROWS - 1
            ));
        }
        let ws = book.add_worksheet();
        write_sheet(ws, sheet, &formats, &mut |n| {
            done += n;
            progress(done, total);
        })
        .map_err(|e| format!("writing the sheet failed: {e}"))?;
    }
    progress(total, total);
    book.save_to_buffer()
        .map_err(|e| format!("packing the workbook failed: {e}"))
}

fn write_sheet(
    ws: &mut Worksheet,
    sheet: Sheet<'_>,
    f: &Formats,
    advance: &mut dyn FnMut(usize),
) -> Result<(), XlsxError> {
    ws.set_name(sheet_name(&sheet.name))?;
    let columns = sheet.columns;
    let mut widths: Vec<usize> = columns.iter().map(|c| text_width(&c.header) + 3).collect();
    for (col, column) in (0u16..).zip(&columns) {
        ws.write_string_with_format(0, col, clip(&column.header), &f.header)?;
    }
    let mut row_count = 0;
    let mut pending = 0;
    let mut links = 0;
    for (r, row) in (1u32..).zip(sheet.rows) {
        if usize::try_from(r).map_or(true, |r| r >= MAX_ROWS) {
            return Err(XlsxError::RowColumnLimitError);
        }
        row_count += 1;
        let style = match row.kind {
            RowKind::Group => Some(&f.group),
            RowKind::Subtotal => Some(&f.subtotal),
            RowKind::Task => None,
        };
        let cells = row.cells.into_iter().chain(std::iter::repeat(Cell::Empty));
        for (col, (cell, column)) in (0u16..).zip(cells.zip(&columns)) {
            let link = if style.is_none() && column.link {
                row.link.as_deref()
            } else {
                None
            };
            let width = write_cell(ws, (r, col), cell, column, link, style, f, &mut links)?;
            if let Some(w) = widths.get_mut(usize::from(col)) {
                *w = (*w).max(width);
            }
        }
        pending += 1;
        if pending == PROGRESS_EVERY {
            advance(pending);
            pending = 0;
        }
    }
    advance(pending);
    for (col, width) in (0u16..).zip(widths) {
        ws.set_column_width(col, width.min(MAX_WIDTH) as f64 + 1.0)?;
    }
    ws.set_freeze_panes(1, 0)?;
    if sheet.filter && !columns.is_empty() {
        let last_row = u32::try_from(row_count).unwrap_or(u32::MAX);
        let last_col = u16::try_from(columns.len() - 1).unwrap_or(u16::MAX);
        ws.autofilter(0, 0, last_row, last_col)?;
    }
    Ok(())
}

/// Writes one cell; returns the characters it needs to show.
#[allow(clippy::too_many_arguments)]
fn write_cell(
    ws: &mut Worksheet,
    (r, col): (u32, u16),
    cell: Cell,
    column: &Column,
    link: Option<&str>,
    style: Option<&Format>,
    f: &Formats,
    links: &mut usize,
) -> Result<usize, XlsxError> {
    match (cell, column.kind) {
        (Cell::Empty, _) => {
            // A group or subtotal row reads as one band, also where it has no value.
            if let Some(style) = style {
                ws.write_blank(r, col, style)?;
            }
            Ok(0)
        }
        (Cell::Text(text), _) => {
            let text = clip(&text);
            match (link, style) {
                (Some(url), _) if !cached_as_text(text) && *links < MAX_HYPERLINKS => {
                    *links += 1;
                    let url = Url::new(url);
                    if ws
                        .write_url_with_options(r, col, url, text, "", Some(&f.link))
                        .is_err()
                    {
                        ws.write_string(r, col, text)?;
                    }
                }
                (Some(url), _)
                    if cached_as_text(text) && fits_formula(url) && fits_formula(text) =>
                {
                    let formula = Formula::new(format!(
                        "HYPERLINK(\"{}\",\"{}\")",
                        quoted(url),
                        quoted(text)
                    ))
                    .set_result(text);
                    ws.write_formula_with_format(r, col, formula, &f.link)?;
                }
                (_, Some(style)) => {
                    ws.write_string_with_format(r, col, text, style)?;
                }
                _ => {
                    ws.write_string(r, col, text)?;
                }
            }
            Ok(text_width(text))
        }
        (Cell::Number(n), Kind::Date) => {
            let serial = n / 86_400.0 + UNIX_EPOCH_SERIAL;
            if serial.is_finite() && serial >= 1.0 {
                ws.write_number_with_format(r, col, serial, style.unwrap_or(&f.date))?;
            }
            Ok(16)
        }
        (Cell::Number(n), Kind::Duration) => {
            if n.is_finite() {
                // A subtotal keeps the time format (its bold style alone would show 0.0625).
                let format = if style.is_some() {
                    &f.total_duration
                } else {
                    &f.duration
                };
                ws.write_number_with_format(r, col, n / 86_400.0, format)?;
            }
            Ok(8)
        }
        (Cell::Number(n), _) => {
            if !n.is_finite() {
                return Ok(0);
            }
            let shown = number_text(n);
            match (link, style) {
                (Some(url), _) if fits_formula(url) => {
                    let formula = Formula::new(format!("HYPERLINK(\"{}\",{shown})", quoted(url)))
                        .set_result(&shown);
                    ws.write_formula_with_format(r, col, formula, &f.link)?;
                }
                (_, Some(style)) => {
                    ws.write_number_with_format(r, col, n, style)?;
                }
                _ => {
                    ws.write_number(r, col, n)?;
                }
            }
            Ok(shown.len())
        }
    }
}

/// True when rust_xlsxwriter writes `text` as a formula's cached result of type text: it
/// types the result by its text (`Worksheet::write_formula_cell`: a number when it parses as
/// `f64`, a boolean for `TRUE`/`FALSE`, an error for the error literals).
fn cached_as_text(text: &str) -> bool {
    text.parse::<f64>().is_err()
        && !matches!(text, "TRUE" | "FALSE")
        && !ERROR_RESULTS.contains(&text)
}

/// A number as Excel would read it back in a formula (integers without ".0").
fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Text as a formula string literal's content (quotes doubled).
fn quoted(text: &str) -> String {
    text.replace('"', "\"\"")
}

/// True when `text` fits a formula's text argument (Excel counts UTF-16 units).
fn fits_formula(text: &str) -> bool {
    text.encode_utf16().count() <= MAX_FORMULA_TEXT
}

/// `text` cut to what one cell holds.
fn clip(text: &str) -> &str {
    match text.char_indices().nth(MAX_CELL_CHARS) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

/// The width `text` needs, in characters (its longest line).
fn text_width(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// A valid sheet name: no `[]:*?/\`, not empty, at most 31 characters.
pub fn sheet_name(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { ' ' } else { c })
        .take(31)
        .collect();
    let clean = clean.trim().trim_matches('\'').to_string();
    if clean.is_empty() {
        "Sheet".to_string()
    } else {
        clean
    }
}
