//! PHP `parse_str` / `$_POST` decoding of `a[b][0]=x&a[]=y` bodies and queries.
//!
//! Rules (PHP `php_default_treat_data` + `php_register_variable_ex`):
//! * pairs split on `&`, empty pairs skipped; name and value split at the first `=`;
//!   both are url-decoded (`+` is a space, `%XX` a byte, bad escapes stay literal);
//! * leading spaces of the name are dropped; in the base name (before the first `[`) spaces
//!   and dots become `_`; an empty base name drops the pair;
//! * `[key]` segments nest; `[]` appends under the next integer key; text after a `]` that is
//!   not `[` is ignored; an unclosed `[` in the first segment turns into `_` and is part of
//!   the plain name (deeper unclosed segments are ignored);
//! * canonical numeric keys become integer keys; a later duplicate key overwrites the earlier
//!   value in place (order of first appearance is preserved); a scalar met where an array is
//!   needed is replaced by an empty array.

use crate::php::{Key, PhpArray, PhpValue};

/// PHP's `max_input_nesting_level` default.
const MAX_NESTING: usize = 64;

/// Decodes `%XX` escapes and `+` like PHP `urldecode` (invalid UTF-8 is replaced).
pub fn urldecode(s: &str) -> String {
    percent_decode(s, true)
}

/// Decodes `%XX` escapes, and `+` as a space when `plus_is_space` (a query string, not a URL
/// path); invalid escapes stay as they are, invalid UTF-8 is replaced. The one URL decoder of
/// the workspace (the emulator uses it for paths and query strings).
pub fn percent_decode(s: &str, plus_is_space: bool) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b'%' if i + 2 < b.len() && hex(b[i + 1]).is_some() && hex(b[i + 2]).is_some() => {
                let hi = hex(b[i + 1]).unwrap_or(0);
                let lo = hex(b[i + 2]).unwrap_or(0);
                out.push(hi * 16 + lo);
                i += 3;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// PHP `parse_str($s, $out)`: returns the decoded array.
pub fn parse_str(s: &str) -> PhpArray {
    let mut out = PhpArray::new();
    for pair in s.split('&') {
        if pair.is_empty() {
            continue;
        }
        let (name, value) = match pair.find('=') {
            Some(p) => (&pair[..p], &pair[p + 1..]),
            None => (pair, ""),
        };
        let name = urldecode(name);
        let value = urldecode(value);
        register(&mut out, &name, PhpValue::Str(value));
    }
    out
}

/// One path step of a variable name: `None` = append (`[]`).
type Step = Option<Key>;

/// Splits a decoded variable name into its base key and the bracket steps.
fn split_name(name: &str) -> Option<(Key, Vec<Step>)> {
    let name = name.trim_start_matches(' ');
    let mut base = String::new();
    let mut rest: Option<&str> = None;
    for (i, c) in name.char_indices() {
        match c {
            ' ' | '.' => base.push('_'),
            '[' => {
                rest = Some(&name[i..]);
                break;
            }
            _ => base.push(c),
        }
    }
    if base.is_empty() {
        return None;
    }
    let mut steps = Vec::new();
    let Some(mut rest) = rest else {
        return Some((Key::from_text(&base), steps));
    };
    // `rest` starts with '['.
    loop {
        let inner = &rest[1..];
        match inner.find(']') {
            None => {
                if steps.is_empty() {
                    // Unclosed first bracket: the whole remainder is part of the plain name.
                    base.push('_');
                    for c in inner.chars() {
                        base.push(if matches!(c, ' ' | '.' | '[') { '_' } else { c });
                    }
                }
                break;
            }
            Some(close) => {
                let idx = &inner[..close];
                steps.push(if idx.is_empty() {
                    None
                } else {
                    Some(Key::from_text(idx))
                });
                let after = &inner[close + 1..];
                if after.starts_with('[') && steps.len() < MAX_NESTING {
                    rest = after;
                } else {
                    break;
                }
            }
        }
    }
    Some((Key::from_text(&base), steps))
}

/// Stores `value` at `name` (with brackets) inside `target`.
pub(crate) fn register(target: &mut PhpArray, name: &str, value: PhpValue) {
    let Some((base, steps)) = split_name(name) else {
        return;
    };
    let mut path: Vec<Step> = Vec::with_capacity(steps.len() + 1);
    path.push(Some(base));
    path.extend(steps);
    set_path(target, &path, value);
}

fn set_path(arr: &mut PhpArray, path: &[Step], value: PhpValue) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        match first {
            Some(k) => arr.insert(k.clone(), value),
            None => {
                arr.push(value);
            }
        }
        return;
    }
    let key = match first {
        Some(k) => {
            let needs_array = !matches!(arr.get(k), Some(PhpValue::Array(_)));
            if needs_array {
                arr.insert(k.clone(), PhpValue::Array(PhpArray::new()));
            }
            k.clone()
        }
        None => arr.push(PhpValue::Array(PhpArray::new())),
    };
    if let Some(PhpValue::Array(child)) = arr.get_mut(&key) {
        set_path(child, rest, value);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn json(s: &str) -> String {
        parse_str(s).to_json().to_string()
    }

    #[test]
    fn nested_and_appended_keys_keep_order() {
        assert_eq!(
            json("b=1&a[x]=2&a[]=3&a[]=4&c[0][y]=5"),
            r#"{"b":"1","a":{"x":"2","0":"3","1":"4"},"c":[{"y":"5"}]}"#
        );
    }

    #[test]
    fn percent_and_plus_decoding_in_names_and_values() {
        assert_eq!(
            json("filter[%3EID]=5&q=a+b%20c&bad=%zz%4"),
            r#"{"filter":{">ID":"5"},"q":"a b c","bad":"%zz%4"}"#
        );
    }

    #[test]
    fn duplicate_keys_overwrite_in_place() {
        assert_eq!(json("a=1&b=2&a=3"), r#"{"a":"3","b":"2"}"#);
        // A scalar replaced by an array and vice versa.
        assert_eq!(json("a=1&a[x]=2"), r#"{"a":{"x":"2"}}"#);
        assert_eq!(json("a[x]=2&a=1"), r#"{"a":"1"}"#);
    }

    #[test]
    fn numeric_keys_are_integers_so_lists_stay_lists() {
        assert_eq!(json("0[ID]=desc&1[]="), r#"[{"ID":"desc"},[""]]"#);
        assert_eq!(json("a[1]=x&a[0]=y"), r#"{"a":{"1":"x","0":"y"}}"#);
    }

    #[test]
    fn odd_names_follow_php() {
        // Spaces and dots in the base name become underscores; leading spaces vanish.
        assert_eq!(json("%20a.b%20c=1"), r#"{"a_b_c":"1"}"#);
        // Unclosed bracket in the first segment.
        assert_eq!(json("a[b=1"), r#"{"a_b":"1"}"#);
        // Unclosed deeper bracket is ignored; text after ']' is ignored.
        assert_eq!(json("a[b][c=1&x[y]z=2"), r#"{"a":{"b":"1"},"x":{"y":"2"}}"#);
        // Empty base name is dropped, as is an empty pair.
        assert_eq!(json("=1&&[a]=2&k"), r#"{"k":""}"#);
    }

    #[test]
    fn urldecode_keeps_invalid_utf8_visible() {
        assert_eq!(urldecode("%D0%BF%D1%80"), "пр");
        assert_eq!(urldecode("%FF"), "\u{fffd}");
    }
}
