//! `user.current` and `app.info`.

use serde_json::{json, Value};

use crate::call::CallOk;
use crate::clock::iso;
use crate::dataset::user;
use crate::Ctx;

/// `user.current`: the caller's profile, numbers as strings.
pub fn user_current(ctx: &Ctx<'_>) -> CallOk {
    let id = ctx.caller();
    let u = user(id);
    let (name, last, second, login) = match u {
        Some(u) => (u.name, u.last_name, u.second_name, u.login.to_string()),
        None => ("User", "", "", format!("user{id}")),
    };
    let reference = ctx.config.reference_unix_s;
    let registered = reference - 3 * 365 * 86_400 + (id as i64) * 86_400;
    let v: Value = json!({
        "ID": id.to_string(),
        "XML_ID": null,
        "ACTIVE": true,
        "NAME": name,
        "LAST_NAME": last,
        "SECOND_NAME": second,
        "EMAIL": format!("{login}@example.com"),
        "LAST_LOGIN": iso(ctx.now_s()),
        "DATE_REGISTER": iso(registered),
        "IS_ONLINE": "Y",
        "TIME_ZONE": "Europe/Moscow",
        "TIME_ZONE_OFFSET": "0",
        "TIMESTAMP_X": iso(registered),
        "LAST_ACTIVITY_DATE": iso(ctx.now_s()),
        "PERSONAL_GENDER": "",
        "PERSONAL_BIRTHDAY": "",
        "UF_EMPLOYMENT_DATE": "",
        "UF_DEPARTMENT": [1],
        "USER_TYPE": "employee",
    });
    CallOk::json(v)
}

/// `app.info`: the local app for OAuth callers; scope and licence only for webhooks.
pub fn app_info(ctx: &Ctx<'_>) -> CallOk {
    let scope: Vec<Value> = ctx
        .principal
        .scopes
        .iter()
        .map(|s| Value::String(s.clone()))
        .collect();
    if ctx.principal.webhook {
        return CallOk::json(json!({
            "SCOPE": scope,
            "LICENSE": "en_project",
            "LICENSE_PREVIOUS": "",
            "LICENSE_TYPE": "project",
            "LICENSE_FAMILY": "project",
        }));
    }
    let code_suffix: String = ctx.config.member_id.chars().take(14).collect();
    CallOk::json(json!({
        "ID": "1",
        "CODE": format!("local.{code_suffix}.00000001"),
        "VERSION": 1,
        "STATUS": "L",
        "INSTALLED": true,
        "PAYMENT_EXPIRED": "N",
        "DAYS": null,
        "LANGUAGE_ID": "en",
        "LICENSE": "en_project",
        "LICENSE_PREVIOUS": "",
        "LICENSE_TYPE": "project",
        "LICENSE_FAMILY": "project",
        "SCOPE": scope,
    }))
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
        "TIME_ZONE_OFFSET": 0,
    }))
}

/// `scope`: the scopes granted to the caller.
pub fn scope(ctx: &Ctx<'_>) -> CallOk {
    CallOk::json(Value::Array(
        ctx.principal
            .scopes
            .iter()
            .map(|s| Value::String(s.clone()))
            .collect(),
    ))
}
