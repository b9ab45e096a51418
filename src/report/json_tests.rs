//! Differential tests of [`parse`] and [`Reader::skip`] against `serde_json`: seeded
//! generated documents, mutations of them (mostly invalid), and the classic hard cases.
//!
//! Where both should agree (valid documents, accept/reject of invalid ones) the test
//! demands the same verdict and the same value tree; where they differ by design (the list
//! in the module doc of `json.rs`: leading BOM, numbers out of `f64` range, `-0`, repeated
//! keys, one more level of nesting) the deviation is asserted explicitly. Our reader must
//! never panic; every input that breaks a rule is printed with the failure.

use super::*;
use crate::report::retry::Jitter;
use serde_json::Value;
use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Generated valid documents per run, each also mutated [`MUTATIONS_PER_DOC`] times.
const DOCS: u64 = 5_000;
/// Mutated (mostly invalid) texts made from each generated document.
const MUTATIONS_PER_DOC: u64 = 8;

// ---------------------------------------------------------------------------------------
// Comparing our value with serde_json's
// ---------------------------------------------------------------------------------------

/// Checks that `ours` and `theirs` are the same tree; `Err` names the path and the
/// difference. Numbers: integers exactly, floats within 1e-14 relative (our converter is
/// documented as "off by a few units in the last place" beyond 2^53), the sign of zero
/// too. Objects: serde keeps the last of a repeated key, which [`Json::get`] returns.
fn same(ours: &Json, theirs: &Value, path: &str) -> Result<(), String> {
    let fail = |what: &str| Err(format!("{path}: {what}: ours {ours}, serde_json {theirs}"));
    match (ours, theirs) {
        (Json::Null, Value::Null) => Ok(()),
        (Json::Bool(a), Value::Bool(b)) if a == b => Ok(()),
        (Json::Number(a), Value::Number(b)) => same_number(a, b).or_else(|e| fail(&e)),
        (Json::String(a), Value::String(b)) => {
            if a != b {
                return fail("different strings");
            }
            // Our serializer writes strings exactly as serde_json does.
            let mut encoded = String::new();
            write_string(&mut encoded, a);
            if serde_json::to_string(b).ok().as_deref() != Some(encoded.as_str()) {
                return fail(&format!("string encoded as {encoded}"));
            }
            Ok(())
        }
        (Json::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return fail("different lengths");
            }
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                same(x, y, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        (Json::Object(a), Value::Object(b)) => {
            let keys: BTreeSet<&str> = a.iter().map(|m| m.0.as_str()).collect();
            if keys.len() != b.len() {
                return fail("different key sets");
            }
            for (key, y) in b {
                let Some(x) = ours.get(key) else {
                    return fail(&format!("no key {key:?}"));
                };
                same(x, y, &format!("{path}.{key}"))?;
            }
            Ok(())
        }
        _ => fail("different kinds"),
    }
}

fn same_number(ours: &Number, theirs: &serde_json::Number) -> Result<(), String> {
    let text = ours.as_str();
    if !theirs.is_f64() {
        // serde_json made it an integer: the text is one, with the same value.
        let exact = match (theirs.as_u64(), theirs.as_i64()) {
            (Some(u), _) => text.parse::<u64>().ok() == Some(u) && ours.as_u64() == Some(u),
            (None, Some(i)) => text.parse::<i64>().ok() == Some(i) && ours.as_u64().is_none(),
            (None, None) => false,
        };
        return if exact {
            Ok(())
        } else {
            Err("different integers".into())
        };
    }
    let want = theirs.as_f64().ok_or("serde_json float without a value")?;
    let got = ours.to_f64().ok_or("our number has no f64")?;
    if got.is_sign_negative() != want.is_sign_negative() {
        return Err("different signs".into());
    }
    let close = if want == 0.0 {
        got == 0.0
    } else {
        ((got - want) / want).abs() <= 1e-14
    };
    // A float or an integer beyond u64/i64 is never an `u64` for us either.
    if !close || ours.as_u64().is_some() {
        return Err(format!("different floats ({got:e} vs {want:e})"));
    }
    Ok(())
}

/// The nesting depth of a value (a scalar is 0).
fn depth(value: &Json) -> u32 {
    match value {
        Json::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Json::Object(members) => 1 + members.iter().map(|m| depth(&m.1)).max().unwrap_or(0),
        _ => 0,
    }
}

/// Some number of the value that does not fit an `f64` (what serde_json calls "number
/// out of range").
fn has_number_beyond_f64(value: &Json) -> bool {
    match value {
        Json::Number(n) => n.to_f64().is_none_or(|f| f.abs() > 1e308),
        Json::Array(items) => items.iter().any(has_number_beyond_f64),
        Json::Object(members) => members.iter().any(|m| has_number_beyond_f64(&m.1)),
        _ => false,
    }
}

/// [`parse`], with a panic turned into a failure that shows the input.
fn ours(text: &str) -> Result<Json, JsonError> {
    let result = catch_unwind(AssertUnwindSafe(|| parse(text)));
    let Ok(result) = result else {
        panic!("parse panicked on {text:?}")
    };
    if let Err(e) = &result {
        assert!(
            text.is_char_boundary(e.offset) && !e.message.is_empty(),
            "{text:?}: bad error {e:?}"
        );
    }
    result
}

/// [`Reader::skip`] then [`Reader::end`], with a panic turned into a failure.
fn skips(text: &str) -> bool {
    skip(text).is_ok()
}

/// [`Reader::skip`] then [`Reader::end`], with a panic turned into a failure.
fn skip(text: &str) -> Result<(), JsonError> {
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut r = Reader::new(text);
        r.skip().and_then(|()| r.end())
    }));
    let Ok(result) = result else {
        panic!("skip panicked on {text:?}")
    };
    result
}

