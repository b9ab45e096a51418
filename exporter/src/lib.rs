//! The Excel exporter of the task report: reads the sheet description the app builds from
//! what is on screen ([`spec`]) and writes an `.xlsx` workbook ([`write`]) with
//! `rust_xlsxwriter`. Runs in a web worker (`src/main.rs`), fetched the first time the user
//! exports; native tests build workbooks and read them back.

pub mod spec;
pub mod write;

/// Description text in, workbook bytes out; `progress(done, total)` in rows.
pub fn export(text: &str, progress: &mut dyn FnMut(usize, usize)) -> Result<Vec<u8>, String> {
    let spec = spec::parse(text)?;
    write::workbook(spec, progress)
}
