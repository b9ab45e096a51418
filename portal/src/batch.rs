//! `batch` (docs/platform/batch.md): up to 50 `method?query` commands run in order, with
//! `$result[…]` references.
//!
//! * `cmd` (map or list) and `halt` are read case-insensitively; `halt` is PHP `(bool)`, so the
//!   string `"false"` halts;
//! * non-string commands are skipped silently (they still take a place in the 50 — assumption);
//!   commands past the 50th get `ERROR_BATCH_LENGTH_EXCEEDED` and are not run (also with halt);
//!   a nested `batch` gets `ERROR_BATCH_METHOD_NOT_ALLOWED`;
//! * each command's query is parsed with `parse_str`, auth/`start`/`state` are taken out (the
//!   outer call's auth applies; scope is re-checked per command), then references are resolved;
//! * with `halt`, the first failing command stops the batch; the answer is HTTP 200 anyway;
//! * the outer call counts once for the leaky bucket; each sub-call counts for the operating
//!   limit of its method, `batch` itself does not.
//!
//! **References** (`CRestUtil::processBatchElement`): every match of
//! `\$(result|next|total|time|error)([^\s]*)` (case-insensitive) in a parameter value is
//! resolved by walking its `[key]` segments from the named accumulator while `isset()` holds;
//! the walk **stops** at the last level found (the whole page, or the whole result map when
//! the command key is missing). A value that is exactly the reference is *replaced* by what
//! was found (possibly an array); inside a longer string only numbers and strings are
//! substituted (str_replace) and anything else leaves the text unchanged. See `filter.rs` for
//! what an array then means in a FILTER.

use std::fmt::Write;

use crate::auth::Principal;
use crate::call::{ApiError, Payload};
use crate::clock::TimeInfo;
use crate::php::{Key, PhpArray, PhpValue};
use crate::querystring::parse_str;
use crate::request::take_special;
use crate::response::{error_json, push_payload};
use crate::rows::Rows;
use crate::store::Store;
use crate::{Portal, RestResponse};

/// `CRestUtil::BATCH_MAX_LENGTH`.
pub const BATCH_MAX_LENGTH: usize = 50;

/// Results of the commands run so far (the accumulators references read from).
#[derive(Default)]
struct Acc {
    result: Vec<(Key, Payload)>,
    error: PhpArray,
    total: PhpArray,
    next: PhpArray,
    time: PhpArray,
}

/// One `$name[path]` occurrence in a string.
#[derive(Debug, PartialEq)]
struct Ref {
    full: String,
    name: String,
    path: String,
}

const NAMES: [&str; 5] = ["result", "next", "total", "time", "error"];

fn is_pcre_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
}

/// All matches of `\$(result|next|total|time|error)([^\s]*)`, case-insensitive.
fn find_refs(s: &str) -> Vec<Ref> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = s[i..].find('$') {
        let at = i + off;
        let after = &s[at + 1..];
        let name = NAMES.iter().find(|n| {
            after
                .get(..n.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(n))
        });
        match name {
            Some(n) => {
                let rest = &after[n.len()..];
                let path_len = rest.find(is_pcre_space).unwrap_or(rest.len());
                let path = &rest[..path_len];
                let end = at + 1 + n.len() + path_len;
                out.push(Ref {
                    full: s[at..end].to_string(),
                    name: after[..n.len()].to_string(),
                    path: path.to_string(),
                });
                i = end;
            }
            None => i = at + 1,
        }
        if i >= s.len() {
            break;
        }
    }
    out
}

/// The `[key]` segments of a reference path (`\[([^\]]+)\]`).
fn segments(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = path[i..].find('[') {
        let open = i + off;
        let inner = &path[open + 1..];
        match inner.find(']') {
            Some(0) => i = open + 1,
            Some(close) => {
                out.push(inner[..close].to_string());
                i = open + 1 + close + 1;
            }
            None => break,
        }
        if i >= path.len() {
            break;
        }
    }
    out
}

