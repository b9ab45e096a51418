//! Dates as the portal prints them, and the `time` member of every answer.
//!
//! Dates go through `CRestUtil::ConvertDateTime` → `date('c')`: ISO 8601 with the portal's
//! offset (by default +03:00, Moscow; `PortalConfig::utc_offset_s`), `""` when unset
//! (docs/platform/task-list.md, "Value types"). Filter values are read back with
//! [`parse_filter_date`] (docs/platform/task-list.md, "Date values in FILTER").

use serde_json::{Map, Number, Value};

/// The model portal's default UTC offset in seconds (+03:00, Moscow).
pub const DEFAULT_UTC_OFFSET_S: i32 = 3 * 3600;

/// The offsets a portal may have: −12:00 ..= +14:00 (the time zones in use).
pub const UTC_OFFSET_RANGE_S: std::ops::RangeInclusive<i32> = -12 * 3600..=14 * 3600;

const DAY: i64 = 86_400;

/// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian calendar.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// (year, month, day) → days since 1970-01-01; `None` for an impossible date.
fn days_from_civil(y: i64, m: u32, d: u32) -> Option<i64> {
    let month_len = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => return None,
    };
    if d == 0 || d > month_len {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// `+03:00`, `-05:30`, `+00:00` for an offset in seconds.
pub fn format_offset(offset_s: i32) -> String {
    let sign = if offset_s < 0 { '-' } else { '+' };
    let a = offset_s.unsigned_abs();
    format!("{sign}{:02}:{:02}", a / 3600, (a % 3600) / 60)
}

/// Reads an offset written `+03:00`, `+0300`, `+03`, `-5`, `Z` or `UTC` (within
/// [`UTC_OFFSET_RANGE_S`], whole minutes); `None` otherwise.
pub fn parse_offset(text: &str) -> Option<i32> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("z") || t.eq_ignore_ascii_case("utc") {
        return Some(0);
    }
    let (sign, rest) = match t.as_bytes().first()? {
        b'+' => (1, &t[1..]),
        b'-' => (-1, &t[1..]),
        _ => return None,
    };
    let digits = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) if digits(h) && m.len() == 2 && digits(m) => (h, m),
        Some(_) => return None,
        None if rest.len() == 4 && rest.bytes().all(|b| b.is_ascii_digit()) => {
            (&rest[..2], &rest[2..])
        }
        None if digits(rest) => (rest, "0"),
        None => return None,
    };
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if m >= 60 {
        return None;
    }
    let off = sign * (h * 3600 + m * 60);
    UTC_OFFSET_RANGE_S.contains(&off).then_some(off)
}

/// Appends `date('c', unix_s)` at `offset_s`, e.g. `2024-08-29T10:29:54+03:00`.
pub fn push_iso_in(out: &mut String, unix_s: i64, offset_s: i32) {
    use std::fmt::Write;
    let local = unix_s + i64::from(offset_s);
    let days = local.div_euclid(DAY);
    let secs = local.rem_euclid(DAY);
    let (y, m, d) = civil_from_days(days);
    let _ = write!(
        out,
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        secs / 3600,
        (secs % 3600) / 60,
        secs % 60
    );
    out.push_str(&format_offset(offset_s));
}

/// `date('c', unix_s)` at `offset_s` as a new string.
pub fn iso_in(unix_s: i64, offset_s: i32) -> String {
    let mut s = String::with_capacity(25);
    push_iso_in(&mut s, unix_s, offset_s);
    s
}

/// Appends `date('c', unix_s)` at the default offset (+03:00).
pub fn push_iso(out: &mut String, unix_s: i64) {
    push_iso_in(out, unix_s, DEFAULT_UTC_OFFSET_S);
}

/// `date('c', unix_s)` at the default offset (+03:00), as a new string.
pub fn iso(unix_s: i64) -> String {
    iso_in(unix_s, DEFAULT_UTC_OFFSET_S)
}

/// The Unix second of local midnight (at `offset_s`) of the day holding `unix_s`.
pub fn local_midnight(unix_s: i64, offset_s: i32) -> i64 {
    let off = i64::from(offset_s);
    (unix_s + off).div_euclid(DAY) * DAY - off
}

/// Day of the week at `offset_s`: 0 = Monday … 6 = Sunday.
pub fn local_weekday(unix_s: i64, offset_s: i32) -> i64 {
    // 1970-01-01 was a Thursday (3).
    ((unix_s + i64::from(offset_s)).div_euclid(DAY) + 3).rem_euclid(7)
}

