//! `tasks.task.list` (docs/platform/task-list.md, "`tasks.task.list`"): named `order`,
//! `filter`, `select`, `params`, `start`; fixed page
//! of 50; `start=-1` = no COUNT (no `total`, no `next`); result `{"tasks":[…]}` with camelCase
//! keys where `status` is the real status and `subStatus` the meta status.
//!
//! Each row also carries the documented objects (`api-reference/tasks/fields.md`, "Object
//! with user description", "Object group"; the example of `tasks-task-list.md`):
//! `responsible` when `RESPONSIBLE_ID` is selected, `creator` when `CREATED_BY` is, and
//! `group` always, as in the example, whose SELECT has no `GROUP_ID` (`[]` for a task
//! without a project).

use serde_json::{json, Value};

use crate::call::{ApiError, CallOk, Payload};
use crate::dataset::{project, user};
use crate::filter;
use crate::order;
use crate::php::{Key, PhpArray, PhpValue};
use crate::rows::{field_index, FieldSet, RowFormat, Rows};
use crate::task_list::{caller_page, next_of, page_from_start, PAGE_SIZE};
use crate::Ctx;

fn arg<'a>(params: &'a PhpArray, name: &str) -> Option<&'a PhpValue> {
    params.get(&Key::Str(name.into()))
}

fn array_arg(params: &PhpArray, name: &str) -> PhpArray {
    match arg(params, name) {
        Some(PhpValue::Array(a)) => a.clone(),
        _ => PhpArray::new(),
    }
}

/// `responsibleId` → `RESPONSIBLE_ID`; upper-case names pass through.
fn snake_upper(name: &str) -> String {
    let mut s = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 && !name.chars().all(|x| !x.is_ascii_lowercase()) {
            s.push('_');
        }
        s.push(c.to_ascii_uppercase());
    }
    match s.as_str() {
        "SUB_STATUS" => "STATUS".into(),
        "STATUS" if name == "status" => "REAL_STATUS".into(),
        _ => s,
    }
}

/// Runs `tasks.task.list`.
pub fn run(params: &PhpArray, start: Option<&PhpValue>, ctx: &Ctx<'_>) -> Result<CallOk, ApiError> {
    let order_arg = array_arg(params, "order");
    let mut upper = PhpArray::new();
    for (k, v) in order_arg.iter() {
        let name = Key::Str(snake_upper(&k.to_text()));
        if !order::key_allowed(&name) {
            // Docs: HTTP 400, "error":"0", "Invalid sorting key" (controller checkOrderKeys).
            return Err(ApiError::new(400, "0", "Invalid sorting key"));
        }
        upper.insert(name, v.clone());
    }
    let keys = order::translate(&upper);
    let filter = filter::translate(&array_arg(params, "filter"), "tasks.task.list")?;

    let select = array_arg(params, "select");
    let mut fields = FieldSet::default();
    if select.is_empty() {
        fields = FieldSet::default_select();
    } else {
        fields.add_name("ID");
        for v in select.values() {
            if let Some(s) = v.to_text() {
                if s == "*" {
                    fields = FieldSet::default_select();
                } else {
                    fields.add_name(&snake_upper(&s));
                }
            }
        }
    }
    fields.remove_name("TAGS");

    let no_count = start.is_some_and(|s| s.intval() == -1);
    let page = start.map_or(1, page_from_start).max(1) as u64;
    let (rows, total) = caller_page(
        ctx,
        &filter,
        &keys,
        (PAGE_SIZE, page),
        fields,
        RowFormat::TaskList,
    );
    let tasks = with_objects(&rows, ctx)?;
    Ok(CallOk {
        payload: Payload::Json(json!({ "tasks": tasks })),
        next: if no_count {
            None
        } else {
            next_of(total, PAGE_SIZE, page)
        },
        total: (!no_count).then_some(total),
    })
}

/// The documented "object with user description" of user `id` (`name`: first and last name).
pub fn user_object(id: u64) -> Value {
    let name = user(id).map_or_else(String::new, |u| {
        format!("{} {}", u.name, u.last_name).trim().to_string()
    });
    json!({
        "id": id.to_string(),
        "name": name,
        "link": format!("/company/personal/user/{id}/"),
        "icon": "/bitrix/images/tasks/default_avatar.png",
        "workPosition": "",
    })
}

/// The documented "object group" of project `id`; `[]` for no project (0) or an unknown one.
pub fn group_object(id: u64) -> Value {
    match project(id) {
        Some(p) => json!({
            "id": id.to_string(),
            "name": p.name,
            "opened": p.opened,
            "membersCount": p.members_count,
            "image": "",
            "additionalData": [],
        }),
        None => json!([]),
    }
}

/// The page's rows as JSON with the `responsible`, `creator` and `group` objects added.
fn with_objects(rows: &Rows, ctx: &Ctx<'_>) -> Result<Vec<Value>, ApiError> {
    let selected = |name: &str| field_index(name).is_some_and(|i| rows.fields.has(i));
    let (responsible, creator) = (selected("RESPONSIBLE_ID"), selected("CREATED_BY"));
    let mut text = String::new();
    rows.write(ctx.store, &mut text);
    let mut list: Vec<Value> = serde_json::from_str(&text)
        .map_err(|e| ApiError::new(500, "INTERNAL_SERVER_ERROR", format!("rows: {e}")))?;
    for (row, &pos) in list.iter_mut().zip(&rows.positions) {
        let (Some(task), Value::Object(members)) = (ctx.store.tasks.get(pos as usize), row) else {
            continue;
        };
        if responsible {
            members.insert(
                "responsible".into(),
                user_object(task.responsible_id.into()),
            );
        }
        if creator {
            members.insert("creator".into(), user_object(task.created_by.into()));
        }
        members.insert("group".into(), group_object(task.group_id.into()));
    }
    Ok(list)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn select_names_accept_camel_case() {
        assert_eq!(snake_upper("responsibleId"), "RESPONSIBLE_ID");
        assert_eq!(snake_upper("ID"), "ID");
        assert_eq!(snake_upper("id"), "ID");
        assert_eq!(snake_upper("RESPONSIBLE_ID"), "RESPONSIBLE_ID");
        assert_eq!(snake_upper("subStatus"), "STATUS");
        assert_eq!(snake_upper("status"), "REAL_STATUS");
    }
}