/// `text` with the hex digits of every `\u` escape of a surrogate replaced by `0041`:
/// the same syntax, without the only thing [`Reader::skip`] does not check.
fn without_surrogates(text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    let mut i = 0;
    while i + 6 <= bytes.len() {
        let hex = bytes.get(i + 2..i + 6).unwrap_or_default();
        if bytes[i] == b'\\'
            && bytes[i + 1] == b'u'
            && hex.iter().all(u8::is_ascii_hexdigit)
            && matches!(hex[0], b'd' | b'D')
            && matches!(hex[1], b'8'..=b'9' | b'a'..=b'f' | b'A'..=b'F')
        {
            bytes[i + 2..i + 6].copy_from_slice(b"0041");
            i += 6;
        } else {
            i += 1;
        }
    }
    // Only ASCII bytes were replaced by ASCII bytes.
    String::from_utf8(bytes).unwrap()
}

/// How our parser and serde_json judged one text.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    /// Both accept it, with the same value.
    BothAccept,
    /// Both reject it.
    BothReject,
    /// We accept it and serde_json does not, by a documented deviation.
    Deviation(&'static str),
}

/// Runs both parsers (and the skipper) on `text` and fails on any disagreement that is not
/// a documented deviation.
fn compare(text: &str) -> Verdict {
    let mine = ours(text);
    let theirs = serde_json::from_str::<Value>(text);
    // Skipping checks everything but surrogates, with the same depth limit and the same
    // error.
    let plain = without_surrogates(text);
    let skipped = skip(text);
    assert_eq!(
        skipped.is_ok(),
        ours(&plain).is_ok(),
        "skip vs parse on {text:?}"
    );
    if plain == text {
        assert_eq!(skipped.err(), mine.as_ref().err().cloned(), "{text:?}");
    }
    match (mine, theirs) {
        (Ok(a), Ok(b)) => {
            if let Err(e) = same(&a, &b, "$") {
                panic!("{text:?}: {e}");
            }
            // Our encoding reads back to the same value, in both parsers.
            let encoded = a.encode();
            assert_eq!(ours(&encoded).as_ref(), Ok(&a), "{text:?} → {encoded:?}");
            let again: Value = serde_json::from_str(&encoded).unwrap();
            assert_eq!(again, b, "{text:?} → {encoded:?}");
            Verdict::BothAccept
        }
        (Err(_), Err(_)) => Verdict::BothReject,
        (Ok(a), Err(e)) => {
            let why = e.to_string();
            if let Some(rest) = text.strip_prefix('\u{feff}') {
                // Leading BOM: skipped by us, refused by serde_json; the rest must agree.
                assert!(why.starts_with("expected value"), "{text:?}: {why}");
                let Ok(b) = serde_json::from_str::<Value>(rest) else {
                    return compare(rest);
                };
                if let Err(e) = same(&a, &b, "$") {
                    panic!("{text:?}: {e}");
                }
                Verdict::Deviation("leading BOM")
            } else if why.starts_with("number out of range") {
                assert!(has_number_beyond_f64(&a), "{text:?}: {why}");
                Verdict::Deviation("number beyond f64")
            } else if why.starts_with("recursion limit exceeded") {
                assert_eq!(depth(&a), MAX_DEPTH, "{text:?}: {why}");
                Verdict::Deviation("depth 128")
            } else {
                panic!("{text:?}: we accept {a}, serde_json says {why}");
            }
        }
        (Err(e), Ok(b)) => panic!("{text:?}: we refuse ({e}), serde_json reads {b}"),
    }
}

