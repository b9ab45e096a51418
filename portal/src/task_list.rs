//! `task.item.list` (+ `task.item.getlist`, `task.ctaskitem.list`, `task.ctaskitem.getlist`).
//!
//! Positional ORDER, FILTER, PARAMS, SELECT: the *values* of the parameter map in order, names
//! ignored, extra positions ignored (docs/platform/task-list.md, "Positional parameters").
//! Each present
//! argument must be an array; in ORDER, FILTER and PARAMS (the arguments with a key allow-list)
//! a member `0 => ''` is dropped — the documented empty-array placeholder. SELECT has no
//! allow-list, so `SELECT[]=` stays `[""]` and yields the minimal field set (derived from
//! `_parseRestParams`).
//!
//! Paging (docs/platform/task-list.md, "PARAMS and paging"): `nPageSize` = min(50, ·), default
//! 50; NAV_PARAMS without `nPageSize` resets to
//! page 1 of 50; `start` → page `intval(start/50)+1`, replacing NAV_PARAMS when > 1; `total`
//! always; `next = page·size` only when more pages follow.
//!
//! Hot path: ORDER by ID (or none) with only ID-range filters is two binary searches plus the
//! page — O(log N + 50) per call.

use crate::call::{ApiError, CallOk, Payload};
use crate::filter::{self, Filter};
use crate::order::{self, SortKey, SortVal};
use crate::php::{Key, PhpArray, PhpValue};
use crate::rows::{FieldSet, RowFormat, Rows, FIELDS};
use crate::store::View;
use crate::Ctx;

/// Page size limit (`TASKS_LIMIT_PAGE_SIZE`).
pub const PAGE_SIZE: u64 = 50;

const ARG_NAMES: [&str; 4] = ["arOrder", "arFilter", "arParams", "arSelect"];

fn wrong_type(i: usize, class_method: &str) -> ApiError {
    ApiError::tasks_wrong_arguments(&format!(
        "Param #{i} ({}) for method ctaskitem::{class_method}() expected to be of type \"array\", but given something else.",
        ARG_NAMES[i]
    ))
}

fn wrong_key(i: usize, class_method: &str, key: &Key) -> ApiError {
    ApiError::tasks_wrong_arguments(&format!(
        "Param #{i} ({}) for method ctaskitem::{class_method}() must not contain key \"{}\".",
        ARG_NAMES[i],
        key.to_text()
    ))
}

/// `_parseRestParams` for the list method: type checks, placeholder removal, key allow-lists.
fn parse_args(params: &PhpArray, class_method: &str) -> Result<[PhpArray; 4], ApiError> {
    let mut out: [PhpArray; 4] = Default::default();
    for (i, value) in params.values().take(4).enumerate() {
        let PhpValue::Array(arr) = value else {
            return Err(wrong_type(i, class_method));
        };
        let mut arr = arr.clone();
        if i < 3 {
            let keys: Vec<Key> = arr.iter().map(|(k, _)| k.clone()).collect();
            for k in keys {
                let is_placeholder =
                    k == Key::Int(0) && arr.get(&k).is_some_and(PhpValue::loose_eq_empty_string);
                if is_placeholder {
                    arr.remove(&k);
                    continue;
                }
                let ok = match i {
                    0 => order::key_allowed(&k),
                    1 => filter::key_allowed(&k),
                    _ => matches!(&k, Key::Str(s) if s == "NAV_PARAMS" || s == "LOAD_TAGS"),
                };
                if !ok {
                    return Err(wrong_key(i, class_method, &k));
                }
            }
        }
        if let Some(slot) = out.get_mut(i) {
            *slot = arr;
        }
    }
    Ok(out)
}

/// PHP `intval($start / 50) + 1` (`CTaskRestService::getNavData`).
pub fn page_from_start(start: &PhpValue) -> i64 {
    let n = match start {
        PhpValue::Float(f) => *f,
        PhpValue::Str(s) => s
            .trim()
            .parse::<f64>()
            .unwrap_or_else(|_| start.intval() as f64),
        other => other.intval() as f64,
    };
    let q = n / PAGE_SIZE as f64;
    // `as` saturates; NaN/inf count as 0.
    (if q.is_finite() { q.trunc() as i64 } else { 0 }).saturating_add(1)
}

/// PHP loose `$v == 1 || $v == 'Y'`.
fn load_tags(v: Option<&PhpValue>) -> bool {
    match v {
        Some(PhpValue::Bool(b)) => *b,
        Some(PhpValue::Int(i)) => *i == 1,
        Some(PhpValue::Float(f)) => *f == 1.0,
        Some(PhpValue::Str(s)) => {
            s == "Y"
                || (v.is_some_and(PhpValue::is_numeric)
                    && s.trim().parse::<f64>().ok() == Some(1.0))
        }
        _ => false,
    }
}

