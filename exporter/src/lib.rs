//! The Excel exporter of the task report: reads the app's request (the loaded tasks, the view
//! on screen, names, language — `task_report::export::request`), builds the workbook of the
//! current view ([`sheets`], described by [`spec`]) and writes it as `.xlsx` ([`write`]) with
//! `rust_xlsxwriter`. Runs in a web worker (`src/main.rs`), fetched the first time the user
//! exports; native tests build workbooks and read them back.

pub mod sheets;
pub mod spec;
pub mod write;

/// Request bytes in, workbook bytes and file name out, at unix second `now` on local date
/// `today` (`YYYY-MM-DD`); `progress(done, total)` in rows. The request's bytes are freed once
/// decoded, before the worksheet grows (BENCHMARKS.md, "Excel export: memory").
pub fn export(
    request: Vec<u8>,
    now: i64,
    today: &str,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<(Vec<u8>, String), String> {
    let decoded = task_report::export::request::decode(&request);
    drop(request);
    let request = decoded.ok_or_else(|| "bad export request".to_string())?;
    let (spec, name) = sheets::workbook(request, now, today);
    let bytes = write::workbook(spec, progress)?;
    Ok((bytes, name))
}
