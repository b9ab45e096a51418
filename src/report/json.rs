//! A small JSON value with a strict parser and a compact serializer (RFC 8259).
//!
//! Written for a small wasm binary: nothing here is generic, and numbers are kept as their
//! JSON text ([`Number`]): this module needs neither `core`'s float parser nor its float
//! formatter. The wire decoders read big answers with the pull [`Reader`] directly, skipping
//! what they do not need, and use [`Json`] for the small parts (errors, `time`).
//!
//! Parser: one pass over the bytes; strings without escapes are borrowed or copied as one
//! slice. Strict: no trailing commas, no comments, no leading zeros, no raw control
//! characters in strings, `\u` escapes with valid surrogate pairs, nesting at most
//! [`MAX_DEPTH`], nothing but whitespace after the value. Errors name the byte offset.
//! Values that are skipped ([`Reader::skip`]) are checked against the grammar, but a lone
//! surrogate escape in them is tolerated, since it is never turned into text (as with
//! serde_json).
//!
//! Objects keep their members in document order (a `Vec`); [`Json::get`] returns the last
//! member of a repeated key, as `JSON.parse` does.
//!
//! Where this differs from `serde_json` (checked by the differential tests in
//! `json_tests.rs`):
//! * a byte order mark (U+FEFF) at the very start of the text is skipped (RFC 8259 §8.1
//!   allows it; a browser's `Response.text()` strips it too, but `net.rs` decodes the
//!   bytes itself); anywhere else outside a string it is an error, as in `serde_json`;
//! * numbers are kept as text, so any syntactically valid number is accepted (`1e400`, a
//!   400-digit integer) where `serde_json` says "number out of range", and `-0` stays `-0`
//!   where `serde_json` makes it the float `-0.0`;
//! * repeated keys are all kept (see above); `serde_json` keeps the last value only;
//! * [`MAX_DEPTH`] (128) levels of nesting are accepted, one more than `serde_json`'s
//!   recursion limit; [`Reader::skip`] has the same limit, while `serde_json` ignores a value
//!   at any depth.

use std::borrow::Cow;
use std::fmt;

/// The byte order mark, skipped at the start of a text.
const BOM: char = '\u{feff}';

/// Deepest nesting of arrays and objects the parser accepts (serde_json, used before,
/// accepted 127).
pub const MAX_DEPTH: u32 = 128;

/// A JSON number, kept as its text (`42`, `-3`, `1700000000.123`, `1e3`).
///
/// The text is always valid JSON number syntax: it comes from the parser or from an integer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Number(Box<str>);

impl Number {
    /// The number as written in the JSON text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when the text has no fraction and no exponent (`42`, `-7`).
    pub fn is_integer(&self) -> bool {
        !self.0.bytes().any(|b| matches!(b, b'.' | b'e' | b'E'))
    }

    /// The value as an `u64` when the text is a non-negative integer that fits (no
    /// fraction, no exponent: `1.0` is `None`).
    pub fn as_u64(&self) -> Option<u64> {
        if self.is_integer() && !self.0.starts_with('-') {
            self.0.parse().ok()
        } else {
            None
        }
    }

    /// The value as a float (see [`decimal_to_f64`] for the precision); `None` when it
    /// does not fit an `f64`.
    pub fn to_f64(&self) -> Option<f64> {
        decimal_to_f64(&self.0).filter(|f| f.is_finite())
    }
}

impl From<u64> for Number {
    fn from(n: u64) -> Self {
        Self(n.to_string().into())
    }
}

impl From<i64> for Number {
    fn from(n: i64) -> Self {
        Self(n.to_string().into())
    }
}

/// A JSON value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Json {
    /// `null`.
    #[default]
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, as its text.
    Number(Number),
    /// A string (escapes decoded).
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object: its members in document order (repeated keys are kept).
    Object(Vec<(String, Json)>),
}

