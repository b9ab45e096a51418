//! The Excel export (issue 16). The app's side is small on purpose — it is in the first
//! load: on click it encodes the loaded tasks and the view on screen ([`request`]) and hands
//! them to the exporter, a separate wasm module (`exporter/`) that runs in a web worker,
//! fetched only on the first export ([`client`]); the worker runs the view's query,
//! grouping and pivot and writes the workbook. [`button`] is the header's control.
//!
//! The feature `without-excel-export` compiles the button and the client out (the request is
//! the worker's too) and the report page's Excel control with them: package.sh builds the app so once more
//! to measure what the export adds to the first load (README "Sizes").

#[cfg(not(feature = "without-excel-export"))]
pub mod button;
#[cfg(not(feature = "without-excel-export"))]
pub mod client;
pub mod request;