fn digits_num<T: std::str::FromStr>(s: &str, len: usize) -> Option<T> {
    (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// `HH:MM[:SS]` → seconds of the day.
fn time_of_day(t: &str) -> Option<i64> {
    let mut parts = t.split(':');
    let h: i64 = digits_num(parts.next()?, 2)?;
    let m: i64 = digits_num(parts.next()?, 2)?;
    let s: i64 = match parts.next() {
        Some(p) => digits_num(p, 2)?,
        None => 0,
    };
    if parts.next().is_some() || h > 23 || m > 59 || s > 59 {
        return None;
    }
    Some(h * 3600 + m * 60 + s)
}

/// Reads a date value of a FILTER (docs/platform/task-list.md, "Date values in FILTER"):
/// ISO 8601 with an offset (`2025-10-24T19:00:00+02:00`, also `Z`), without one
/// (`2025-10-24T19:00:00`, portal time), a date (`2025-10-24`, portal midnight) or the
/// portal's site format `24.10.2025` / `24.10.2025 19:00[:00]` (portal time). `None` when the
/// text is none of these.
pub fn parse_filter_date(text: &str, offset_s: i32) -> Option<i64> {
    let t = text.trim();
    let local = |days: i64, secs: i64| days * DAY + secs - i64::from(offset_s);
    if t.len() >= 10 && t.as_bytes().get(4) == Some(&b'-') {
        let (date, rest) = t.split_at(10);
        let mut p = date.split('-');
        let y: i64 = digits_num(p.next()?, 4)?;
        let m: u32 = digits_num(p.next()?, 2)?;
        let d: u32 = digits_num(p.next()?, 2)?;
        let days = days_from_civil(y, m, d)?;
        if rest.is_empty() {
            return Some(local(days, 0));
        }
        let rest = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' '))?;
        let cut = rest.find(['+', '-', 'Z', 'z']).unwrap_or(rest.len());
        let (clock, zone) = rest.split_at(cut);
        let secs = time_of_day(clock)?;
        if zone.is_empty() {
            return Some(local(days, secs));
        }
        let off = parse_offset(zone)?;
        return Some(days * DAY + secs - i64::from(off));
    }
    if t.len() >= 10 && t.as_bytes().get(2) == Some(&b'.') {
        let (date, rest) = t.split_at(10);
        let mut p = date.split('.');
        let d: u32 = digits_num(p.next()?, 2)?;
        let m: u32 = digits_num(p.next()?, 2)?;
        let y: i64 = digits_num(p.next()?, 4)?;
        let days = days_from_civil(y, m, d)?;
        let secs = match rest.strip_prefix(' ') {
            None if rest.is_empty() => 0,
            Some(clock) => time_of_day(clock)?,
            None => return None,
        };
        return Some(local(days, secs));
    }
    None
}

/// What the `time` member of an answer reports.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeInfo {
    /// Request start, Unix ms.
    pub start_ms: u64,
    /// Simulated server time of this call, ms.
    pub processing_ms: u64,
    /// When the oldest operating-limit bucket of the method drops out (Unix s).
    pub operating_reset_at: i64,
    /// Seconds of the method's operating budget used in the current window.
    pub operating: f64,
}

fn num(f: f64) -> Value {
    Number::from_f64(f).map_or(Value::Null, Value::Number)
}

impl TimeInfo {
    /// The `time` object at the default offset ([`TimeInfo::to_json_in`]).
    pub fn to_json(&self) -> Value {
        self.to_json_in(DEFAULT_UTC_OFFSET_S)
    }