impl Json {
    /// The member `key` of an object (the last one if the key is repeated); `None` for a
    /// missing key or when this is not an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Self::Object(members) => members.iter().rev().find(|(k, _)| k == key).map(|m| &m.1),
            _ => None,
        }
    }

    /// The item `index` of an array; `None` when out of range or not an array.
    pub fn at(&self, index: usize) -> Option<&Json> {
        self.as_array()?.get(index)
    }

    /// The text of a string value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(s) => Some(s),
            _ => None,
        }
    }

    /// The items of an array.
    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Self::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The members of an object, in document order.
    pub fn as_object(&self) -> Option<&[(String, Json)]> {
        match self {
            Self::Object(members) => Some(members),
            _ => None,
        }
    }

    /// A number that is a non-negative integer without fraction or exponent (see
    /// [`Number::as_u64`]).
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Self::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    /// The compact JSON text of the value (no whitespace); `JSON.parse` reads it back.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    /// Appends the compact JSON text of the value to `out`.
    pub fn write(&self, out: &mut String) {
        match self {
            Self::Null => out.push_str("null"),
            Self::Bool(true) => out.push_str("true"),
            Self::Bool(false) => out.push_str("false"),
            Self::Number(n) => out.push_str(n.as_str()),
            Self::String(s) => write_string(out, s),
            Self::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Self::Object(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(out, key);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// The compact JSON text (as [`Json::encode`]).
impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.encode())
    }
}

/// Appends `s` as a JSON string literal: `"` and `\` escaped, control characters as
/// `\n`, `\r`, `\t`, `\b`, `\f` or `\u00XX`; everything else (HTML, non-ASCII) verbatim.
pub fn write_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let short = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        // `i` is at an ASCII byte, hence at a character boundary.
        debug_assert!(s.is_char_boundary(start) && s.is_char_boundary(i));
        out.push_str(s.get(start..i).unwrap_or_default());
        if short.is_empty() {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        } else {
            out.push_str(short);
        }
        start = i + 1;
    }
    debug_assert!(s.is_char_boundary(start));
    out.push_str(s.get(start..).unwrap_or_default());
    out.push('"');
}

/// Why a text is not JSON: what was expected and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// Byte offset in the text.
    pub offset: usize,
    /// What is wrong, e.g. "expected `,` or `]`".
    pub message: &'static str,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.message, self.offset)
    }
}

impl std::error::Error for JsonError {}

/// Parses a whole JSON text (whitespace around the value allowed, nothing else).
///
/// # Errors
/// [`JsonError`] for anything that is not exactly one JSON value.
pub fn parse(text: &str) -> Result<Json, JsonError> {
    let mut reader = Reader::new(text);
    let value = reader.value()?;
    reader.end()?;
    Ok(value)
}

