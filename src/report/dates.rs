//! Pure date and duration logic of the report (issue 14): the portal's task dates
//! ([`PortalTime`]: the instant and the offset the portal wrote, 8 bytes), their parsing from
//! ISO 8601 (`docs/platform/task-list.md`, "Date values in FILTER": `datetime` is
//! `YYYY-MM-DDThh:mm:ss±hh:mm`), civil dates in the portal's offset, deadline buckets and
//! relative deadline text, and durations as `H:MM`.
//!
//! Nothing here knows the browser's time zone: every local date is computed in the offset the
//! portal wrote. Texts are named by [`Rel`]; the UI language's words live in `i18n`.

use std::num::NonZeroI64;

/// Bias added to the offset in minutes so that the packed value is never zero.
const OFFSET_BIAS: i64 = 2048;
/// Largest accepted offset magnitude in minutes (real offsets are within ±14:00).
const MAX_OFFSET_MIN: i64 = 18 * 60;
const DAY: i64 = 86_400;

/// A point in time as the portal wrote it: unix seconds and the writer's UTC offset in
/// minutes, packed into one non-zero `i64` so `Option<PortalTime>` is 8 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PortalTime(NonZeroI64);

impl PortalTime {
    /// The time at unix `secs` written with `offset_min` minutes east of UTC; `None` when the
    /// offset is beyond ±18:00 or the seconds beyond ±2^50.
    pub fn new(secs: i64, offset_min: i32) -> Option<Self> {
        let offset = i64::from(offset_min);
        if offset.abs() > MAX_OFFSET_MIN || secs.unsigned_abs() >= 1 << 50 {
            return None;
        }
        NonZeroI64::new((secs << 12) | (offset + OFFSET_BIAS)).map(Self)
    }

    /// Unix seconds (the instant; compare these to order times).
    pub fn unix(self) -> i64 {
        self.0.get() >> 12
    }

    /// The offset the portal wrote, in minutes east of UTC.
    pub fn offset_min(self) -> i32 {
        #[allow(clippy::cast_possible_truncation)]
        let offset = ((self.0.get() & 0xfff) - OFFSET_BIAS) as i32;
        offset
    }

    /// The local civil date and time in the written offset.
    pub fn local(self) -> Civil {
        Civil::from_local_secs(self.unix() + i64::from(self.offset_min()) * 60)
    }

    /// Parses `YYYY-MM-DDThh:mm[:ss[.fff]]±hh:mm` (or `Z`, or `±hhmm`); also a space for `T`.
    /// A date alone (`YYYY-MM-DD`) is midnight at UTC+0 since no offset was written. Empty
    /// text or anything else is `None` (never a panic).
    pub fn parse(text: &str) -> Option<Self> {
        let s = text.trim().as_bytes();
        let num = |from: usize, len: usize| -> Option<i64> {
            let part = s.get(from..from + len)?;
            part.iter().try_fold(0i64, |acc, &b| {
                b.is_ascii_digit().then(|| acc * 10 + i64::from(b - b'0'))
            })
        };
        let year = num(0, 4)?;
        let month = num(5, 2)?;
        let day = num(8, 2)?;
        if s.get(4) != Some(&b'-') || s.get(7) != Some(&b'-') {
            return None;
        }
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        let days = days_from_civil(year, month, day);
        if s.len() == 10 {
            return Self::new(days * DAY, 0);
        }
        if !matches!(s.get(10), Some(b'T' | b't' | b' ')) || s.get(13) != Some(&b':') {
            return None;
        }
        let (hour, minute) = (num(11, 2)?, num(14, 2)?);
        let mut i = 16;
        let mut second = 0;
        if s.get(i) == Some(&b':') {
            second = num(17, 2)?;
            i = 19;
            if s.get(i) == Some(&b'.') {
                i += 1;
                while s.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
            }
        }
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        let offset = match s.get(i..)? {
            b"Z" | b"z" => 0,
            [sign @ (b'+' | b'-'), rest @ ..] => {
                let (oh, om) = match rest {
                    [_, _, b':', _, _] => (num(i + 1, 2)?, num(i + 4, 2)?),
                    [_, _, _, _] => (num(i + 1, 2)?, num(i + 3, 2)?),
                    [_, _] => (num(i + 1, 2)?, 0),
                    _ => return None,
                };
                if om > 59 {
                    return None;
                }
                let m = oh * 60 + om;
                if *sign == b'-' {
                    -m
                } else {
                    m
                }
            }
            _ => return None,
        };
        let local = days * DAY + hour * 3600 + minute * 60 + second;
        Self::new(local - offset * 60, i32::try_from(offset).ok()?)
    }

