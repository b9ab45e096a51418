//! `user.current`, `app.info`, `profile` and `scope`: the documented answers.
//!
//! Every shape here is the documented example of its method, key for key and type for type
//! (docs/platform/rest-answers.md names the source of each one), and
//! `portal/tests/documented_shapes.rs` holds the model to it. A field the documented example
//! lacks is not added, however plausible.

use serde_json::{json, Value};

use crate::call::{ApiError, CallOk};
use crate::clock::iso;
use crate::dataset::user;
use crate::php::{Key, PhpArray, PhpValue};
use crate::Ctx;

/// `YYYY-MM-DD HH:MM:SS` in the portal's offset: how `user.current` prints
/// `LAST_ACTIVITY_DATE` (not ISO 8601, unlike the other dates of the same answer).
fn plain_date_time(unix_s: i64) -> String {
    iso(unix_s)
        .get(..19)
        .unwrap_or_default()
        .replacen('T', " ", 1)
}

/// `user.current`: the caller's documented fields, IDs as strings, `UF_DEPARTMENT` as numbers.
pub fn user_current(ctx: &Ctx<'_>) -> CallOk {
    let id = ctx.caller();
    let (name, last, login) = match user(id) {
        Some(u) => (u.name, u.last_name, u.login.to_string()),
        None => ("User", "", format!("user{id}")),
    };
    let reference = ctx.config.reference_unix_s;
    let registered = reference - 3 * 365 * 86_400 + (id as i64) * 86_400;
    CallOk::json(json!({
        "ID": id.to_string(),
        "ACTIVE": true,
        "NAME": name,
        "LAST_NAME": last,
        "EMAIL": format!("{login}@example.com"),
        "LAST_LOGIN": iso(ctx.now_s()),
        "DATE_REGISTER": iso(registered),
        "IS_ONLINE": "Y",
        "LAST_ACTIVITY_DATE": plain_date_time(ctx.now_s()),
        "PERSONAL_GENDER": "",
        "PERSONAL_BIRTHDAY": "",
        "WORK_POSITION": "",
        "UF_EMPLOYMENT_DATE": "",
        "UF_DEPARTMENT": [1],
    }))
}

/// `app.info`: the application's record for the app's own token. An incoming webhook is no
/// application: it gets the documented `ACCESS_DENIED` "Application context required".
pub fn app_info(ctx: &Ctx<'_>) -> Result<CallOk, ApiError> {
    if ctx.principal.webhook {
        return Err(ApiError::new(
            400,
            "ACCESS_DENIED",
            "Access denied! Application context required",
        ));
    }
    let code_suffix: String = ctx.config.member_id.chars().take(14).collect();
    Ok(CallOk::json(json!({
        "ID": 1,
        "CODE": format!("local.{code_suffix}.00000001"),
        "VERSION": 1,
        "STATUS": "L",
        "INSTALLED": true,
        "PAYMENT_EXPIRED": "N",
        "DAYS": null,
        "LANGUAGE_ID": "en",
        "LICENSE": "en_project",
        "LICENSE_TYPE": "project",
        "LICENSE_FAMILY": "project",
    })))
}

/// `profile`: the caller's basic profile (`ADMIN` true for the portal administrator).
pub fn profile(ctx: &Ctx<'_>) -> CallOk {
    let id = ctx.caller();
    let (name, last) = user(id).map_or(("User", ""), |u| (u.name, u.last_name));
    CallOk::json(json!({
        "ID": id.to_string(),
        "ADMIN": ctx.caller_is_admin(),
        "NAME": name,
        "LAST_NAME": last,
        "PERSONAL_GENDER": "",
        "TIME_ZONE": "Europe/Moscow",
    }))
}

/// `scope`: the scopes granted to the caller (the app's or the webhook's), as strings.
///
/// `full=true` (every scope the portal knows) is not modelled: it answers
/// `EMULATOR_UNSUPPORTED` rather than a list this model would have to invent.
pub fn scope(params: &PhpArray, ctx: &Ctx<'_>) -> Result<CallOk, ApiError> {
    let full = params
        .iter()
        .find(|(k, _)| matches!(k, Key::Str(s) if s.eq_ignore_ascii_case("full")))
        .map(|(_, v)| v);
    if full.is_some_and(is_true) {
        return Err(ApiError::unsupported(
            "scope with full=true (the portal's complete scope list) is not emulated",
        ));
    }
    Ok(CallOk::json(Value::Array(
        ctx.principal
            .scopes
            .iter()
            .map(|s| Value::String(s.clone()))
            .collect(),
    )))
}

/// PHP truthiness of a request value as the REST layer reads booleans (`true`, `1`, `Y`).
fn is_true(v: &PhpValue) -> bool {
    v.to_text().is_some_and(|s| {
        let s = s.trim();
        s.eq_ignore_ascii_case("true") || s == "1" || s.eq_ignore_ascii_case("y")
    })
}
