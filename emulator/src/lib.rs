//! A local Bitrix24 portal for developing and testing a static (archive-uploaded) local app.
//!
//! Two origins, like production: the portal page, REST API and SDK stand-in on
//! `http://localhost:<port>`, and the app's files on `http://127.0.0.1:<port>/b1/app_local/<hash>/`.
//! REST is answered by the [`b24_portal`] model; this crate adds HTTP, the frame page's server
//! side, the request-rate limit, latency and fault injection, and test endpoints.
//!
//! ```no_run
//! # async fn run() -> Result<(), String> {
//! let mut config = b24_emulator::Config::new("dist");
//! config.portal_port = 0;
//! config.app_port = 0;
//! let handles = b24_emulator::serve(config).await?;
//! println!("{}", handles.startup_line());
//! handles.shutdown().await;
//! # Ok(()) }
//! ```

pub mod app_site;
pub mod assets;
pub mod cli;
pub mod config;
pub mod control;
pub mod faults;
pub mod http;
pub mod knobs;
pub mod page;
pub mod portal_api;
pub mod prng;
pub mod ratelimit;
pub mod rest;
pub mod security;
pub mod server;
pub mod state;
pub mod stats;

#[cfg(test)]
mod tests;

pub use config::{Config, WasmMime};
pub use knobs::{BucketMode, Knobs};
pub use server::{serve, Handles};
