//! Test endpoints: `/__stats`, `/__stats/reset`, `/__truth`, `/__control`.

use serde_json::{json, Value};

use crate::http::{self, query_param, Resp};
use crate::knobs::PortalAction;
use crate::state::{lock, now_ms, now_unix_s, Shared};

/// `GET /__stats`.
pub fn stats(shared: &Shared) -> Resp {
    let visible = lock(&shared.portal)
        .visible_task_ids(shared.info.admin_user_id)
        .len();
    let rt = lock(&shared.rt);
    let mut out = rt.stats.to_json();
    if let Some(obj) = out.as_object_mut() {
        let user_options: serde_json::Map<String, Value> = rt
            .user_options
            .iter()
            .map(|(user, opts)| (user.to_string(), Value::Object(opts.clone())))
            .collect();
        obj.insert("installed".into(), Value::Bool(rt.installed));
        obj.insert("user_options".into(), Value::Object(user_options));
        obj.insert("app_options".into(), Value::Object(rt.app_options.clone()));
        obj.insert("knobs".into(), rt.knobs.to_json());
        obj.insert("visible_ids_count".into(), json!(visible));
    }
    http::json(200, &out)
}

/// `POST /__stats/reset`: clears counters and logs and empties the rate-limit bucket.
pub fn reset(shared: &Shared) -> Resp {
    let mut rt = lock(&shared.rt);
    rt.stats.reset();
    rt.bucket.reset();
    http::json(200, &json!({"ok": true}))
}

/// `GET /__truth?user=N`: the IDs user N can see, ID descending.
pub fn truth(shared: &Shared, query: &str) -> Resp {
    let user = match query_param(query, "user") {
        None => shared.info.admin_user_id,
        Some(text) => match text.trim().parse::<u64>() {
            Ok(u) => u,
            Err(_) => return http::json_error(400, "user: expected a user id"),
        },
    };
    let mut ids = lock(&shared.portal).visible_task_ids(user);
    ids.sort_unstable_by(|a, b| b.cmp(a));
    http::json(200, &json!(ids))
}

/// `GET /__control`: the current knobs.
pub fn knobs(shared: &Shared) -> Resp {
    http::json(200, &lock(&shared.rt).knobs.to_json())
}

/// `POST /__control`: changes knobs (all or nothing), answers the current knobs; after task
/// mutations also `"tasks"`: the IDs `inserted`, `deleted` and `updated`.
pub fn control(shared: &Shared, body: &[u8]) -> Resp {
    let parsed: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => return http::json_error(400, &format!("invalid JSON body: {e}")),
    };
    let Some(changes) = parsed.as_object() else {
        return http::json_error(400, "expected a JSON object of knobs");
    };
    let actions = match lock(&shared.rt).knobs.apply(changes) {
        Ok(a) => a,
        Err(e) => return http::json_error(400, &e),
    };
    let changed = run_actions(shared, &actions);
    let mut out = lock(&shared.rt).knobs.to_json();
    if let (Some(obj), false) = (out.as_object_mut(), changed.is_empty()) {
        obj.insert("tasks".into(), Value::Object(changed));
    }
    http::json(200, &out)
}

/// Runs portal actions and records them in the knobs; returns the task IDs that task
/// mutations touched (`inserted`, `deleted`, `updated`, `hidden`, `revealed`, `viewed`,
/// each ID ascending).
pub fn run_actions(shared: &Shared, actions: &[PortalAction]) -> serde_json::Map<String, Value> {
    let now = now_unix_s();
    let mut changed = serde_json::Map::new();
    {
        let mut portal = lock(&shared.portal);
        for action in actions {
            let (name, mut ids) = match action {
                PortalAction::BlockMethod { method, seconds } => {
                    let until = now.saturating_add(i64::try_from(*seconds).unwrap_or(i64::MAX));
                    portal.block_method_until(method, until);
                    continue;
                }
                PortalAction::DisableMethod(method) => {
                    portal.disable_method(method);
                    continue;
                }
                PortalAction::SetUtcOffset(s) => {
                    // Validated by the knobs: the portal accepts every offset they let through.
                    let _ = portal.set_utc_offset(*s);
                    continue;
                }
                PortalAction::InsertTasks(n) => ("inserted", portal.insert_tasks(*n, now_ms())),
                PortalAction::DeleteTasks(n) => ("deleted", portal.delete_tasks(*n)),
                PortalAction::UpdateTasks(n) => ("updated", portal.update_tasks(*n, now_ms())),
                PortalAction::HideTasks(c) => {
                    ("hidden", portal.hide_tasks(c.user, c.count, c.seed))
                }
                PortalAction::RevealTasks(c) => {
                    ("revealed", portal.reveal_tasks(c.user, c.count, c.seed))
                }
                PortalAction::ViewTasks(c) => {
                    ("viewed", portal.view_tasks(c.user, c.count, c.seed))
                }
            };
            ids.sort_unstable();
            changed.insert(name.into(), json!(ids));
        }
    }
    let mut rt = lock(&shared.rt);
    for action in actions {
        rt.knobs.record(action, now);
    }
    changed
}