/// A pull parser over a JSON text, for decoders that read only what they need.
///
/// Objects: [`Reader::object_start`], then [`Reader::object_key`] until it returns `None`,
/// reading (or [skipping](Reader::skip)) one value after each key. Arrays:
/// [`Reader::array_start`], then [`Reader::array_next`] until `false`, one value after
/// each `true`. Finish with [`Reader::end`].
#[derive(Debug)]
pub struct Reader<'a> {
    text: &'a str,
    pos: usize,
    depth: u32,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `text`, after a leading byte order mark if there is one
    /// (error offsets still count it).
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            pos: if text.starts_with(BOM) {
                BOM.len_utf8()
            } else {
                0
            },
            depth: 0,
        }
    }

    /// An error at the current position.
    pub fn error(&self, message: &'static str) -> JsonError {
        JsonError {
            offset: self.pos,
            message,
        }
    }

    #[inline(always)]
    fn byte(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    #[inline(always)]
    fn skip_blank(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.byte() {
            self.pos += 1;
        }
    }

    /// The first byte of the next value or token (after whitespace), not consumed.
    ///
    /// # Errors
    /// At the end of the text.
    #[inline(always)]
    pub fn peek(&mut self) -> Result<u8, JsonError> {
        self.skip_blank();
        match self.byte() {
            Some(b) => Ok(b),
            None => Err(self.error("unexpected end of input")),
        }
    }

    /// Checks that only whitespace is left.
    ///
    /// # Errors
    /// When anything else follows the value.
    pub fn end(&mut self) -> Result<(), JsonError> {
        self.skip_blank();
        match self.byte() {
            None => Ok(()),
            Some(_) => Err(self.error("trailing characters after the value")),
        }
    }

    fn open(&mut self, byte: u8, message: &'static str) -> Result<(), JsonError> {
        if self.peek()? != byte {
            return Err(self.error(message));
        }
        if self.depth >= MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        self.depth += 1;
        self.pos += 1;
        Ok(())
    }

    /// Consumes the `{` of an object.
    ///
    /// # Errors
    /// When the next value is not an object, or nesting is too deep.
    pub fn object_start(&mut self) -> Result<(), JsonError> {
        self.open(b'{', "expected an object")
    }

    /// Consumes the `[` of an array.
    ///
    /// # Errors
    /// When the next value is not an array, or nesting is too deep.
    pub fn array_start(&mut self) -> Result<(), JsonError> {
        self.open(b'[', "expected an array")
    }

    /// Moves to the next member of the object: returns its key (the value follows), or
    /// `None` after consuming the closing `}`. `first` must be `true` before the first
    /// call of each object; this sets it to `false`.
    ///
    /// # Errors
    /// On a missing `,`, `:` or key, a trailing comma, or a bad key string.
    pub fn object_key(&mut self, first: &mut bool) -> Result<Option<Cow<'a, str>>, JsonError> {
        if !self.member(first)? {
            return Ok(None);
        }
        let key = self.string()?;
        self.colon()?;
        Ok(Some(key))
    }

    /// The part of [`Reader::object_key`] before the key: `true` at the key's `"`,
    /// `false` after the closing `}`.
    fn member(&mut self, first: &mut bool) -> Result<bool, JsonError> {
        if !self.next_item(first, b'}', "expected `,` or `}`")? {
            return Ok(false);
        }
        if self.peek()? != b'"' {
            return Err(self.error("expected a string key"));
        }
        Ok(true)
    }

    /// Steps over the `,` before an item of an array or object (none before the `first`):
    /// `true` when an item follows, `false` after consuming the closing `close`.
    fn next_item(
        &mut self,
        first: &mut bool,
        close: u8,
        expected: &'static str,
    ) -> Result<bool, JsonError> {
        let b = self.peek()?;
        if b == close {
            self.pos += 1;
            self.depth -= 1;
            return Ok(false);
        }
        if !*first {
            if b != b',' {
                return Err(self.error(expected));
            }
            self.pos += 1;
        }
        *first = false;
        Ok(true)
    }

    fn colon(&mut self) -> Result<(), JsonError> {
        if self.peek()? != b':' {
            return Err(self.error("expected `:`"));
        }
        self.pos += 1;
        Ok(())
    }

    /// Moves to the next item of the array: `true` when a value follows, `false` after
    /// consuming the closing `]`. `first` as for [`Reader::object_key`].
    ///
    /// # Errors
    /// On a missing `,`.
    pub fn array_next(&mut self, first: &mut bool) -> Result<bool, JsonError> {
        self.next_item(first, b']', "expected `,` or `]`")
    }

    /// Reads a string value: borrowed from the text when it has no escapes.
    ///
    /// # Errors
    /// When the next value is not a valid string.
    pub fn string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        if self.peek()? != b'"' {
            return Err(self.error("expected a string"));
        }
        let bytes = self.text.as_bytes();
        let open = self.pos;
        self.pos += 1;
        let mut owned: Option<String> = None;
        loop {
            let start = self.pos;
            let i = plain_run_end(bytes, start);
            // `start` and `i` are at ASCII bytes or at the end: character boundaries.
            debug_assert!(self.text.is_char_boundary(start) && self.text.is_char_boundary(i));
            let run = self.text.get(start..i).unwrap_or_default();
            self.pos = i;
            match bytes.get(i) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(match owned {
                        None => Cow::Borrowed(run),
                        Some(mut s) => {
                            s.push_str(run);
                            Cow::Owned(s)
                        }
                    });
                }
                Some(b'\\') => {
                    let s = owned.get_or_insert_with(|| String::with_capacity(i - open + 64));
                    s.push_str(run);
                    self.pos += 1;
                    let c = self.escape()?;
                    s.push(c);
                }
                Some(_) => return Err(self.error("control character in a string")),
                None => {
                    return Err(JsonError {
                        offset: open,
                        message: "unterminated string",
                    })
                }
            }
        }
    }

    /// Decodes the escape after a `\` (which is consumed). An invalid escape is reported
    /// at the character after the `\` (as by [`Reader::skip`]), never inside a character.
    fn escape(&mut self) -> Result<char, JsonError> {
        let c = match self.byte() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                return self.unicode_escape();
            }
            Some(_) => return Err(self.error("invalid escape")),
            None => return Err(self.error("unterminated string")),
        };
        self.pos += 1;
        Ok(c)
    }

    /// Decodes the four hex digits after `\u` (consumed), and a low surrogate's `\uXXXX`
    /// after a high one.
    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let at = self.pos;
        let unit = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&unit) {
            let bytes = self.text.as_bytes();
            if bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                return Err(self.error("lone surrogate in a \\u escape"));
            }
            self.pos += 2;
            let low = self.hex4()?;
            if !(0xDC00..0xE000).contains(&low) {
                return Err(self.error("lone surrogate in a \\u escape"));
            }
            0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
        } else {
            unit
        };
        // Only a lone low surrogate (DC00..DFFF) is not a char here.
        char::from_u32(code).ok_or(JsonError {
            offset: at,
            message: "lone surrogate in a \\u escape",
        })
    }

    /// Reads the four hex digits of a `\u` escape.
    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut unit = 0;
        for _ in 0..4 {
            let digit = self
                .byte()
                .and_then(|b| char::from(b).to_digit(16))
                .ok_or_else(|| self.error("invalid \\u escape"))?;
            unit = unit * 16 + digit;
            self.pos += 1;
        }
        Ok(unit)
    }

    /// Checks a string without decoding it (lone surrogates are not checked).
    fn skip_string(&mut self) -> Result<(), JsonError> {
        let bytes = self.text.as_bytes();
        let open = self.pos;
        self.pos += 1;
        loop {
            self.pos = plain_run_end(bytes, self.pos);
            let Some(&b) = bytes.get(self.pos) else {
                return Err(JsonError {
                    offset: open,
                    message: "unterminated string",
                });
            };
            self.pos += 1;
            match b {
                b'"' => return Ok(()),
                b'\\' => match self.byte() {
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => self.pos += 1,
                    Some(b'u') => {
                        self.pos += 1;
                        self.hex4()?;
                    }
                    Some(_) => return Err(self.error("invalid escape")),
                    None => return Err(self.error("unterminated string")),
                },
                0..=0x1f => {
                    self.pos -= 1;
                    return Err(self.error("control character in a string"));
                }
                _ => {}
            }
        }
    }

    /// Reads a number: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    fn number(&mut self) -> Result<Number, JsonError> {
        let start = self.pos;
        if self.byte() == Some(b'-') {
            self.pos += 1;
        }
        match self.byte() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error("invalid number")),
        }
        if self.byte() == Some(b'.') {
            self.pos += 1;
            self.required_digits()?;
        }
        if let Some(b'e' | b'E') = self.byte() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.byte() {
                self.pos += 1;
            }
            self.required_digits()?;
        }
        // All bytes of a number are ASCII.
        debug_assert!(self.text.is_char_boundary(start) && self.text.is_char_boundary(self.pos));
        Ok(Number(
            self.text.get(start..self.pos).unwrap_or_default().into(),
        ))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.byte() {
            self.pos += 1;
        }
    }

    fn required_digits(&mut self) -> Result<(), JsonError> {
        if !matches!(self.byte(), Some(b'0'..=b'9')) {
            return Err(self.error("invalid number"));
        }
        self.digits();
        Ok(())
    }

    /// Consumes `true`, `false` or `null`, given as its last four bytes and its length.
    fn literal(&mut self, tail: [u8; 4], len: usize) -> Result<(), JsonError> {
        let at = self.pos + len - 4;
        let got = self.text.as_bytes().get(at..at + 4);
        if got.and_then(|s| <[u8; 4]>::try_from(s).ok()) != Some(tail) {
            return Err(self.error("expected a value"));
        }
        self.pos += len;
        Ok(())
    }

    /// Reads the next value.
    ///
    /// # Errors
    /// When it is not valid JSON (or nested deeper than [`MAX_DEPTH`]).
    pub fn value(&mut self) -> Result<Json, JsonError> {
        Ok(match self.peek()? {
            b'{' => {
                self.object_start()?;
                let mut members = Vec::new();
                let mut first = true;
                while let Some(key) = self.object_key(&mut first)? {
                    let value = self.value()?;
                    members.push((key.into_owned(), value));
                }
                Json::Object(members)
            }
            b'[' => {
                self.array_start()?;
                let mut items = Vec::new();
                let mut first = true;
                while self.array_next(&mut first)? {
                    items.push(self.value()?);
                }
                Json::Array(items)
            }
            b'"' => Json::String(self.string()?.into_owned()),
            b'-' | b'0'..=b'9' => Json::Number(self.number()?),
            b't' => {
                self.literal(*b"true", 4)?;
                Json::Bool(true)
            }
            b'f' => {
                self.literal(*b"alse", 5)?;
                Json::Bool(false)
            }
            _ => {
                self.literal(*b"null", 4)?;
                Json::Null
            }
        })
    }

    /// Skips the next value, checking its syntax without building it.
    ///
    /// # Errors
    /// When it is not valid JSON (or nested deeper than [`MAX_DEPTH`]).
    pub fn skip(&mut self) -> Result<(), JsonError> {
        match self.peek()? {
            b'{' => {
                self.object_start()?;
                let mut first = true;
                while self.member(&mut first)? {
                    self.skip_string()?;
                    self.colon()?;
                    self.skip()?;
                }
            }
            b'[' => {
                self.array_start()?;
                let mut first = true;
                while self.array_next(&mut first)? {
                    self.skip()?;
                }
            }
            b'"' => self.skip_string()?,
            b'-' | b'0'..=b'9' => {
                self.number()?;
            }
            b't' => self.literal(*b"true", 4)?,
            b'f' => self.literal(*b"alse", 5)?,
            _ => self.literal(*b"null", 4)?,
        }
        Ok(())
    }
}