// ---------------------------------------------------------------------------------------
// The seeded generator and the mutator
// ---------------------------------------------------------------------------------------

/// Writes random valid JSON texts: varied whitespace, every escape, non-ASCII text,
/// surrogate pairs, numbers of every shape (within the `f64` range), repeated keys, and now
/// and then a chain nested up to 127 levels (serde_json's limit).
struct Gen(Jitter);

impl Gen {
    /// A uniform value in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        let max = u32::try_from(n.saturating_sub(1)).unwrap_or(u32::MAX);
        self.0.below_or_eq(max) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    fn blank(&mut self, out: &mut String) {
        if self.chance(70) {
            return;
        }
        for _ in 0..=self.below(3) {
            out.push(self.pick(&[' ', '\t', '\n', '\r']));
        }
    }

    fn hex4(&mut self, out: &mut String, unit: u32) {
        let text = format!("{unit:04x}");
        if self.chance(50) {
            out.push_str(&text.to_uppercase());
        } else {
            out.push_str(&text);
        }
    }

    fn string(&mut self, out: &mut String) {
        out.push('"');
        for _ in 0..self.below(6) {
            match self.below(7) {
                0 | 1 => {
                    // A plain run, often longer than the 8-byte steps of `plain_run_end`.
                    for _ in 0..self.below(24) {
                        let c = self.pick(b" !#$%&'()*+,-./09:;<=>?@AZ[]^_`az{|}~");
                        out.push(char::from(c));
                    }
                }
                2 => out.push(self.pick(&[
                    'é',
                    'Ж',
                    '中',
                    '😀',
                    '\u{2028}',
                    '\u{feff}',
                    '\u{7f}',
                    '\u{10ffff}',
                    '\u{fffd}',
                ])),
                3 => out.push_str(
                    self.pick(&["\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"]),
                ),
                4 => {
                    // A BMP character other than a surrogate.
                    let mut unit = self.0.below_or_eq(0xffff);
                    if (0xd800..0xe000).contains(&unit) {
                        unit -= 0x800;
                    }
                    out.push_str("\\u");
                    self.hex4(out, unit);
                }
                5 => {
                    // A supplementary character as a surrogate pair.
                    let code = 0x10000 + self.0.below_or_eq(0xf_ffff);
                    out.push_str("\\u");
                    self.hex4(out, 0xd800 + ((code - 0x10000) >> 10));
                    out.push_str("\\u");
                    self.hex4(out, 0xdc00 + ((code - 0x10000) & 0x3ff));
                }
                _ => {
                    out.push_str("\\u");
                    let unit = self.0.below_or_eq(0x1f);
                    self.hex4(out, unit);
                }
            }
        }
        out.push('"');
    }

    fn digits(&mut self, out: &mut String, count: usize) {
        for _ in 0..count {
            out.push(char::from(self.pick(b"0123456789")));
        }
    }