/// (page size, page number) from PARAMS and `start`.
fn navigation(params: &PhpArray, start: Option<&PhpValue>) -> Result<(u64, u64), ApiError> {
    let (mut size, mut page) = (PAGE_SIZE as i64, 1i64);
    if let Some(PhpValue::Array(nav)) = params.get_text("NAV_PARAMS") {
        let isset = |k: &str| nav.get_text(k).is_some_and(|v| *v != PhpValue::Null);
        if isset("nPageTop") || isset("nTopCount") {
            return Err(ApiError::unsupported(
                "task.item.list: NAV_PARAMS nPageTop/nTopCount are not emulated by b24-portal",
            ));
        }
        if isset("nPageSize") {
            size = nav
                .get_text("nPageSize")
                .map_or(0, PhpValue::intval)
                .min(PAGE_SIZE as i64);
            page = nav.get_text("iNumPage").map_or(1, PhpValue::intval);
        }
    }
    if size <= 0 {
        return Err(ApiError::unsupported(
            "task.item.list: NAV_PARAMS nPageSize <= 0 is undefined on the portal; not emulated",
        ));
    }
    if let Some(s) = start {
        let from_start = page_from_start(s);
        if from_start > 1 {
            size = PAGE_SIZE as i64;
            page = from_start;
        }
    }
    Ok((size as u64, page.max(1) as u64))
}

/// SELECT → field set (docs/platform/task-list.md, "SELECT and the returned row"): empty =
/// default set; `*` adds ACCOMPLICES/AUDITORS; a non-empty
/// SELECT always gets the minimal fields; TAGS only with LOAD_TAGS.
fn field_set(select: &PhpArray, tags: bool) -> FieldSet {
    let mut fs = if select.is_empty() {
        FieldSet::default_select()
    } else {
        let mut fs = FieldSet::minimal();
        let mut star = false;
        for v in select.values() {
            match v.to_text() {
                Some(s) if s == "*" => star = true,
                Some(s) => fs.add_name(&s),
                None => {}
            }
        }
        if star {
            let d = FieldSet::default_select();
            for i in 0..FIELDS.len() {
                if d.has(i) {
                    fs.add(i);
                }
            }
            fs.add_name("ACCOMPLICES");
            fs.add_name("AUDITORS");
        }
        fs
    };
    fs.remove_name("TAGS");
    if tags {
        fs.add_name("TAGS");
    }
    fs
}

/// Matching rows for a query: total and the requested page's store positions.
pub struct PageResult {
    /// Rows matching the filter and visible to the caller.
    pub total: u64,
    /// Store positions of the page, in answer order.
    pub positions: Vec<u32>,
}

/// Runs filter + order + paging over what `caller` sees.
pub fn query(
    view: &View<'_>,
    filter: &Filter,
    keys: &[SortKey],
    size: u64,
    page: u64,
    caller: u64,
    now_s: i64,
) -> PageResult {
    let lo = if filter.id_lo <= 0 {
        0
    } else {
        view.lower_bound(filter.id_lo as u64)
    };
    let hi = if filter.id_hi < 0 {
        0
    } else if filter.id_hi == i64::MAX {
        view.len()
    } else {
        view.lower_bound(filter.id_hi as u64 + 1)
    };
    let hi = hi.max(lo);
    let offset = page.saturating_sub(1).saturating_mul(size);
    let by_id = keys.first().is_none_or(|k| k.field == "ID");
    let desc = keys.first().is_some_and(|k| k.desc);

    if by_id && filter.conds.is_empty() {
        // Hot path: the visible ID range is already in order.
        let total = (hi - lo) as u64;
        let take = size.min(total.saturating_sub(offset)) as usize;
        let off = offset.min(total) as usize;
        let positions = if desc {
            (0..take).map(|i| view.position(hi - 1 - off - i)).collect()
        } else {
            (0..take).map(|i| view.position(lo + off + i)).collect()
        };
        return PageResult { total, positions };
    }

    let mut matched: Vec<usize> = (lo..hi)
        .filter(|&i| {
            view.task(i)
                .is_some_and(|t| filter.matches(t, caller, now_s, view.offset_s))
        })
        .collect();
    let total = matched.len() as u64;
    if by_id {
        if desc {
            matched.reverse();
        }
    } else {
        let mut keyed: Vec<((Vec<SortVal>, u64), usize)> = matched
            .iter()
            .filter_map(|&i| {
                let t = view.task(i)?;
                let vals = keys.iter().map(|k| order::value(k.field, t)).collect();
                Some(((vals, t.id), i))
            })
            .collect();
        keyed.sort_by(|a, b| order::compare(keys, &a.0, &b.0));
        matched = keyed.into_iter().map(|(_, i)| i).collect();
    }
    let positions = matched
        .into_iter()
        .skip(offset.min(usize::MAX as u64) as usize)
        .take(size as usize)
        .map(|i| view.position(i))
        .collect();
    PageResult { total, positions }
}

