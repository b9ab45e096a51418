//! `sonet_group.get`: the workgroups and projects of the dataset (`dataset::PROJECTS`) in the
//! documented answer (`api-reference/sonet-group/sonet-group-get.md`, "Response Handling":
//! a list of groups with string members, `DESCRIPTION`/`KEYWORDS` null, `total`; pages of 50
//! by `start`). Modelled: `FILTER` by `ID` (one ID or a list of IDs), `GROUP_ID`, `start`;
//! any other filter key answers `EMULATOR_UNSUPPORTED` rather than a silently wrong list.
//! Order: ID descending (the documented default). Every caller sees every project (the
//! dataset has no membership).

use serde_json::{json, Value};

use crate::call::{ApiError, CallOk};
use crate::dataset::{Project, PROJECTS};
use crate::php::{PhpArray, PhpValue};
use crate::task_list::{next_of, page_from_start, PAGE_SIZE};
use crate::Ctx;

/// A parameter by name, any case (the method reads `FILTER`, `ORDER`, `GROUP_ID`).
fn arg<'a>(params: &'a PhpArray, name: &str) -> Option<&'a PhpValue> {
    params
        .iter()
        .find(|(k, _)| k.to_text().eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

/// The IDs of a filter value: one value or a list of values.
fn ids_of(value: &PhpValue) -> Vec<u64> {
    match value {
        PhpValue::Array(list) => list.values().flat_map(ids_of).collect(),
        other => u64::try_from(other.intval()).into_iter().collect(),
    }
}

/// One group as documented (values from the dataset; dates at the reference time).
fn group_row(p: &Project, ctx: &Ctx<'_>) -> Value {
    let date = ctx.iso(ctx.config.reference_unix_s - 400 * 86_400 + (p.id as i64) * 86_400);
    json!({
        "ID": p.id.to_string(),
        "SITE_ID": "s1",
        "NAME": p.name,
        "DESCRIPTION": null,
        "DATE_CREATE": date,
        "DATE_UPDATE": date,
        "ACTIVE": "Y",
        "VISIBLE": "Y",
        "OPENED": if p.opened { "Y" } else { "N" },
        "CLOSED": "N",
        "SUBJECT_ID": "1",
        "OWNER_ID": ctx.store.admin.to_string(),
        "KEYWORDS": null,
        "NUMBER_OF_MEMBERS": p.members_count.to_string(),
        "DATE_ACTIVITY": date,
        "SUBJECT_NAME": "Workgroups",
        "PROJECT": "Y",
        "IS_EXTRANET": "N",
    })
}

/// Runs `sonet_group.get`.
pub fn get(params: &PhpArray, start: Option<&PhpValue>, ctx: &Ctx<'_>) -> Result<CallOk, ApiError> {
    let mut wanted: Option<Vec<u64>> = None;
    if let Some(PhpValue::Array(filter)) = arg(params, "FILTER") {
        for (key, value) in filter.iter() {
            let key = key.to_text();
            if !matches!(key.trim_start_matches('='), "ID" | "id") {
                return Err(ApiError::unsupported(format!(
                    "sonet_group.get FILTER[{key}] is not emulated (only ID)"
                )));
            }
            wanted.get_or_insert_with(Vec::new).extend(ids_of(value));
        }
    }
    if let Some(group) = arg(params, "GROUP_ID") {
        let id = ids_of(group);
        wanted = Some(match wanted {
            Some(w) => w.into_iter().filter(|x| id.contains(x)).collect(),
            None => id,
        });
    }
    let mut found: Vec<&Project> = PROJECTS
        .iter()
        .filter(|p| wanted.as_ref().is_none_or(|w| w.contains(&p.id)))
        .collect();
    found.sort_by_key(|p| std::cmp::Reverse(p.id));
    let page = start.map_or(1, page_from_start).max(1) as u64;
    let total = found.len() as u64;
    let from = usize::try_from((page - 1) * PAGE_SIZE).unwrap_or(usize::MAX);
    let rows: Vec<Value> = found
        .iter()
        .skip(from)
        .take(PAGE_SIZE as usize)
        .map(|p| group_row(p, ctx))
        .collect();
    Ok(CallOk {
        next: next_of(total, PAGE_SIZE, page),
        total: Some(total),
        ..CallOk::json(Value::Array(rows))
    })
}