/// `isset($r[$seg])` then `$r = $r[$seg]`, for each segment until one is missing.
fn walk(mut r: PhpValue, segs: &[String]) -> PhpValue {
    for seg in segs {
        let next = match &r {
            PhpValue::Array(a) => match a.get(&Key::from_text(seg)) {
                Some(PhpValue::Null) | None => None,
                Some(v) => Some(v.clone()),
            },
            PhpValue::Str(s) => string_offset(s, seg),
            _ => None,
        };
        match next {
            Some(v) => r = v,
            None => break,
        }
    }
    r
}

/// PHP string offsets: `isset("abc"["1"])` is true, non-integer offsets are not set.
fn string_offset(s: &str, seg: &str) -> Option<PhpValue> {
    let Key::Int(i) = Key::from_text(seg) else {
        return None;
    };
    let b = s.as_bytes();
    let len = b.len() as i64;
    let idx = if i < 0 { len + i } else { i };
    if idx < 0 || idx >= len {
        return None;
    }
    let byte = [b[idx as usize]];
    Some(PhpValue::Str(String::from_utf8_lossy(&byte).into_owned()))
}

fn payload_php(p: &Payload, store: &Store) -> PhpValue {
    match p {
        Payload::Json(v) => PhpValue::from_json(v),
        Payload::Rows(rows) => PhpValue::Array(rows.to_php(store)),
    }
}

fn walk_rows(rows: &Rows, segs: &[String], store: &Store) -> PhpValue {
    if let Some(first) = segs.first() {
        if let Key::Int(i) = Key::from_text(first) {
            if i >= 0 {
                if let Some(row) = rows.row_php(store, i as usize) {
                    return walk(row, &segs[1..]);
                }
            }
        }
    }
    PhpValue::Array(rows.to_php(store))
}

impl Acc {
    fn lookup(&self, name: &str, segs: &[String], store: &Store) -> PhpValue {
        match name.to_ascii_lowercase().as_str() {
            "result" => self.lookup_result(segs, store),
            "next" => walk(PhpValue::Array(self.next.clone()), segs),
            "total" => walk(PhpValue::Array(self.total.clone()), segs),
            "time" => walk(PhpValue::Array(self.time.clone()), segs),
            _ => walk(PhpValue::Array(self.error.clone()), segs),
        }
    }

    fn lookup_result(&self, segs: &[String], store: &Store) -> PhpValue {
        let found = segs.first().and_then(|first| {
            let key = Key::from_text(first);
            self.result.iter().find(|(k, _)| *k == key)
        });
        let Some((_, payload)) = found else {
            // Missing command key (or no path): the walk stops at the whole result map.
            let mut all = PhpArray::new();
            for (k, p) in &self.result {
                all.insert(k.clone(), payload_php(p, store));
            }
            return PhpValue::Array(all);
        };
        let rest = &segs[1..];
        match payload {
            Payload::Json(v) => walk(PhpValue::from_json(v), rest),
            Payload::Rows(rows) => walk_rows(rows, rest, store),
        }
    }

    /// Resolves references in one string parameter value.
    fn substitute(&self, s: &str, store: &Store) -> PhpValue {
        let refs = find_refs(s);
        if refs.is_empty() {
            return PhpValue::Str(s.to_string());
        }
        let mut text = s.to_string();
        for r in refs {
            let found = self.lookup(&r.name, &segments(&r.path), store);
            if r.full == s {
                return found;
            }
            let replacement = match &found {
                PhpValue::Int(_) | PhpValue::Float(_) | PhpValue::Str(_) => found.to_text(),
                _ => None,
            };
            if let Some(rep) = replacement {
                text = text.replace(&r.full, &rep);
            }
        }
        PhpValue::Str(text)
    }

    /// Applies [`Acc::substitute`] to every (nested) value of `params`.
    fn process(&self, params: &PhpArray, store: &Store) -> PhpArray {
        let mut out = PhpArray::new();
        for (k, v) in params.iter() {
            let nv = match v {
                PhpValue::Str(s) => self.substitute(s, store),
                PhpValue::Array(a) => PhpValue::Array(self.process(a, store)),
                other => other.clone(),
            };
            out.insert(k.clone(), nv);
        }
        out
    }
}