/// `next` per `IRestService::setNavData`: `page·size` when `page < ceil(total/size)`.
pub fn next_of(total: u64, size: u64, page: u64) -> Option<u64> {
    let pages = total.div_ceil(size.max(1));
    (page < pages).then(|| page * size)
}

/// Runs `task.item.list`; `class_method` is `list` or `getlist` (used in error texts).
pub fn run(
    class_method: &str,
    params: &PhpArray,
    start: Option<&PhpValue>,
    ctx: &Ctx<'_>,
) -> Result<CallOk, ApiError> {
    let [order_arg, filter_arg, params_arg, select_arg] = parse_args(params, class_method)?;
    let (size, page) = navigation(&params_arg, start)?;
    let keys = order::translate(&order_arg);
    let filter = filter::translate(&filter_arg, "task.item.list")?;
    let fields = field_set(&select_arg, load_tags(params_arg.get_text("LOAD_TAGS")));
    let (rows, total) = caller_page(
        ctx,
        &filter,
        &keys,
        (size, page),
        fields,
        RowFormat::ItemList,
    );
    Ok(CallOk {
        payload: Payload::Rows(rows),
        next: next_of(total, size, page),
        total: Some(total),
    })
}

/// Page `page` of `size` rows of [`query`] on the calling user's view, as [`Rows`] in the
/// calling method's `format`, and how many tasks matched in all.
pub(crate) fn caller_page(
    ctx: &Ctx<'_>,
    filter: &Filter,
    keys: &[SortKey],
    (size, page): (u64, u64),
    fields: FieldSet,
    format: RowFormat,
) -> (Rows, u64) {
    let view = ctx.store.view(ctx.caller());
    let res = query(&view, filter, keys, size, page, ctx.caller(), ctx.now_s());
    let rows = Rows {
        positions: res.positions,
        caller: ctx.caller(),
        caller_is_admin: ctx.caller_is_admin(),
        now_s: ctx.now_s(),
        fields,
        format,
    };
    (rows, res.total)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::querystring::parse_str;

    #[test]
    fn start_maps_to_pages() {
        let p = |s: &str| page_from_start(&PhpValue::Str(s.into()));
        assert_eq!(p("0"), 1);
        assert_eq!(p("-1"), 1);
        assert_eq!(p("49"), 1);
        assert_eq!(p("50"), 2);
        assert_eq!(p("75"), 2);
        assert_eq!(p("100"), 3);
        assert_eq!(p("abc"), 1);
        assert_eq!(p("1e300"), i64::MAX);
    }

    #[test]
    fn navigation_rules() {
        let nav = |q: &str, start: Option<&str>| {
            navigation(
                &parse_str(q),
                start.map(|s| PhpValue::Str(s.into())).as_ref(),
            )
        };
        assert_eq!(nav("", None).unwrap(), (50, 1));
        assert_eq!(
            nav("NAV_PARAMS[nPageSize]=2&NAV_PARAMS[iNumPage]=2", None).unwrap(),
            (2, 2)
        );
        assert_eq!(nav("NAV_PARAMS[nPageSize]=500", None).unwrap(), (50, 1));
        // iNumPage alone is ignored: NAV_PARAMS falls back to page 1 of 50.
        assert_eq!(nav("NAV_PARAMS[iNumPage]=3", None).unwrap(), (50, 1));
        // start > 49 overrides NAV_PARAMS entirely; start < 50 leaves it alone.
        assert_eq!(
            nav(
                "NAV_PARAMS[nPageSize]=2&NAV_PARAMS[iNumPage]=2",
                Some("100")
            )
            .unwrap(),
            (50, 3)
        );
        assert_eq!(
            nav("NAV_PARAMS[nPageSize]=2&NAV_PARAMS[iNumPage]=2", Some("4")).unwrap(),
            (2, 2)
        );
        assert!(nav("NAV_PARAMS[nPageSize]=0", None).is_err());
        assert!(nav("NAV_PARAMS[nPageTop]=5", None).is_err());
    }

    #[test]
    fn next_only_when_more_pages() {
        assert_eq!(next_of(120, 50, 1), Some(50));
        assert_eq!(next_of(120, 50, 2), Some(100));
        assert_eq!(next_of(120, 50, 3), None);
        assert_eq!(next_of(100, 50, 2), None);
        assert_eq!(next_of(0, 50, 1), None);
        assert_eq!(next_of(10, 2, 2), Some(4));
        assert_eq!(next_of(10, 50, 9), None);
    }
}