    fn number(&mut self, out: &mut String) {
        if self.chance(40) {
            out.push('-');
        }
        if self.chance(25) {
            out.push('0');
        } else {
            out.push(char::from(self.pick(b"123456789")));
            let more = if self.chance(20) { 25 } else { 6 };
            let count = self.below(more);
            self.digits(out, count);
        }
        if self.chance(35) {
            out.push('.');
            let count = 1 + self.below(20);
            self.digits(out, count);
        }
        if self.chance(25) {
            out.push(self.pick(&['e', 'E']));
            out.push_str(self.pick(&["", "+", "-"]));
            // Up to 10^±280 with at most 26 integer and 20 fraction digits: the value
            // stays a normal f64 (or zero).
            let exponent = self.below(281);
            let zeros = "0".repeat(self.below(3));
            out.push_str(&format!("{zeros}{exponent}"));
        }
    }

    fn key(&mut self, out: &mut String) {
        // A small pool, so keys repeat (also as different spellings of the same text).
        match self.below(8) {
            0 => out.push_str("\"a\""),
            1 => out.push_str("\"\\u0061\""),
            2 => out.push_str("\"ID\""),
            3 => out.push_str("\"\""),
            4 => out.push_str("\"\\u00e9\""),
            5 => out.push_str("\"é\""),
            _ => self.string(out),
        }
    }

    fn value(&mut self, out: &mut String, depth: usize) {
        let kinds = if depth >= 5 { 5 } else { 8 };
        match self.below(kinds) {
            0 => out.push_str(self.pick(&["null", "true", "false"])),
            1 | 2 => self.number(out),
            3 | 4 => self.string(out),
            5 | 6 if self.chance(2) => self.chain(out, depth),
            5 => self.container(out, depth, false),
            _ => self.container(out, depth, true),
        }
    }

    /// An array, or an object when `object`: up to four items, blanks around them.
    fn container(&mut self, out: &mut String, depth: usize, object: bool) {
        out.push(if object { '{' } else { '[' });
        self.blank(out);
        for i in 0..self.below(5) {
            if i > 0 {
                out.push(',');
                self.blank(out);
            }
            if object {
                self.key(out);
                self.blank(out);
                out.push(':');
                self.blank(out);
            }
            self.value(out, depth + 1);
            self.blank(out);
        }
        out.push(if object { '}' } else { ']' });
    }

    /// Arrays and objects nested up to 127 levels in all, around a scalar.
    fn chain(&mut self, out: &mut String, depth: usize) {
        let levels = 1 + self.below(127 - depth);
        let mut closers = Vec::with_capacity(levels);
        for _ in 0..levels {
            if self.chance(50) {
                out.push('[');
                closers.push(']');
            } else {
                out.push_str("{\"k\":");
                closers.push('}');
            }
        }
        self.number(out);
        out.extend(closers.iter().rev());
    }

    fn document(&mut self) -> String {
        let mut out = String::new();
        self.blank(&mut out);
        self.value(&mut out, 0);
        self.blank(&mut out);
        out
    }

    /// `text` changed in one to three places: a character dropped, inserted or replaced
    /// (JSON punctuation, digits, letters of the literals, raw control characters, a BOM),
    /// a cut, a quote turned into `'`, a broken or surrogate escape, a repeated slice.
    fn mutate(&mut self, text: &str) -> String {
        const CHARS: [char; 30] = [
            '"', '\\', ',', ':', '[', ']', '{', '}', '0', '1', '9', '-', '+', '.', 'e', 'E', ' ',
            '\t', '\n', '\u{feff}', '\'', 'n', 't', 'f', 'u', 'é', '\u{0}', '\u{7f}', '\u{1f}',
            '\u{b}',
        ];
        const ESCAPES: [&str; 10] = [
            "\\",
            "\\u",
            "\\u12",
            "\\ud800",
            "\\udc00",
            "\\uDBFF\\uDFFF",
            "\\ud800\\u0041",
            "\\uD83D\\uE000",
            "\\x",
            "\\U0041",
        ];
        let mut chars: Vec<char> = text.chars().collect();
        for _ in 0..=self.below(3) {
            let at = self.below(chars.len() + 1);
            match self.below(8) {
                0 if at < chars.len() => {
                    chars.remove(at);
                }
                1 => chars.insert(at, self.pick(&CHARS)),
                2 if at < chars.len() => chars[at] = self.pick(&CHARS),
                3 => chars.truncate(at),
                4 => {
                    if let Some(quote) = chars.iter().skip(at).position(|&c| c == '"') {
                        chars[at + quote] = '\'';
                    }
                }
                5 => {
                    let raw = char::from_u32(self.0.below_or_eq(0x1f)).unwrap_or('\0');
                    chars.insert(at, raw);
                }
                6 => {
                    let escape = self.pick(&ESCAPES);
                    chars.splice(at..at, escape.chars());
                }
                _ => {
                    let from = self.below(chars.len() + 1);
                    let to = (from + self.below(8)).min(chars.len());
                    let slice: Vec<char> = chars[from..to].to_vec();
                    chars.splice(at..at, slice);
                }
            }
        }
        chars.into_iter().collect()
    }
}