    /// ISO 8601 with the written offset (`2025-10-24T19:00:00+03:00`).
    pub fn iso(self) -> String {
        let c = self.local();
        let off = self.offset_min();
        let sign = if off < 0 { '-' } else { '+' };
        let off = off.unsigned_abs();
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
            c.year,
            c.month,
            c.day,
            c.hour,
            c.minute,
            c.second,
            off / 60,
            off % 60
        )
    }
}

/// A civil (wall-clock) date and time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Civil {
    /// Year (proleptic Gregorian).
    pub year: i64,
    /// Month 1–12.
    pub month: u8,
    /// Day 1–31.
    pub day: u8,
    /// Hour 0–23.
    pub hour: u8,
    /// Minute 0–59.
    pub minute: u8,
    /// Second 0–59.
    pub second: u8,
    /// Days since 1970-01-01 of this civil date.
    pub day_number: i64,
}

impl Civil {
    /// The civil time of `secs` local seconds since 1970-01-01T00:00 (local).
    pub fn from_local_secs(secs: i64) -> Self {
        let day_number = secs.div_euclid(DAY);
        let rem = secs.rem_euclid(DAY);
        let (year, month, day) = civil_from_days(day_number);
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Self {
            year,
            month: month as u8,
            day: day as u8,
            hour: (rem / 3600) as u8,
            minute: (rem % 3600 / 60) as u8,
            second: (rem % 60) as u8,
            day_number,
        }
    }

    /// Day of the week, 0 = Monday … 6 = Sunday.
    pub fn weekday(&self) -> i64 {
        // 1970-01-01 was a Thursday (3 counting from Monday = 0).
        (self.day_number + 3).rem_euclid(7)
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

/// Where a deadline falls relative to now, in the portal's offset (weeks start on Monday).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DeadlineBucket {
    /// The deadline instant has passed.
    Overdue,
    /// Later today (portal-local day).
    Today,
    /// Later this week (after today, up to Sunday).
    ThisWeek,
    /// Next Monday to next Sunday.
    NextWeek,
    /// After next week.
    Later,
    /// No deadline.
    None,
}

impl DeadlineBucket {
    /// Every bucket, in display order.
    pub const ALL: [DeadlineBucket; 6] = [
        Self::Overdue,
        Self::Today,
        Self::ThisWeek,
        Self::NextWeek,
        Self::Later,
        Self::None,
    ];

    /// The bucket of `deadline` at unix second `now`, with days counted in the deadline's
    /// offset (the portal's).
    pub fn of(deadline: Option<PortalTime>, now: i64) -> Self {
        let Some(deadline) = deadline else {
            return Self::None;
        };
        if deadline.unix() < now {
            return Self::Overdue;
        }
        let today = local_day(now, deadline.offset_min());
        let day = deadline.local();
        let monday = today.day_number - today.weekday();
        match day.day_number {
            d if d == today.day_number => Self::Today,
            d if d < monday + 7 => Self::ThisWeek,
            d if d < monday + 14 => Self::NextWeek,
            _ => Self::Later,
        }
    }
}

fn local_day(unix: i64, offset_min: i32) -> Civil {
    Civil::from_local_secs(unix + i64::from(offset_min) * 60)
}

/// A deadline relative to now, counted in portal-local days; the words are i18n's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rel {
    /// Due later today.
    Today,
    /// Due tomorrow.
    Tomorrow,
    /// Due in N (≥ 2) days.
    InDays(u32),
    /// The instant passed today (portal-local day).
    OverdueToday,
    /// Overdue by N (≥ 1) portal-local days.
    OverdueDays(u32),
}

impl Rel {
    /// The relative text's meaning of `deadline` at unix second `now`.
    pub fn of(deadline: PortalTime, now: i64) -> Self {
        let today = local_day(now, deadline.offset_min()).day_number;
        let day = deadline.local().day_number;
        let diff = u32::try_from((day - today).unsigned_abs()).unwrap_or(u32::MAX);
        if deadline.unix() < now {
            if diff == 0 {
                Self::OverdueToday
            } else {
                Self::OverdueDays(diff)
            }
        } else {
            match diff {
                0 => Self::Today,
                1 => Self::Tomorrow,
                n => Self::InDays(n),
            }
        }
    }
}

