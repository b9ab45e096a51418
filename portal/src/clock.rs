//! Dates as the portal prints them, and the `time` member of every answer.
//!
//! Dates go through `CRestUtil::ConvertDateTime` → `date('c')`: ISO 8601 with the portal's
//! offset (this model's portal runs at +03:00, Moscow), `""` when unset
//! (docs/platform/task-list.md, "Value types").

use serde_json::{Map, Number, Value};

/// The portal's UTC offset in seconds (+03:00).
pub const PORTAL_OFFSET_S: i64 = 3 * 3600;

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

/// Appends `date('c', unix_s)` in the portal's offset, e.g. `2024-08-29T10:29:54+03:00`.
pub fn push_iso(out: &mut String, unix_s: i64) {
    use std::fmt::Write;
    let local = unix_s + PORTAL_OFFSET_S;
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let _ = write!(
        out,
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+03:00",
        secs / 3600,
        (secs % 3600) / 60,
        secs % 60
    );
}

/// `date('c', unix_s)` as a new string.
pub fn iso(unix_s: i64) -> String {
    let mut s = String::with_capacity(25);
    push_iso(&mut s, unix_s);
    s
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
    /// The `time` object: `start, finish, duration, processing, date_start, date_finish,
    /// operating_reset_at, operating` (DOCS `api-reference/data-types.md#time`).
    pub fn to_json(&self) -> Value {
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
            Value::String(iso((self.start_ms / 1000) as i64)),
        );
        m.insert(
            "date_finish".into(),
            Value::String(iso((finish_ms / 1000) as i64)),
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