/// The end of the run of plain string bytes from `i`: the index of the first `"`, `\`
/// or control character (or the length). Eight bytes per step while it can.
fn plain_run_end(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const QUOTES: u64 = ONES * b'"' as u64;
    const SLASHES: u64 = ONES * b'\\' as u64;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let Ok(word) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let w = u64::from_le_bytes(word);
        // `(x - 0x01…) & !x & 0x80…` flags the bytes of `x` below 1, i.e. zero (here: `"`
        // and `\`), `(w - 0x20…) & !w & 0x80…` those below 0x20. Bytes after a hit may be
        // flagged falsely, but the lowest flag is always a true hit.
        let q = w ^ QUOTES;
        let b = w ^ SLASHES;
        let hits = ((q.wrapping_sub(ONES) & !q)
            | (b.wrapping_sub(ONES) & !b)
            | (w.wrapping_sub(ONES * 0x20) & !w))
            & HIGH;
        if hits != 0 {
            return i + (hits.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&b) = bytes.get(i) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            break;
        }
        i += 1;
    }
    i
}

/// Converts decimal text to a float without `core`'s float parser: an optional sign,
/// digits with an optional `.` (at least one digit: `5`, `5.`, `.5`), an optional
/// exponent (`e`/`E`, optional sign, digits). This is the syntax of Rust's
/// `str::parse::<f64>` without `inf`/`nan`, and every JSON number fits it.
///
/// Precision: exact (correctly rounded) when the significant digits form an integer below
/// 2^53 and the decimal exponent is within ±22 — this covers Unix times with
/// milliseconds (`1700000000.123`) and durations like `0.5`. Beyond that (more than 15
/// significant digits, huge exponents) the result may be off by a few units in the last
/// place. Only the first 19 significant digits are read. `None` for any other text;
/// the result may be infinite for huge exponents.
pub fn decimal_to_f64(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let mut i = 0;
    let negative = match bytes.first() {
        Some(b'-') => {
            i = 1;
            true
        }
        Some(b'+') => {
            i = 1;
            false
        }
        _ => false,
    };
    let mut mantissa: u64 = 0;
    let mut significant = 0u32;
    let mut exponent: i64 = 0;
    let mut digits = 0u32;
    let mut fraction = false;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'0'..=b'9' => {
                digits += 1;
                if significant < 19 {
                    mantissa = mantissa * 10 + u64::from(b - b'0');
                    if mantissa > 0 {
                        significant += 1;
                    }
                    if fraction {
                        exponent -= 1;
                    }
                } else if !fraction {
                    exponent += 1;
                }
            }
            b'.' if !fraction => fraction = true,
            _ => break,
        }
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    if let Some(b'e' | b'E') = bytes.get(i) {
        i += 1;
        let exp_negative = match bytes.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let start = i;
        let mut e: i64 = 0;
        while let Some(&b @ b'0'..=b'9') = bytes.get(i) {
            e = (e * 10 + i64::from(b - b'0')).min(100_000);
            i += 1;
        }
        if i == start {
            return None;
        }
        exponent += if exp_negative { -e } else { e };
    }
    if i != bytes.len() {
        return None;
    }
    #[allow(clippy::cast_precision_loss)]
    let mut value = mantissa as f64;
    if value != 0.0 {
        value = scale10(value, exponent);
    }
    Some(if negative { -value } else { value })
}

