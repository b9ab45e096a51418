//! Task Report for Bitrix24: a Yew single-page app compiled to WebAssembly that loads every
//! task of the portal through the BX24 SDK and the REST API and renders report tables.
//!
//! Module map:
//! - [`report`] — pure logic (domain, wire format, loading engine, query/sort/filter/export);
//! - `bx24` — the only door to `window.BX24`;
//! - `components`, `hooks` — the Yew views and their state.

pub mod app;
pub mod boot;
pub mod bx24;
pub mod components;
#[cfg(any(feature = "demo", test))]
pub mod demo;
pub mod export;
pub mod hooks;
pub mod i18n;
pub mod net;
pub mod preview;
pub mod report;
pub mod snapshot_client;
pub mod snapshot_store;
pub mod state;
pub mod worker;