    /// The `time` object: `start, finish, duration, processing, date_start, date_finish,
    /// operating_reset_at, operating` (DOCS `api-reference/data-types.md#time`), its dates at
    /// the portal's `offset_s`.
    pub fn to_json_in(&self, offset_s: i32) -> Value {
        let start = self.start_ms as f64 / 1000.0;
        let processing = self.processing_ms as f64 / 1000.0;
        let finish_ms = self.start_ms.saturating_add(self.processing_ms);
        let mut m = Map::new();
        m.insert("start".into(), num(start));
        m.insert("finish".into(), num(finish_ms as f64 / 1000.0));
        m.insert("duration".into(), num(processing));
        m.insert("processing".into(), num(processing));
        m.insert(
            "date_start".into(),
            Value::String(iso_in((self.start_ms / 1000) as i64, offset_s)),
        );
        m.insert(
            "date_finish".into(),
            Value::String(iso_in((finish_ms / 1000) as i64, offset_s)),
        );
        m.insert(
            "operating_reset_at".into(),
            Value::Number(self.operating_reset_at.into()),
        );
        m.insert("operating".into(), num(self.operating));
        Value::Object(m)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn iso_uses_the_portal_offset() {
        assert_eq!(iso(0), "1970-01-01T03:00:00+03:00");
        // 2024-08-29T07:29:54Z
        assert_eq!(iso(1_724_916_594), "2024-08-29T10:29:54+03:00");
        // Leap day, and a date before 1970.
        assert_eq!(iso(1_709_164_800), "2024-02-29T03:00:00+03:00");
        assert_eq!(iso(-86_400), "1969-12-31T03:00:00+03:00");
    }

    #[test]
    fn iso_in_other_offsets() {
        assert_eq!(iso_in(1_724_916_594, 2 * 3600), "2024-08-29T09:29:54+02:00");
        assert_eq!(iso_in(1_724_916_594, 0), "2024-08-29T07:29:54+00:00");
        assert_eq!(
            iso_in(1_724_916_594, -(5 * 3600 + 1800)),
            "2024-08-29T01:59:54-05:30"
        );
        // Crossing midnight backwards.
        assert_eq!(iso_in(1_709_164_800, -3600), "2024-02-28T23:00:00-01:00");
    }

    #[test]
    fn offsets_parse_and_format() {
        for (text, s) in [
            ("+03:00", 10_800),
            ("+0300", 10_800),
            ("+3", 10_800),
            ("-05:30", -19_800),
            ("Z", 0),
            ("UTC", 0),
            ("+14:00", 50_400),
        ] {
            assert_eq!(parse_offset(text), Some(s), "{text}");
        }
        for bad in [
            "",
            "3",
            "+15:00",
            "+03:60",
            "+3:0",
            "+03:00:00",
            "Moscow",
            "-13",
        ] {
            assert_eq!(parse_offset(bad), None, "{bad}");
        }
        assert_eq!(format_offset(10_800), "+03:00");
        assert_eq!(format_offset(-19_800), "-05:30");
        assert_eq!(format_offset(0), "+00:00");
    }

    #[test]
    fn local_days_and_weekdays() {
        // 2026-01-01T00:00:00Z is a Thursday; at +03:00 it is 03:00 the same day.
        let t = 1_767_225_600;
        assert_eq!(local_weekday(t, 10_800), 3);
        assert_eq!(local_midnight(t, 10_800), t - 10_800);
        // At -05:00 it is still Wednesday 31 December, 19:00.
        assert_eq!(local_weekday(t, -18_000), 2);
        assert_eq!(local_midnight(t, -18_000), t - 86_400 + 18_000);
    }

    #[test]
    fn filter_dates_in_every_accepted_form() {
        let off = 10_800;
        let at = 1_761_325_200; // 2025-10-24T17:00:00Z = 19:00 at +02:00 = 20:00 at +03:00
        assert_eq!(
            parse_filter_date("2025-10-24T19:00:00+02:00", off),
            Some(at)
        );
        assert_eq!(parse_filter_date("2025-10-24T17:00:00Z", off), Some(at));
        assert_eq!(parse_filter_date("2025-10-24T20:00:00", off), Some(at));
        assert_eq!(parse_filter_date("2025-10-24 20:00:00", off), Some(at));
        assert_eq!(parse_filter_date("24.10.2025 20:00:00", off), Some(at));
        assert_eq!(parse_filter_date("24.10.2025 20:00", off), Some(at));
        let midnight = at - 20 * 3600;
        assert_eq!(parse_filter_date("2025-10-24", off), Some(midnight));
        assert_eq!(parse_filter_date("24.10.2025", off), Some(midnight));
        // The same date at another portal offset is another instant.
        assert_eq!(
            parse_filter_date("2025-10-24", 0),
            Some(midnight + off as i64)
        );
        for bad in [
            "",
            "yesterday",
            "2025-13-01",
            "2025-02-30",
            "2025-10-24T25:00:00",
            "2025-10-24T19:00:00+99:00",
            "24/10/2025",
            "1761325200",
            "2025-10-24X",
        ] {
            assert_eq!(parse_filter_date(bad, off), None, "{bad}");
        }
    }

    #[test]
    fn time_member_key_order() {
        let t = TimeInfo {
            start_ms: 1_712_132_009_328,
            processing_ms: 250,
            operating_reset_at: 1_712_132_609,
            operating: 0.25,
        };
        let keys: Vec<String> = t.to_json().as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            keys,
            [
                "start",
                "finish",
                "duration",
                "processing",
                "date_start",
                "date_finish",
                "operating_reset_at",
                "operating"
            ]
        );
        assert_eq!(t.to_json()["finish"], serde_json::json!(1_712_132_009.578));
    }
}