// ---------------------------------------------------------------------------------------
// The property tests
// ---------------------------------------------------------------------------------------

#[test]
fn generated_documents_read_like_serde_json() {
    let mut deep = 0;
    for seed in 0..DOCS {
        let mut g = Gen(Jitter::new(seed));
        let text = g.document();
        let verdict = compare(&text);
        assert_eq!(verdict, Verdict::BothAccept, "seed {seed}: {text:?}");
        if ours(&text).is_ok_and(|v| depth(&v) > 20) {
            deep += 1;
        }
    }
    // The generator really makes deep documents, too.
    assert!(deep > 50, "{deep}");
}

#[test]
fn mutated_documents_are_judged_like_serde_json() {
    let (mut accepted, mut rejected, mut deviations) = (0, 0, 0);
    for seed in 0..DOCS {
        let mut g = Gen(Jitter::new(seed));
        let text = g.document();
        for _ in 0..MUTATIONS_PER_DOC {
            let bad = g.mutate(&text);
            match compare(&bad) {
                Verdict::BothAccept => accepted += 1,
                Verdict::BothReject => rejected += 1,
                Verdict::Deviation(_) => deviations += 1,
            }
        }
    }
    // Most mutations break the text, some keep it valid (a digit, a space, a letter
    // inside a string): both kinds are exercised.
    assert!(
        rejected > 25_000 && accepted > 5_000,
        "{accepted} {rejected} {deviations}"
    );
}

// ---------------------------------------------------------------------------------------
// The classic hard cases
// ---------------------------------------------------------------------------------------

#[test]
fn a_leading_byte_order_mark_is_skipped_and_nothing_else() {
    // A portal answer with a BOM (an on-premise PHP file saved with one) reads as without.
    let text = "\u{feff}{\"result\":[1,\"é\"],\"total\":1}";
    assert!(serde_json::from_str::<Value>(text).is_err());
    assert_eq!(compare(text), Verdict::Deviation("leading BOM"));
    assert_eq!(ours(text), ours(&text[3..]));
    assert!(skips(text));
    let mut r = Reader::new(text);
    r.object_start().unwrap();
    assert_eq!(r.object_key(&mut true).unwrap().as_deref(), Some("result"));
    // Offsets still count the BOM's three bytes.
    assert_eq!(ours("\u{feff}[1,]").unwrap_err().offset, 6);
    assert_eq!(
        ours("\u{feff}").unwrap_err().message,
        "unexpected end of input"
    );
    // Anywhere else a BOM outside a string is an error, in both parsers; inside, text.
    for bad in [
        " \u{feff}1",
        "\u{feff}\u{feff}1",
        "[\u{feff}1]",
        "[1,\u{feff}2]",
        "{\"a\"\u{feff}:1}",
        "1\u{feff}",
    ] {
        assert_eq!(compare(bad), Verdict::BothReject, "{bad:?}");
    }
    assert_eq!(compare("\"\u{feff}\""), Verdict::BothAccept);
    assert_eq!(ours("\"\u{feff}\"").unwrap().as_str(), Some("\u{feff}"));
}

