//! `POST /__portal/*`: what the portal page's script asks the server for while it answers the
//! app's frame messages (token refresh, options, install flags, message log).

use serde_json::{json, Map, Value};

use crate::http::{self, Resp};
use crate::state::{lock, now_ms, Shared};

/// Answers `POST /__portal/<name>` with a JSON body.
pub fn handle(shared: &Shared, name: &str, body: &[u8]) -> Resp {
    let parsed: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => return http::json_error(400, &format!("invalid JSON body: {e}")),
    };
    if name == "log" {
        lock(&shared.rt).stats.record_frame(parsed);
        return http::json(200, &json!({"ok": true}));
    }
    let Some(obj) = parsed.as_object() else {
        return http::json_error(400, "expected a JSON object");
    };
    match name {
        "refresh" => refresh(shared, obj),
        "user-option" => user_option(shared, obj),
        "app-option" => app_option(shared, obj),
        "install" => install(shared, obj),
        "installed" => installed(shared, obj),
        _ => http::not_found(),
    }
}

fn refresh(shared: &Shared, obj: &Map<String, Value>) -> Resp {
    let token = obj
        .get("refresh_token")
        .and_then(Value::as_str)
        .unwrap_or("");
    match lock(&shared.portal).refresh_auth(token, now_ms()) {
        Some(t) => http::json(
            200,
            &json!({
                "AUTH_ID": t.access_token,
                "AUTH_EXPIRES": t.expires_in_s.to_string(),
                "REFRESH_ID": t.refresh_token,
            }),
        ),
        None => http::json(401, &json!({"error": "invalid_grant"})),
    }
}

/// The `user` member (default 1).
fn user_of(obj: &Map<String, Value>) -> Result<u64, String> {
    match obj.get("user") {
        None | Some(Value::Null) => Ok(1),
        Some(v) => v
            .as_u64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            .ok_or_else(|| "user: expected a user id".to_string()),
    }
}

fn option_name(obj: &Map<String, Value>) -> Result<String, String> {
    match obj.get("name").and_then(Value::as_str) {
        Some(n) if !n.is_empty() => Ok(n.to_string()),
        _ => Err("name: expected a non-empty string".to_string()),
    }
}

fn user_option(shared: &Shared, obj: &Map<String, Value>) -> Resp {
    let (user, name) = match (user_of(obj), option_name(obj)) {
        (Ok(u), Ok(n)) => (u, n),
        (Err(e), _) | (_, Err(e)) => return http::json_error(400, &e),
    };
    let value = obj.get("value").cloned().unwrap_or(Value::Null);
    lock(&shared.rt)
        .user_options
        .entry(user)
        .or_default()
        .insert(name.clone(), value.clone());
    http::json(200, &json!({"name": name, "value": value}))
}

fn app_option(shared: &Shared, obj: &Map<String, Value>) -> Resp {
    let name = match option_name(obj) {
        Ok(n) => n,
        Err(e) => return http::json_error(400, &e),
    };
    let value = obj.get("value").cloned().unwrap_or(Value::Null);
    let mut rt = lock(&shared.rt);
    rt.app_options.insert(name, value);
    http::json(200, &Value::Object(rt.app_options.clone()))
}

fn install(shared: &Shared, obj: &Map<String, Value>) -> Resp {
    let user = match user_of(obj) {
        Ok(u) => u,
        Err(e) => return http::json_error(400, &e),
    };
    let flag = obj.get("install").is_some_and(truthy);
    let mut rt = lock(&shared.rt);
    if flag {
        rt.first_run_done.insert(user);
    } else {
        rt.first_run_done.remove(&user);
    }
    http::json(200, &Value::Object(obj.clone()))
}

fn installed(shared: &Shared, obj: &Map<String, Value>) -> Resp {
    let yes = obj
        .get("v")
        .map(|v| {
            v.as_str()
                .map_or_else(|| truthy(v), |s| s.eq_ignore_ascii_case("y"))
        })
        .unwrap_or(true);
    lock(&shared.rt).installed = yes;
    http::json(200, &json!({"installed": yes}))
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => {
            !(s.is_empty() || s == "0" || s.eq_ignore_ascii_case("n") || s == "false")
        }
        _ => false,
    }
}
