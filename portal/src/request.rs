//! Turning an HTTP request into a method name and PHP parameters (docs/platform/frame-protocol.md,
//! "Parameter encoding").
//!
//! * path `/rest/<method>[.json]` or webhook `/rest/<user>/<secret>/<method>[.json]`;
//!   the method name is case-insensitive;
//! * the URL query is parsed with `parse_str`; an `application/json` body is decoded and merged
//!   over it with `array_replace` (invalid JSON or a non-object counts as empty); any other body
//!   (`text/plain` from BX24.js, form-urlencoded, none) is parsed with `parse_str` and merged
//!   the same way;
//! * `auth`/`access_token` (token), `start` (paging) and `state` are taken out before
//!   positional reading; the token may also come from `Authorization: Bearer`.

use crate::php::{Key, PhpArray, PhpValue};
use crate::querystring::parse_str;
use crate::RestRequest;

/// A decoded request.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded {
    /// Lower-cased method name without the `.json` suffix.
    pub method: String,
    /// `(user, secret)` of a webhook path.
    pub webhook: Option<(String, String)>,
    /// Parameters in order, without auth keys, `start` and `state`.
    pub params: PhpArray,
    /// The access token, if any.
    pub token: Option<String>,
    /// The `start` parameter, if any.
    pub start: Option<PhpValue>,
}

/// Splits a REST path into `(webhook, method)`; `None` when it is not a REST path.
pub fn split_path(path: &str) -> Option<(Option<(String, String)>, String)> {
    let rest = path.strip_prefix("/rest/")?;
    let parts: Vec<&str> = rest.split('/').collect();
    let (hook, raw) = match parts.as_slice() {
        [m] => (None, *m),
        [user, secret, m] => (Some(((*user).to_string(), (*secret).to_string())), *m),
        _ => return None,
    };
    let mut method = raw.to_ascii_lowercase();
    if let Some(stripped) = method.strip_suffix(".json") {
        method = stripped.to_string();
    }
    if method.is_empty() {
        return None;
    }
    Some((hook, method))
}

fn is_json(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|ct| {
        ct.split(';')
            .next()
            .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
    })
}

/// The request parameters (query, then body merged over it).
pub fn params(req: &RestRequest<'_>) -> PhpArray {
    let mut params = parse_str(req.query);
    let body = if is_json(req.content_type) {
        match serde_json::from_slice::<serde_json::Value>(req.body) {
            Ok(v @ serde_json::Value::Object(_)) => match PhpValue::from_json(&v) {
                PhpValue::Array(a) => a,
                _ => PhpArray::new(),
            },
            _ => PhpArray::new(),
        }
    } else {
        parse_str(&String::from_utf8_lossy(req.body))
    };
    params.replace_with(body);
    params
}

/// Removes and returns the auth token, `start`, and drops `state` (also used for batch
/// sub-calls).
pub fn take_special(params: &mut PhpArray) -> (Option<String>, Option<PhpValue>) {
    let auth = params.remove(&Key::Str("auth".into()));
    let access = params.remove(&Key::Str("access_token".into()));
    let start = params.remove(&Key::Str("start".into()));
    params.remove(&Key::Str("state".into()));
    let token = auth.or(access).and_then(|v| v.as_str().map(str::to_string));
    (token, start)
}

fn bearer(header: Option<&str>) -> Option<String> {
    let h = header?.trim();
    let (scheme, rest) = h.split_once(' ')?;
    if scheme.eq_ignore_ascii_case("bearer") && !rest.trim().is_empty() {
        Some(rest.trim().to_string())
    } else {
        None
    }
}

/// Decodes a request; `None` when the path is not a REST method path.
pub fn decode(req: &RestRequest<'_>) -> Option<Decoded> {
    let (webhook, method) = split_path(req.path)?;
    let mut params = params(req);
    let (token, start) = take_special(&mut params);
    let token = token.or_else(|| bearer(req.authorization));
    Some(Decoded {
        method,
        webhook,
        params,
        token,
        start,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn req<'a>(
        path: &'a str,
        query: &'a str,
        ct: Option<&'a str>,
        body: &'a [u8],
    ) -> RestRequest<'a> {
        RestRequest {
            path,
            query,
            content_type: ct,
            authorization: None,
            body,
            now_ms: 0,
        }
    }

    #[test]
    fn paths() {
        assert_eq!(
            split_path("/rest/Task.Item.List.json"),
            Some((None, "task.item.list".into()))
        );
        assert_eq!(split_path("/rest/batch"), Some((None, "batch".into())));
        assert_eq!(
            split_path("/rest/1/emulatorsecret0001/task.item.list.json"),
            Some((
                Some(("1".into(), "emulatorsecret0001".into())),
                "task.item.list".into()
            ))
        );
        assert_eq!(split_path("/api/x"), None);
        assert_eq!(split_path("/rest/a/b"), None);
    }

    #[test]
    fn json_body_replaces_query_keys_in_place() {
        let r = req(
            "/rest/x",
            "a=1&b=2",
            Some("application/json; charset=utf-8"),
            br#"{"b":{"k":3},"c":4}"#,
        );
        assert_eq!(
            params(&r).to_json().to_string(),
            r#"{"a":"1","b":{"k":3},"c":4}"#
        );
        // Invalid JSON counts as an empty body.
        let r = req("/rest/x", "a=1", Some("application/json"), b"{oops");
        assert_eq!(params(&r).to_json().to_string(), r#"{"a":"1"}"#);
    }

    #[test]
    fn text_plain_body_is_parse_str_and_auth_start_state_are_removed() {
        let r = req(
            "/rest/x",
            "",
            Some("text/plain;charset=UTF-8"),
            b"auth=tok1&state=s&ORDER[ID]=desc&start=50",
        );
        let d = decode(&r).unwrap();
        assert_eq!(d.token.as_deref(), Some("tok1"));
        assert_eq!(d.start, Some(PhpValue::Str("50".into())));
        assert_eq!(d.params.to_json().to_string(), r#"{"ORDER":{"ID":"desc"}}"#);
    }

    #[test]
    fn bearer_header_is_a_token_source() {
        let mut r = req("/rest/x", "", None, b"");
        r.authorization = Some("Bearer abc");
        assert_eq!(decode(&r).unwrap().token.as_deref(), Some("abc"));
    }
}