fn error_php(e: &ApiError) -> PhpValue {
    PhpValue::from_json(&error_json(e))
}

/// Finds a parameter by case-insensitive name (`array_change_key_case(…, CASE_UPPER)`; a later
/// spelling wins).
fn param_ci<'a>(params: &'a PhpArray, name: &str) -> Option<&'a PhpValue> {
    params
        .iter()
        .filter(|(k, _)| matches!(k, Key::Str(s) if s.eq_ignore_ascii_case(name)))
        .map(|(_, v)| v)
        .last()
}

fn push_members(out: &mut String, entries: &[(Key, Payload)], store: &Store) {
    let is_list = entries
        .iter()
        .enumerate()
        .all(|(i, (k, _))| *k == Key::Int(i as i64));
    out.push(if is_list { '[' } else { '{' });
    for (n, (k, p)) in entries.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        if !is_list {
            crate::rows::push_json_str(out, &k.to_text());
            out.push(':');
        }
        push_payload(out, p, store);
    }
    out.push(if is_list { ']' } else { '}' });
}

fn push_php(out: &mut String, a: &PhpArray) {
    out.push_str(&serde_json::to_string(&a.to_json()).unwrap_or_else(|_| "[]".into()));
}

impl Portal {
    /// Runs a batch for an authenticated caller (bucket already charged once).
    pub(crate) fn run_batch(
        &mut self,
        principal: &Principal,
        params: &PhpArray,
        now_ms: u64,
    ) -> RestResponse {
        let halt = param_ci(params, "halt").is_some_and(PhpValue::truthy);
        let cmds = match param_ci(params, "cmd") {
            Some(PhpValue::Array(a)) => a.clone(),
            _ => PhpArray::new(),
        };
        let mut acc = Acc::default();
        let mut subcalls = 0u32;
        let mut processing_ms = 0u64;
        let mut errors = Vec::new();
        for (n, (key, cmd)) in cmds.iter().enumerate() {
            if n >= BATCH_MAX_LENGTH {
                let e = ApiError::new(
                    400,
                    "ERROR_BATCH_LENGTH_EXCEEDED",
                    "Max batch length exceeded",
                );
                acc.error.insert(key.clone(), error_php(&e));
                errors.push(e.code);
                continue;
            }
            let Some(cmd) = cmd.as_str() else {
                continue;
            };
            let (path, query) = match cmd.split_once('?') {
                Some((p, q)) => (p, q.split('#').next().unwrap_or("")),
                None => (cmd.split('#').next().unwrap_or(""), ""),
            };
            let method = path.to_ascii_lowercase();
            let mut sub = parse_str(query);
            let (_ignored_auth, start) = take_special(&mut sub);
            let sub = acc.process(&sub, &self.store);
            let start = start.map(|s| match s {
                PhpValue::Str(t) => acc.substitute(&t, &self.store),
                other => other,
            });
            let outcome = self.run_subcall(&method, &sub, start.as_ref(), principal, now_ms);
            let failed = match outcome {
                SubOutcome::NotRun(e) => {
                    acc.error.insert(key.clone(), error_php(&e));
                    errors.push(e.code);
                    true
                }
                SubOutcome::Ran(result, time) => {
                    subcalls += 1;
                    processing_ms += time.processing_ms;
                    match result {
                        Ok(ok) => {
                            if let Some(t) = ok.total {
                                acc.total.insert(key.clone(), PhpValue::Int(t as i64));
                            }
                            if let Some(nx) = ok.next {
                                acc.next.insert(key.clone(), PhpValue::Int(nx as i64));
                            }
                            acc.result.push((key.clone(), ok.payload));
                            // Only successful commands report a time (like total/next).
                            acc.time.insert(
                                key.clone(),
                                PhpValue::from_json(&time.to_json_in(self.store.offset_s)),
                            );
                            false
                        }
                        Err(e) => {
                            acc.error.insert(key.clone(), error_php(&e));
                            errors.push(e.code);
                            true
                        }
                    }
                }
            };
            if failed && halt {
                break;
            }
        }
        let now_s = (now_ms / 1000) as i64;
        let outer = TimeInfo {
            start_ms: now_ms,
            processing_ms,
            operating_reset_at: now_s + 600,
            operating: 0.0,
        };
        let mut out = String::with_capacity(1024);
        out.push_str("{\"result\":{\"result\":");
        push_members(&mut out, &acc.result, &self.store);
        out.push_str(",\"result_error\":");
        push_php(&mut out, &acc.error);
        out.push_str(",\"result_total\":");
        push_php(&mut out, &acc.total);
        out.push_str(",\"result_next\":");
        push_php(&mut out, &acc.next);
        out.push_str(",\"result_time\":");
        push_php(&mut out, &acc.time);
        let _ = write!(
            out,
            "}},\"time\":{}}}",
            serde_json::to_string(&outer.to_json_in(self.store.offset_s)).unwrap_or_default()
        );
        RestResponse {
            status: 200,
            body: out,
            subcalls,
            processing_ms,
            errors,
        }
    }

