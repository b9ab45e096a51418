//! Does rust_xlsxwriter's constant-memory (or low-memory) worksheet work on
//! wasm32-unknown-unknown (a browser worker: no file system)? See ../run.sh.
use rust_xlsxwriter::Workbook;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `console.log`: a panic's message, printed before the module traps.
    #[wasm_bindgen(js_namespace = console)]
    fn log(text: &str);
}

/// Adds a constant-memory (`low == false`) or low-memory worksheet, in `tempdir` when given
/// (`Workbook::set_tempdir`), writes one cell and saves to a buffer; says what happened.
#[wasm_bindgen]
pub fn probe(tempdir: Option<String>, low: bool) -> String {
    std::panic::set_hook(Box::new(|info| log(&format!("panic: {info}"))));
    let mut book = Workbook::new();
    if let Some(dir) = tempdir {
        if let Err(e) = book.set_tempdir(&dir) {
            return format!("set_tempdir({dir}) failed: {e}");
        }
    }
    let sheet = if low {
        book.add_worksheet_with_low_memory()
    } else {
        book.add_worksheet_with_constant_memory()
    };
    match sheet {
        Ok(ws) => match ws.write_string(0, 0, "x") {
            Ok(_) => match book.save_to_buffer() {
                Ok(b) => format!("works: {} bytes", b.len()),
                Err(e) => format!("save failed: {e}"),
            },
            Err(e) => format!("write failed: {e}"),
        },
        Err(e) => format!("adding the worksheet failed: {e}"),
    }
}
