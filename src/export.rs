//! The Excel export (issue 16). The app builds a plain sheet description from what is on
//! screen ([`spec`], fed by today's columns in [`tasks`]) and hands it to the exporter, a
//! separate wasm module (`exporter/`) that runs in a web worker and is fetched only on the
//! first export.

pub mod spec;
pub mod tasks;
