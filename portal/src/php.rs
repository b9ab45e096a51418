//! PHP values as the portal sees request data: ordered arrays with int-or-string keys, scalars,
//! and the PHP conversions the REST server applies to them (`intval`, `(bool)`, loose `== ''`).
//!
//! A PHP array is an ordered map. It serialises to a JSON array only when its keys are exactly
//! `0..n-1` in order (a "list"), otherwise to a JSON object — that is why batch answers show `[]`
//! for empty members and arrays for `cmd` lists (docs/platform/batch.md).

use serde_json::{Map, Number, Value};

/// A key of a PHP array: an integer or a string.
///
/// Numeric strings in canonical decimal form (`"0"`, `"12"`, `"-3"`, not `"012"` or `"+1"`) are
/// stored as integers, as PHP's symbol tables do.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    /// An integer key.
    Int(i64),
    /// A string key.
    Str(String),
}

impl Key {
    /// The key PHP would use for the string `s` (canonical integers become [`Key::Int`]).
    pub fn from_text(s: &str) -> Key {
        match canonical_int(s) {
            Some(n) => Key::Int(n),
            None => Key::Str(s.to_string()),
        }
    }

    /// The key as PHP's `(string)` cast prints it.
    pub fn to_text(&self) -> String {
        match self {
            Key::Int(n) => n.to_string(),
            Key::Str(s) => s.clone(),
        }
    }
}

/// Parses `s` as PHP's "canonical integer string" (used for array keys).
fn canonical_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if digits.len() > 1 && digits.starts_with('0') {
        return None;
    }
    if s == "-0" {
        return None;
    }
    s.parse::<i64>().ok()
}

/// A PHP value.
#[derive(Clone, Debug, PartialEq)]
pub enum PhpValue {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string.
    Str(String),
    /// An array.
    Array(PhpArray),
}

/// An ordered PHP array.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PhpArray {
    entries: Vec<(Key, PhpValue)>,
    /// PHP's `nNextFreeElement`: one above the largest integer key ever used (at least 0).
    next_index: i64,
}