    fn run_subcall(
        &mut self,
        method: &str,
        params: &PhpArray,
        start: Option<&PhpValue>,
        principal: &Principal,
        now_ms: u64,
    ) -> SubOutcome {
        let m = match self.resolve(method) {
            Ok(crate::methods::Method::Batch) => {
                return SubOutcome::NotRun(ApiError::new(
                    400,
                    "ERROR_BATCH_METHOD_NOT_ALLOWED",
                    "Method is not allowed for batch usage",
                ))
            }
            Ok(m) => m,
            Err(e) => return SubOutcome::NotRun(e),
        };
        if let Err(e) = principal.check_scope(crate::methods::scope(m)) {
            return SubOutcome::NotRun(e);
        }
        let (result, time) = self.counted_call(m, method, params, start, principal, now_ms);
        SubOutcome::Ran(result, time)
    }
}

enum SubOutcome {
    NotRun(ApiError),
    Ran(Result<crate::call::CallOk, ApiError>, TimeInfo),
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn reference_regex_is_greedy_up_to_whitespace() {
        let r = find_refs("$result[a][ID]");
        assert_eq!(r.len(), 1);
        assert_eq!(
            (r[0].name.as_str(), r[0].path.as_str()),
            ("result", "[a][ID]")
        );
        // Two references without a space are one match.
        let r = find_refs("$result[a][ID]$result[b][ID]");
        assert_eq!(r.len(), 1);
        assert_eq!(segments(&r[0].path), ["a", "ID", "b", "ID"]);
        let r = find_refs("x $NEXT[p] y $time[q][start] $foo");
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].name, "NEXT");
        assert_eq!(r[1].full, "$time[q][start]");
    }

    #[test]
    fn segments_skip_empty_brackets() {
        assert_eq!(segments("[a][][b]"), ["a", "b"]);
        assert_eq!(segments("[[x]"), ["[x"]);
        assert_eq!(segments("[a"), Vec::<String>::new());
    }

    #[test]
    fn walk_stops_at_the_last_level_found() {
        let v = PhpValue::from_json(&serde_json::json!({"a": [{"ID": "5"}], "n": null}));
        assert_eq!(
            walk(v.clone(), &["a".into(), "0".into(), "ID".into()]),
            PhpValue::Str("5".into())
        );
        // Missing index: stays at the list.
        assert_eq!(
            walk(v.clone(), &["a".into(), "49".into(), "ID".into()]),
            PhpValue::from_json(&serde_json::json!([{"ID": "5"}]))
        );
        // isset(null) is false.
        assert_eq!(walk(v.clone(), &["n".into()]), v);
        // String offsets.
        assert_eq!(
            walk(PhpValue::Str("123".into()), &["1".into()]),
            PhpValue::Str("2".into())
        );
    }
}