#[test]
fn surrogates_paired_lone_and_skipped() {
    // (text, the decoded string if valid, whether skipping accepts it)
    for (text, want, skip_ok) in [
        (r#""\ud83d\ude00""#, Some("😀"), true),
        (r#""\uD83D\uDE00""#, Some("😀"), true),
        (r#""\ud800\udc00""#, Some("\u{10000}"), true),
        (r#""\udbff\udfff""#, Some("\u{10ffff}"), true),
        (r#""\ud7ff\ue000""#, Some("\u{d7ff}\u{e000}"), true),
        // Lone surrogates: refused when read, tolerated when skipped (as serde_json does).
        (r#""\ud800""#, None, true),
        (r#""\udc00""#, None, true),
        (r#""\udfff\ud800""#, None, true),
        (r#""\ud800\ud800""#, None, true),
        (r#""\ud800\u0041""#, None, true),
        (r#""\ud800\ue000""#, None, true),
        (r#""\ud800x""#, None, true),
        (r#""\ud800\n""#, None, true),
        (r#""\ud800\\""#, None, true),
        (r#"{"\ud800":1}"#, None, true),
        // Broken syntax after a high surrogate: refused either way.
        (r#""\ud800\""#, None, false),
        (r#""\ud800\u12""#, None, false),
        (r#""\ud800\uzzzz""#, None, false),
    ] {
        let verdict = compare(text);
        assert_eq!(skips(text), skip_ok, "{text}");
        match want {
            Some(s) => {
                assert_eq!(verdict, Verdict::BothAccept, "{text}");
                assert_eq!(ours(text).unwrap().as_str(), Some(s), "{text}");
            }
            None => assert_eq!(verdict, Verdict::BothReject, "{text}"),
        }
    }
    assert_eq!(
        ours(r#"["\ud800"]"#).unwrap_err().message,
        "lone surrogate in a \\u escape"
    );
}

#[test]
fn deep_nesting_stops_at_the_documented_limit() {
    let arrays = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    let objects = |n: usize| format!("{}0{}", "{\"a\":".repeat(n), "}".repeat(n));
    let mixed = |n: usize| format!("{}null{}", "[{\"a\":".repeat(n / 2), "}]".repeat(n / 2));
    let nests: [fn(usize) -> String; 3] = [arrays, objects, mixed];
    for nest in nests {
        assert_eq!(compare(&nest(126)), Verdict::BothAccept);
        assert_eq!(compare(&nest(127)), Verdict::BothAccept);
        // serde_json's recursion limit refuses 128 levels; we accept exactly MAX_DEPTH.
        assert_eq!(compare(&nest(128)), Verdict::Deviation("depth 128"));
        assert_eq!(compare(&nest(130)), Verdict::BothReject);
        assert_eq!(ours(&nest(130)).unwrap_err().message, "nesting too deep");
        // No stack overflow, parsed or skipped (serde_json ignores at any depth; we do not).
        assert!(!skips(&nest(130)) && skips(&nest(128)));
        assert_eq!(compare(&nest(100_000)), Verdict::BothReject);
    }
    let unclosed = "[{\"a\":".repeat(100_000);
    assert_eq!(compare(&unclosed), Verdict::BothReject);
}

#[test]
fn huge_tiny_and_negative_zero_numbers() {
    let number = |text: &str| match ours(text) {
        Ok(Json::Number(n)) => n,
        other => panic!("{text}: {other:?}"),
    };
    // Agreement, with serde_json's integer/float split.
    for text in [
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "123456789012345678901234567890",
        "1.7976931348623157e308",
        "2.2250738585072014e-308",
        "1e-400",
        "-1e-400",
        "0e999999999999999999",
        "0.000000000000000000000000000000000001e36",
        "100000000000000000000000000000000000000000000e-44",
        "[9007199254740993, 4.9e-324]",
    ] {
        assert_eq!(compare(text), Verdict::BothAccept, "{text}");
    }
    assert_eq!(number("18446744073709551615").as_u64(), Some(u64::MAX));
    assert_eq!(number("18446744073709551616").as_u64(), None);
    assert_eq!(number("1e-400").to_f64(), Some(0.0));
    // Out of f64 range: kept as text by us, refused by serde_json.
    let digits400 = format!("1{}", "0".repeat(400));
    for text in [
        "1e400",
        "-1e309",
        "1E+99999999999999999999",
        digits400.as_str(),
        "[1,{\"a\":-2e400}]",
    ] {
        assert_eq!(
            compare(text),
            Verdict::Deviation("number beyond f64"),
            "{text}"
        );
    }
    let huge = number(&digits400);
    assert_eq!(
        (huge.as_str(), huge.to_f64(), huge.as_u64()),
        (digits400.as_str(), None, None)
    );
    assert_eq!(ours("-1e309").unwrap().encode(), "-1e309");
    // Negative zero: serde_json makes it the float -0.0; we keep the text, with the sign.
    for text in ["-0", "-0.0", "-0e5", "-0.000E-3"] {
        assert_eq!(compare(text), Verdict::BothAccept, "{text}");
        let n = number(text);
        assert_eq!(n.as_str(), text);
        assert_eq!(n.as_u64(), None);
        assert!(n.to_f64().is_some_and(|f| f == 0.0 && f.is_sign_negative()));
    }
    assert!(serde_json::from_str::<Value>("-0").unwrap().is_f64());
    assert_eq!(ours("[-0]").unwrap().encode(), "[-0]");
    for bad in [
        "01", "-01", "1.", ".1", "+1", "1e", "1e+", "- 1", "0x1", "Infinity", "NaN",
    ] {
        assert_eq!(compare(bad), Verdict::BothReject, "{bad}");
    }
}

#[test]
fn duplicate_keys_are_kept_and_the_last_one_wins() {
    let text = r#"{"a":1,"b":{"x":1,"x":[2]},"a":3,"\u0061":4}"#;
    // serde_json keeps one `a` (4) and one `x` ([2]); `compare` checks `get` gives those.
    assert_eq!(compare(text), Verdict::BothAccept);
    let v = ours(text).unwrap();
    let keys: Vec<&str> = v
        .as_object()
        .unwrap()
        .iter()
        .map(|m| m.0.as_str())
        .collect();
    assert_eq!(keys, ["a", "b", "a", "a"]);
    assert_eq!(v.get("a").and_then(Json::as_u64), Some(4));
    // All members survive a round trip through our serializer, in document order.
    assert_eq!(v.encode(), r#"{"a":1,"b":{"x":1,"x":[2]},"a":3,"a":4}"#);
}

#[test]
fn control_characters_only_escaped_in_strings() {
    for byte in 0u8..0x20 {
        let c = char::from(byte);
        // Raw in a string or a key: refused by both.
        for text in [format!("\"a{c}b\""), format!("{{\"{c}\":1}}")] {
            assert_eq!(compare(&text), Verdict::BothReject, "{text:?}");
        }
        // Between tokens: only tab, LF and CR are whitespace.
        let between = format!("[1,{c}2]");
        let blank = matches!(c, '\t' | '\n' | '\r');
        let want = if blank {
            Verdict::BothAccept
        } else {
            Verdict::BothReject
        };
        assert_eq!(compare(&between), want, "{between:?}");
        // Escaped: the same text in both, and written back as serde_json writes it.
        let escaped = format!("\"\\u{:04X}\"", u32::from(byte));
        assert_eq!(compare(&escaped), Verdict::BothAccept, "{escaped}");
        assert_eq!(
            ours(&escaped).unwrap().as_str(),
            Some(c.to_string().as_str())
        );
    }
    // DEL and the C1 controls are ordinary characters in JSON.
    assert_eq!(compare("\"\u{7f}\u{85}\u{9f}\""), Verdict::BothAccept);
}

#[test]
fn an_invalid_escape_is_reported_at_a_character_boundary() {
    // Regression: reading (not skipping) reported it one byte further, inside the `é`.
    let text = "\"a\\éb\"";
    let e = ours(text).unwrap_err();
    assert_eq!((e.offset, e.message), (3, "invalid escape"));
    assert!(text.is_char_boundary(e.offset));
    assert_eq!(skip(text), Err(e));
    // A `\` at the very end is an unterminated string, read or skipped.
    assert_eq!(skip("\"a\\"), ours("\"a\\").map(|_| ()));
    assert_eq!(ours("\"a\\").unwrap_err().message, "unterminated string");
}