/// `value × 10^exponent`: one exact power (up to 10^22) per step.
fn scale10(mut value: f64, mut exponent: i64) -> f64 {
    const POW10: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    while exponent != 0 && value != 0.0 && value.is_finite() {
        let step = exponent.clamp(-22, 22);
        #[allow(clippy::cast_sign_loss, clippy::cast_possible_truncation)]
        let power = POW10[step.unsigned_abs() as usize];
        value = if step < 0 {
            value / power
        } else {
            value * power
        };
        exponent -= step;
    }
    value
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
#[path = "json_tests.rs"]
mod differential;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn s(text: &str) -> Json {
        Json::String(text.into())
    }

    fn err(text: &str) -> JsonError {
        parse(text).expect_err(text)
    }

    #[test]
    fn scalars_arrays_objects() {
        assert_eq!(parse(" null ").unwrap(), Json::Null);
        assert_eq!(parse("true").unwrap(), Json::Bool(true));
        assert_eq!(parse("false").unwrap(), Json::Bool(false));
        assert_eq!(parse("\"x\"").unwrap(), s("x"));
        assert_eq!(parse("[]").unwrap(), Json::Array(Vec::new()));
        assert_eq!(parse("{}").unwrap(), Json::Object(Vec::new()));
        let v = parse(r#" { "a" : [1, "b", null, {"c": false}], "d": {} } "#).unwrap();
        assert_eq!(v.get("a").and_then(|a| a.at(1)), Some(&s("b")));
        assert_eq!(
            v.get("a").and_then(|a| a.at(0)).and_then(Json::as_u64),
            Some(1)
        );
        assert_eq!(
            v.get("a").and_then(|a| a.at(3)).and_then(|o| o.get("c")),
            Some(&Json::Bool(false))
        );
        assert_eq!(
            v.get("d").and_then(Json::as_object).map(<[_]>::len),
            Some(0)
        );
        assert!(v.get("zz").is_none() && v.at(0).is_none() && s("x").get("a").is_none());
        // Document order kept; a repeated key reads as its last value.
        let v = parse(r#"{"b":1,"a":2,"b":3}"#).unwrap();
        let keys: Vec<_> = v
            .as_object()
            .unwrap()
            .iter()
            .map(|m| m.0.as_str())
            .collect();
        assert_eq!(keys, ["b", "a", "b"]);
        assert_eq!(v.get("b").and_then(Json::as_u64), Some(3));
    }

    #[test]
    fn escapes_unicode_and_surrogates() {
        assert_eq!(
            parse(r#""a\"b\\c\/d\b\f\n\r\t""#).unwrap(),
            s("a\"b\\c/d\u{8}\u{c}\n\r\t")
        );
        assert_eq!(parse(r#""\u0041\u00e9\u4e2d""#).unwrap(), s("Aé中"));
        assert_eq!(parse(r#""\ud83d\ude00!""#).unwrap(), s("😀!"));
        assert_eq!(parse(r#""\uD83D\uDE00""#).unwrap(), s("😀"));
        assert_eq!(parse("\"Отчёт 😀 中\"").unwrap(), s("Отчёт 😀 中"));
        assert_eq!(parse(r#""\u0000""#).unwrap(), s("\0"));
        // Keys are decoded too.
        let v = parse(r#"{"\u0049D":"7"}"#).unwrap();
        assert_eq!(v.get("ID").and_then(Json::as_str), Some("7"));
    }

    #[test]
    fn html_in_strings_is_kept_verbatim() {
        let text = r#"<b>Fix</b> & <a href='x'>"y"</a> </script> &amp; <br>"#;
        let v = parse(&Json::String(text.into()).encode()).unwrap();
        assert_eq!(v.as_str(), Some(text));
        assert_eq!(parse(r#""<br>&lt;\u003cb>""#).unwrap(), s("<br>&lt;<b>"));
        assert_eq!(s("</b>").encode(), r#""</b>""#);
    }

    #[test]
    fn numbers() {
        for text in [
            "0",
            "-0",
            "42",
            "-7",
            "1700000000",
            "1700000000.123",
            "0.5",
            "1e3",
            "1E+3",
            "2.5e-3",
            "18446744073709551616",
        ] {
            let v = parse(text).unwrap();
            let Json::Number(n) = &v else {
                panic!("{text}")
            };
            assert_eq!(n.as_str(), text);
            assert_eq!(v.encode(), text);
        }
        assert_eq!(parse("42").unwrap().as_u64(), Some(42));
        assert_eq!(
            parse("18446744073709551615").unwrap().as_u64(),
            Some(u64::MAX)
        );
        for not_u64 in ["-1", "-0", "1.0", "1e3", "18446744073709551616", "\"1\""] {
            assert_eq!(parse(not_u64).unwrap().as_u64(), None, "{not_u64}");
        }
        for bad in [
            "01", "-", "1.", ".5", "+1", "1e", "1e+", "0x1", "1.5.2", "-a", "NaN",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn decimal_conversion_is_exact_for_the_wire_values() {
        let cases: [(&str, f64); 14] = [
            ("0", 0.0),
            ("42", 42.0),
            ("-7", -7.0),
            ("1700000000", 1_700_000_000.0),
            ("1700000000.123", 1_700_000_000.123),
            ("1700000005.5", 1_700_000_005.5),
            ("0.5", 0.5),
            ("480.5", 480.5),
            ("0.1", 0.1),
            ("5.", 5.0),
            (".25", 0.25),
            ("+3", 3.0),
            ("1e3", 1000.0),
            ("2.5E-3", 0.0025),
        ];
        for (text, want) in cases {
            assert_eq!(decimal_to_f64(text), Some(want), "{text}");
        }
        assert_eq!(decimal_to_f64("0.000"), Some(0.0));
        assert_eq!(decimal_to_f64("00012"), Some(12.0));
        assert_eq!(decimal_to_f64("-0").map(f64::is_sign_negative), Some(true));
        // Long and extreme inputs: close, not necessarily correctly rounded.
        let long = decimal_to_f64("3.14159265358979323846264338327950288").unwrap();
        assert!((long - std::f64::consts::PI).abs() < 1e-15);
        let big = decimal_to_f64("123456789012345678901234567890").unwrap();
        assert!((big / 1.234_567_890_123_456_8e29 - 1.0).abs() < 1e-15);
        assert!((decimal_to_f64("1e-300").unwrap() / 1e-300 - 1.0).abs() < 1e-14);
        assert_eq!(decimal_to_f64("1e400"), Some(f64::INFINITY));
        assert_eq!(decimal_to_f64("1e-400"), Some(0.0));
        let n = parse("1e400").unwrap();
        let Json::Number(n) = n else { panic!() };
        assert_eq!(n.to_f64(), None);
        for bad in [
            "", "-", ".", "e5", "1e", "1e+", "1.2.3", " 1", "1 ", "inf", "NaN", "0x10", "1_0",
        ] {
            assert_eq!(decimal_to_f64(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn invalid_texts_are_errors_with_an_offset() {
        for bad in [
            "",
            "   ",
            "{",
            "[",
            "[1",
            "[1,",
            "{\"a\"",
            "{\"a\":",
            "{\"a\":1",
            "\"abc",
            "\"a\\",
            "\"a\\u12",
            "[1,]",
            "[,1]",
            "[1 2]",
            "{\"a\":1,}",
            "{,}",
            "{\"a\" 1}",
            "{a:1}",
            "{1:1}",
            "'x'",
            "tru",
            "nul",
            "True",
            "[1]x",
            "{} {}",
            "\"a\\x\"",
            "\"a\\U0041\"",
            "\"a\tb\"",
            "\"a\nb\"",
            "\"\\ud800\"",
            "\"\\ud800x\"",
            "\"\\ud800\\u0041\"",
            "\"\\udc00\"",
            "\"\\uzzzz\"",
            "<html>Bad gateway</html>",
        ] {
            let e = err(bad);
            assert!(e.offset <= bad.len(), "{bad:?}: {e}");
            assert!(e.to_string().contains(" at byte "), "{e}");
        }
        assert_eq!(err("[1,]").to_string(), "expected a value at byte 3");
        assert_eq!(err("[1 2]").to_string(), "expected `,` or `]` at byte 3");
        assert_eq!(
            err("{\"a\":1,}").to_string(),
            "expected a string key at byte 7"
        );
        assert_eq!(err("\"abc").to_string(), "unterminated string at byte 0");
        assert_eq!(
            err("[1] x").to_string(),
            "trailing characters after the value at byte 4"
        );
        assert_eq!(err(r#""\ud800""#).message, "lone surrogate in a \\u escape");
        assert_eq!(err(r#""\udc00""#).message, "lone surrogate in a \\u escape");
        assert_eq!(err("\"a\\qb\"").message, "invalid escape");
    }

    #[test]
    fn nesting_is_limited() {
        let ok = format!("{}{}", "[".repeat(128), "]".repeat(128));
        assert!(parse(&ok).is_ok());
        let deep = format!("{}{}", "[".repeat(129), "]".repeat(129));
        assert_eq!(err(&deep).message, "nesting too deep");
        let objects = format!("{}1{}", "{\"a\":".repeat(200), "}".repeat(200));
        assert_eq!(err(&objects).message, "nesting too deep");
        // No stack overflow on absurd depth, skipped or parsed.
        let absurd = "[".repeat(100_000);
        assert_eq!(err(&absurd).message, "nesting too deep");
        let mut r = Reader::new(&absurd);
        assert_eq!(r.skip().unwrap_err().message, "nesting too deep");
    }

    #[test]
    fn serializer_escapes_and_round_trips() {
        let tricky = "q\"b\\s/ \n\r\t\u{8}\u{c}\u{0}\u{1f}\u{7f} é 😀 \u{2028} <i>";
        let encoded = s(tricky).encode();
        assert_eq!(
            encoded,
            "\"q\\\"b\\\\s/ \\n\\r\\t\\b\\f\\u0000\\u001f\u{7f} é 😀 \u{2028} <i>\""
        );
        assert!(!encoded[1..encoded.len() - 1].bytes().any(|b| b < 0x20));
        let value = Json::Object(vec![
            ("v".into(), Json::Number(Number::from(1u64))),
            ("neg".into(), Json::Number(Number::from(-5i64))),
            ("s".into(), s(tricky)),
            (
                "a".into(),
                Json::Array(vec![Json::Null, Json::Bool(true), Json::Bool(false), s("")]),
            ),
            ("o".into(), Json::Object(Vec::new())),
            ("k\"ey\n".into(), Json::Array(Vec::new())),
        ]);
        let text = value.encode();
        assert_eq!(parse(&text).unwrap(), value);
        assert_eq!(value.to_string(), text);
        assert!(text.starts_with(r#"{"v":1,"neg":-5,"s":"q\"b"#), "{text}");
        // Every parsed document re-encodes to an equal value.
        let doc = r#"{"result":[{"ID":"1","TITLE":"a\u00e9\ud83d\ude00<br>","X":[1.5e3,-0,true,null]}],"total":1}"#;
        let v = parse(doc).unwrap();
        assert_eq!(parse(&v.encode()).unwrap(), v);
    }

    #[test]
    fn plain_runs_match_a_byte_loop() {
        let naive = |bytes: &[u8], from: usize| {
            bytes[from..]
                .iter()
                .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
                .map_or(bytes.len(), |p| from + p)
        };
        // Fillers around the borrow edges of the word tricks: 0x20, 0x21, 0x23, 0x5b, 0x5d,
        // 0x7f, UTF-8 bytes.
        let fillers: [&[u8]; 6] = [
            b"a",
            b" ",
            b"!#",
            b"[]",
            b"\x7f",
            "\u{e9}\u{4e2d}".as_bytes(),
        ];
        for filler in fillers {
            for stop in [b'"', b'\\', 0, 0x1f, b'\n'] {
                for at in 0..20 {
                    let mut bytes: Vec<u8> = filler.iter().copied().cycle().take(at).collect();
                    bytes.push(stop);
                    bytes.extend(filler.iter().copied().cycle().take(9));
                    bytes.push(b'"');
                    for from in 0..=at {
                        assert_eq!(plain_run_end(&bytes, from), naive(&bytes, from));
                    }
                }
            }
            let plain: Vec<u8> = filler.iter().copied().cycle().take(29).collect();
            assert_eq!(plain_run_end(&plain, 0), plain.len());
        }
    }

    #[test]
    fn reader_reads_and_skips_selectively() {
        let text =
            r#"{"skip":{"deep":[1,{"x":"\ud800"}],"s":"a\"b"},"rows":[{"ID":"1"},2],"n":null}"#;
        let mut r = Reader::new(text);
        r.object_start().unwrap();
        let mut first = true;
        let mut seen = Vec::new();
        while let Some(key) = r.object_key(&mut first).unwrap() {
            if key == "rows" {
                r.array_start().unwrap();
                let mut first = true;
                let mut n = 0;
                while r.array_next(&mut first).unwrap() {
                    r.skip().unwrap();
                    n += 1;
                }
                assert_eq!(n, 2);
            } else {
                // A lone surrogate in a skipped value is tolerated.
                r.skip().unwrap();
            }
            seen.push(key.into_owned());
        }
        r.end().unwrap();
        assert_eq!(seen, ["skip", "rows", "n"]);
        // Unescaped strings are borrowed.
        let mut r = Reader::new(r#" "plain" "#);
        assert!(matches!(r.string().unwrap(), Cow::Borrowed("plain")));
        let mut r = Reader::new(r#""a\nb""#);
        assert_eq!(r.string().unwrap(), "a\nb");
        // Skipping still checks the syntax.
        for bad in [r#""a\x""#, "[1,]", "{\"a\":}", "\"a", "01", "[1}", "\"\t\""] {
            let mut r = Reader::new(bad);
            assert!(r.skip().and_then(|()| r.end()).is_err(), "{bad}");
        }
    }
}
