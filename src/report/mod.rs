//! The pure core of the report: domain types, the wire format of the portal's REST API,
//! the loading engine (planner, page validator, limiter, retry policy, loader loop) and the
//! report logic (query, sort, filter, pivot, CSV).
//!
//! Purity rule: nothing in this module imports `wasm_bindgen`, `web_sys`, `js_sys`, `gloo`
//! or `yew`. Everything here runs under plain `cargo test` on the host. Browser-specific
//! pieces (the BX24 binding, `fetch`, timers) live outside and plug in through
//! [`transport::Transport`] and [`transport::Clock`].

pub mod codec;
pub mod column_sort;
pub mod columns;
pub mod csv;
pub mod dates;
pub mod directory;
pub mod id_ranges;
pub mod json;
pub mod limiter;
pub mod load_error;
pub mod loader;
pub mod names;
pub mod order;
pub mod params;
pub mod planner;
pub mod query;
pub mod refresh;
pub mod refresh_run;
pub mod retry;
pub mod snapshot;
pub mod snapshot_msg;
pub mod summary;
pub mod task;
pub mod transport;
pub mod validate;
pub mod view;
pub mod wire;