/// A duration in seconds as `H:MM` (minutes rounded down; hours unbounded: `125:05`).
pub fn hmm(secs: u64) -> String {
    format!("{}:{:02}", secs / 3600, secs % 3600 / 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> PortalTime {
        PortalTime::parse(s).unwrap_or_else(|| panic!("parse {s}"))
    }

    #[test]
    fn parse_keeps_instant_and_offset() {
        let a = t("2025-10-24T19:00:00+03:00");
        assert_eq!(a.unix(), 1_761_321_600);
        assert_eq!(a.offset_min(), 180);
        assert_eq!(a.iso(), "2025-10-24T19:00:00+03:00");
        let b = t("2025-10-24T16:00:00Z");
        assert_eq!(b.unix(), a.unix());
        assert_eq!(b.offset_min(), 0);
        let c = t("2025-10-24T06:30:00-09:30");
        assert_eq!(c.offset_min(), -570);
        assert_eq!(c.iso(), "2025-10-24T06:30:00-09:30");
        assert_eq!(t("1969-12-31T23:59:59+00:00").unix(), -1);
        assert_eq!(std::mem::size_of::<Option<PortalTime>>(), 8);
    }

    #[test]
    fn garbage_is_none() {
        for bad in [
            "",
            " ",
            "null",
            "2025-13-01T00:00:00+03:00",
            "2025-02-30T00:00:00+03:00",
            "2025-10-24T25:00:00+03:00",
            "2025-10-24T19:00:00+3",
            "2025-10-24T19:00:00+99:00",
            "24.10.2025 19:00",
            "2025-10-24T19:00:00+03:00junk",
            "2025-10-2",
            "２０２５-10-24",
        ] {
            assert_eq!(PortalTime::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn local_date_is_in_the_written_offset_around_midnight() {
        // 23:30 in Moscow is 20:30 UTC the same day; 00:30 in Moscow is the previous UTC day.
        let late = t("2025-10-24T23:30:00+03:00").local();
        assert_eq!(
            (late.year, late.month, late.day, late.hour),
            (2025, 10, 24, 23)
        );
        let early = t("2025-10-25T00:30:00+03:00");
        assert_eq!(early.local().day, 25);
        assert_eq!(Civil::from_local_secs(early.unix()).day, 24);
        assert_eq!(t("2025-10-24T00:00:00+03:00").local().weekday(), 4); // Friday
    }

    #[test]
    fn buckets_count_days_in_the_portal_offset() {
        // Now: Friday 2025-10-24 22:00 UTC = Saturday 01:00 in +03:00.
        let now = t("2025-10-24T22:00:00Z").unix();
        let b = |s: &str| DeadlineBucket::of(Some(t(s)), now);
        assert_eq!(b("2025-10-25T00:30:00+03:00"), DeadlineBucket::Overdue);
        assert_eq!(b("2025-10-25T19:00:00+03:00"), DeadlineBucket::Today);
        assert_eq!(b("2025-10-26T23:59:00+03:00"), DeadlineBucket::ThisWeek);
        assert_eq!(b("2025-10-27T00:00:00+03:00"), DeadlineBucket::NextWeek);
        assert_eq!(b("2025-11-02T23:59:00+03:00"), DeadlineBucket::NextWeek);
        assert_eq!(b("2025-11-03T00:00:00+03:00"), DeadlineBucket::Later);
        // The same instant in a UTC portal is still Friday: Saturday is "this week".
        assert_eq!(b("2025-10-24T23:00:00+00:00"), DeadlineBucket::Today);
        assert_eq!(b("2025-10-25T10:00:00+00:00"), DeadlineBucket::ThisWeek);
        assert_eq!(DeadlineBucket::of(None, now), DeadlineBucket::None);
    }

    #[test]
    fn relative_days_across_midnight() {
        let now = t("2025-10-24T23:50:00+03:00").unix();
        assert_eq!(Rel::of(t("2025-10-24T23:55:00+03:00"), now), Rel::Today);
        assert_eq!(Rel::of(t("2025-10-25T00:05:00+03:00"), now), Rel::Tomorrow);
        assert_eq!(Rel::of(t("2025-10-26T09:00:00+03:00"), now), Rel::InDays(2));
        assert_eq!(
            Rel::of(t("2025-10-24T09:00:00+03:00"), now),
            Rel::OverdueToday
        );
        assert_eq!(
            Rel::of(t("2025-10-21T09:00:00+03:00"), now),
            Rel::OverdueDays(3)
        );
        // In a -05:00 portal the same now is 15:50 on the 24th: 20:00 is still today.
        assert_eq!(Rel::of(t("2025-10-24T20:00:00-05:00"), now), Rel::Today);
    }

    #[test]
    fn durations_as_hours_and_minutes() {
        assert_eq!(hmm(0), "0:00");
        assert_eq!(hmm(3599), "0:59");
        assert_eq!(hmm(5400), "1:30");
        assert_eq!(hmm(450_300), "125:05");
    }
}