impl PhpArray {
    /// An empty array.
    pub fn new() -> PhpArray {
        PhpArray::default()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the array has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The value stored under `key`.
    pub fn get(&self, key: &Key) -> Option<&PhpValue> {
        if let Key::Int(n) = key {
            if *n >= self.next_index {
                return None;
            }
        }
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The value stored under the string key `key` (numeric strings address integer keys).
    pub fn get_text(&self, key: &str) -> Option<&PhpValue> {
        self.get(&Key::from_text(key))
    }

    fn position(&self, key: &Key) -> Option<usize> {
        if let Key::Int(n) = key {
            // Fast path: an integer key at or above the next free index cannot exist yet.
            if *n >= self.next_index {
                return None;
            }
        }
        self.entries.iter().position(|(k, _)| k == key)
    }

    /// Mutable access to the value under `key`.
    pub fn get_mut(&mut self, key: &Key) -> Option<&mut PhpValue> {
        let pos = self.position(key)?;
        self.entries.get_mut(pos).map(|(_, v)| v)
    }

    /// `$a[$key] = $value`: overwrites in place (keeping the position) or appends.
    pub fn insert(&mut self, key: Key, value: PhpValue) {
        match self.position(&key) {
            Some(pos) => {
                if let Some(slot) = self.entries.get_mut(pos) {
                    slot.1 = value;
                }
            }
            None => {
                if let Key::Int(n) = key {
                    if n >= self.next_index {
                        self.next_index = n.saturating_add(1);
                    }
                }
                self.entries.push((key, value));
            }
        }
    }

    /// `$a[] = $value`: appends under the next free integer key and returns that key.
    pub fn push(&mut self, value: PhpValue) -> Key {
        let key = Key::Int(self.next_index);
        self.next_index = self.next_index.saturating_add(1);
        self.entries.push((key.clone(), value));
        key
    }

    /// `unset($a[$key])`; returns the removed value.
    pub fn remove(&mut self, key: &Key) -> Option<PhpValue> {
        let pos = self.position(key)?;
        Some(self.entries.remove(pos).1)
    }

    /// Entries in order.
    pub fn iter(&self) -> impl Iterator<Item = (&Key, &PhpValue)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// Values in order (what `foreach ($a as $v)` sees).
    pub fn values(&self) -> impl Iterator<Item = &PhpValue> {
        self.entries.iter().map(|(_, v)| v)
    }

    /// Consumes the array into its entries.
    pub fn into_entries(self) -> Vec<(Key, PhpValue)> {
        self.entries
    }

    /// True when the keys are exactly `0..n-1` in order (serialises as a JSON array).
    pub fn is_list(&self) -> bool {
        self.entries
            .iter()
            .enumerate()
            .all(|(i, (k, _))| *k == Key::Int(i as i64))
    }

    /// PHP `array_replace($this, $other)` (top level only): existing keys keep their position.
    pub fn replace_with(&mut self, other: PhpArray) {
        for (k, v) in other.entries {
            self.insert(k, v);
        }
    }

    /// The array as JSON (list → array, otherwise object).
    pub fn to_json(&self) -> Value {
        if self.is_list() {
            Value::Array(self.entries.iter().map(|(_, v)| v.to_json()).collect())
        } else {
            let mut map = Map::new();
            for (k, v) in &self.entries {
                map.insert(k.to_text(), v.to_json());
            }
            Value::Object(map)
        }
    }
}

impl PhpValue {
    /// Converts decoded JSON (a request body, or an answer used by batch references) to PHP.
    pub fn from_json(value: &Value) -> PhpValue {
        match value {
            Value::Null => PhpValue::Null,
            Value::Bool(b) => PhpValue::Bool(*b),
            Value::Number(n) => match n.as_i64() {
                Some(i) => PhpValue::Int(i),
                None => PhpValue::Float(n.as_f64().unwrap_or(0.0)),
            },
            Value::String(s) => PhpValue::Str(s.clone()),
            Value::Array(items) => {
                let mut arr = PhpArray::new();
                for item in items {
                    arr.push(PhpValue::from_json(item));
                }
                PhpValue::Array(arr)
            }
            Value::Object(map) => {
                let mut arr = PhpArray::new();
                for (k, v) in map {
                    arr.insert(Key::from_text(k), PhpValue::from_json(v));
                }
                PhpValue::Array(arr)
            }
        }
    }

    /// The value as JSON, the way `json_encode` would print it.
    pub fn to_json(&self) -> Value {
        match self {
            PhpValue::Null => Value::Null,
            PhpValue::Bool(b) => Value::Bool(*b),
            PhpValue::Int(i) => Value::Number((*i).into()),
            PhpValue::Float(f) => Number::from_f64(*f).map_or(Value::Null, Value::Number),
            PhpValue::Str(s) => Value::String(s.clone()),
            PhpValue::Array(a) => a.to_json(),
        }
    }

    /// The array inside, if this is an array.
    pub fn as_array(&self) -> Option<&PhpArray> {
        match self {
            PhpValue::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The string inside, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            PhpValue::Str(s) => Some(s),
            _ => None,
        }
    }

    /// PHP `(bool)` cast: `""`, `"0"`, `0`, `0.0`, `null`, `false` and `[]` are false;
    /// everything else (including the string `"false"`) is true.
    pub fn truthy(&self) -> bool {
        match self {
            PhpValue::Null => false,
            PhpValue::Bool(b) => *b,
            PhpValue::Int(i) => *i != 0,
            PhpValue::Float(f) => *f != 0.0,
            PhpValue::Str(s) => !(s.is_empty() || s == "0"),
            PhpValue::Array(a) => !a.is_empty(),
        }
    }

    /// PHP `intval()` / `(int)` cast. Arrays give 0 when empty, else 1; strings use their
    /// leading numeric prefix (`"12abc"` → 12, `"1e3"` → 1000, `"abc"` → 0).
    pub fn intval(&self) -> i64 {
        match self {
            PhpValue::Null => 0,
            PhpValue::Bool(b) => i64::from(*b),
            PhpValue::Int(i) => *i,
            PhpValue::Float(f) => float_to_int(*f),
            PhpValue::Str(s) => str_intval(s),
            PhpValue::Array(a) => i64::from(!a.is_empty()),
        }
    }

    /// PHP's loose `$value == ''` (PHP 8 rules): true for `''`, `null` and `false`.
    pub fn loose_eq_empty_string(&self) -> bool {
        match self {
            PhpValue::Null => true,
            PhpValue::Bool(b) => !*b,
            PhpValue::Str(s) => s.is_empty(),
            _ => false,
        }
    }

    /// PHP `(string)` cast for scalars (`None` for arrays).
    pub fn to_text(&self) -> Option<String> {
        match self {
            PhpValue::Null => Some(String::new()),
            PhpValue::Bool(b) => Some(if *b { "1".into() } else { String::new() }),
            PhpValue::Int(i) => Some(i.to_string()),
            PhpValue::Float(f) => Some(float_text(*f)),
            PhpValue::Str(s) => Some(s.clone()),
            PhpValue::Array(_) => None,
        }
    }

    /// PHP `is_numeric()`.
    pub fn is_numeric(&self) -> bool {
        match self {
            PhpValue::Int(_) | PhpValue::Float(_) => true,
            PhpValue::Str(s) => is_numeric_str(s),
            _ => false,
        }
    }
}

fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

fn float_to_int(f: f64) -> i64 {
    if f.is_finite() {
        // `as` saturates at the i64 bounds.
        f.trunc() as i64
    } else {
        0
    }
}

/// PHP `is_numeric` for strings: optional leading whitespace, sign, digits with an optional
/// fraction and exponent, optional trailing whitespace.
fn is_numeric_str(s: &str) -> bool {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let t = t.trim_end_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (len, _) = numeric_prefix(t);
    len > 0 && len == t.len()
}

/// Length of the longest numeric prefix of `t` and whether it has a fraction or exponent.
fn numeric_prefix(t: &str) -> (usize, bool) {
    let b = t.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut digits = i - int_start;
    let mut is_float = false;
    if i < b.len() && b[i] == b'.' {
        let frac_start = i + 1;
        let mut j = frac_start;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if digits > 0 || j > frac_start {
            digits += j - frac_start;
            is_float = true;
            i = j;
        }
    }
    if digits == 0 {
        return (0, false);
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        let exp_start = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j > exp_start {
            i = j;
            is_float = true;
        }
    }
    (i, is_float)
}

/// PHP 8 `(int)"…"`: leading whitespace, then the longest numeric prefix; saturates.
fn str_intval(s: &str) -> i64 {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (len, is_float) = numeric_prefix(t);
    let prefix = t.get(..len).unwrap_or("");
    if len == 0 {
        return 0;
    }
    if is_float {
        return float_to_int(prefix.parse::<f64>().unwrap_or(0.0));
    }
    match prefix.parse::<i64>() {
        Ok(n) => n,
        Err(_) => {
            if prefix.starts_with('-') {
                i64::MIN
            } else {
                i64::MAX
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn numeric_string_keys_become_integers() {
        assert_eq!(Key::from_text("0"), Key::Int(0));
        assert_eq!(Key::from_text("-7"), Key::Int(-7));
        assert_eq!(Key::from_text("07"), Key::Str("07".into()));
        assert_eq!(Key::from_text("+1"), Key::Str("+1".into()));
        assert_eq!(Key::from_text("-0"), Key::Str("-0".into()));
        assert_eq!(
            Key::from_text("99999999999999999999"),
            Key::Str("99999999999999999999".into())
        );
    }

    #[test]
    fn intval_follows_php8() {
        let s = |x: &str| PhpValue::Str(x.into()).intval();
        assert_eq!(s("12abc"), 12);
        assert_eq!(s("  42"), 42);
        assert_eq!(s("abc"), 0);
        assert_eq!(s("1e3"), 1000);
        assert_eq!(s("-5.9"), -5);
        assert_eq!(s(""), 0);
        assert_eq!(PhpValue::Array(PhpArray::new()).intval(), 0);
        let mut a = PhpArray::new();
        a.push(PhpValue::Int(0));
        assert_eq!(PhpValue::Array(a).intval(), 1);
        assert_eq!(PhpValue::Bool(true).intval(), 1);
    }

    #[test]
    fn bool_cast_treats_the_string_false_as_true() {
        assert!(PhpValue::Str("false".into()).truthy());
        assert!(!PhpValue::Str("0".into()).truthy());
        assert!(!PhpValue::Str(String::new()).truthy());
        assert!(!PhpValue::Int(0).truthy());
        assert!(PhpValue::Int(1).truthy());
    }

    #[test]
    fn list_detection_and_json_shape() {
        let mut a = PhpArray::new();
        assert_eq!(a.to_json().to_string(), "[]");
        a.push(PhpValue::Str("x".into()));
        a.push(PhpValue::Str("y".into()));
        assert_eq!(a.to_json().to_string(), r#"["x","y"]"#);
        a.remove(&Key::Int(0));
        assert_eq!(a.to_json().to_string(), r#"{"1":"y"}"#);
    }

    #[test]
    fn insert_overwrites_in_place() {
        let mut a = PhpArray::new();
        a.insert(Key::from_text("a"), PhpValue::Int(1));
        a.insert(Key::from_text("b"), PhpValue::Int(2));
        a.insert(Key::from_text("a"), PhpValue::Int(3));
        assert_eq!(a.to_json().to_string(), r#"{"a":3,"b":2}"#);
        assert_eq!(a.push(PhpValue::Null), Key::Int(0));
        a.insert(Key::Int(10), PhpValue::Null);
        assert_eq!(a.push(PhpValue::Null), Key::Int(11));
    }
}
