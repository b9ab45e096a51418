//! The in-browser files of the portal side (owned by the JS side of the team, compiled in).

/// The portal page; [`CONFIG_MARKER`] is replaced by the page's configuration script.
pub const PORTAL_HTML: &str = include_str!("../web/portal.html");
/// The portal page's script (iframe, postMessage handling).
pub const PORTAL_JS: &str = include_str!("../web/portal.js");
/// The stand-in of the BX24 v1 SDK served for `//api.bitrix24.com/api/v1/`.
pub const BX24_JS: &str = include_str!("../web/bx24.js");
/// Where the server injects `<script>window.__B24_PORTAL__ = {…}</script>`.
pub const CONFIG_MARKER: &str = "<!--B24_PORTAL_CONFIG-->";
