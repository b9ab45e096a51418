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

/// A date column a report filter can narrow by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DateField {
    /// `DEADLINE`.
    Deadline,
    /// `CREATED_DATE`.
    Created,
    /// `CLOSED_DATE`.
    Closed,
}

impl DateField {
    /// Every filterable date, in the filter bar's order.
    pub const ALL: [DateField; 3] = [Self::Deadline, Self::Created, Self::Closed];
}

/// A range of portal-local days a date filter keeps: a preset relative to today, or fixed
/// days. Weeks start on Monday; "today" is the day of now in the offset the portal wrote
/// the task's date in (never the browser's zone).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DatePreset {
    /// Today.
    Today,
    /// Monday to Sunday of this week.
    ThisWeek,
    /// Monday to Sunday of last week.
    LastWeek,
    /// The 1st to the last day of this month.
    ThisMonth,
    /// The 1st to the last day of last month.
    LastMonth,
    /// Fixed days (days since 1970-01-01), both ends included; an open end is unbounded.
    Custom {
        /// The first day kept.
        from: Option<i64>,
        /// The last day kept.
        to: Option<i64>,
    },
}

impl DatePreset {
    /// The relative presets, in menu order (the custom range comes after them).
    pub const RELATIVE: [DatePreset; 5] = [
        Self::Today,
        Self::ThisWeek,
        Self::LastWeek,
        Self::ThisMonth,
        Self::LastMonth,
    ];

    /// The first and last portal-local day (days since 1970-01-01) the preset keeps at unix
    /// second `now`, counted in `offset_min`; `None` for an open end.
    pub fn days(self, now: i64, offset_min: i32) -> (Option<i64>, Option<i64>) {
        let today = local_day(now, offset_min);
        let monday = today.day_number - today.weekday();
        let first_of_month = today.day_number - i64::from(today.day) + 1;
        match self {
            Self::Today => (Some(today.day_number), Some(today.day_number)),
            Self::ThisWeek => (Some(monday), Some(monday + 6)),
            Self::LastWeek => (Some(monday - 7), Some(monday - 1)),
            Self::ThisMonth => {
                let len = days_in_month(today.year, i64::from(today.month));
                (Some(first_of_month), Some(first_of_month + len - 1))
            }
            Self::LastMonth => {
                let last = first_of_month - 1;
                let c = Civil::from_local_secs(last * DAY);
                (Some(last - i64::from(c.day) + 1), Some(last))
            }
            Self::Custom { from, to } => (from, to),
        }
    }

    /// Whether `time` falls in the preset's days at unix second `now` (days counted in the
    /// offset the time was written in). A missing date never matches — except for a custom
    /// range with no day entered yet, which keeps everything (the user is still typing it).
    pub fn admits(self, time: Option<PortalTime>, now: i64) -> bool {
        if self
            == (Self::Custom {
                from: None,
                to: None,
            })
        {
            return true;
        }
        let Some(time) = time else {
            return false;
        };
        let (from, to) = self.days(now, time.offset_min());
        let day = time.local().day_number;
        from.is_none_or(|f| day >= f) && to.is_none_or(|t| day <= t)
    }
}

/// The day number (days since 1970-01-01) of a `YYYY-MM-DD` date; `None` for anything else.
pub fn parse_day(text: &str) -> Option<i64> {
    let text = text.trim();
    if text.len() != 10 {
        return None;
    }
    PortalTime::parse(text).map(|t| t.unix().div_euclid(DAY))
}

/// `YYYY-MM-DD` of a day number (the inverse of [`parse_day`]).
pub fn format_day(day: i64) -> String {
    let c = Civil::from_local_secs(day.saturating_mul(DAY));
    format!("{:04}-{:02}-{:02}", c.year, c.month, c.day)
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
    fn date_presets_around_midnight_and_across_offsets() {
        // Now: Sunday 2025-11-30 22:30 UTC = Monday 2025-12-01 01:30 in +03:00.
        let now = t("2025-11-30T22:30:00Z").unix();
        let day = |s: &str| parse_day(s).unwrap_or_else(|| panic!("day {s}"));
        let range = |p: DatePreset, off: i32| p.days(now, off);
        // In Moscow it is already Monday, December.
        assert_eq!(
            range(DatePreset::Today, 180),
            (Some(day("2025-12-01")), Some(day("2025-12-01")))
        );
        assert_eq!(
            range(DatePreset::ThisWeek, 180),
            (Some(day("2025-12-01")), Some(day("2025-12-07")))
        );
        assert_eq!(
            range(DatePreset::LastWeek, 180),
            (Some(day("2025-11-24")), Some(day("2025-11-30")))
        );
        assert_eq!(
            range(DatePreset::ThisMonth, 180),
            (Some(day("2025-12-01")), Some(day("2025-12-31")))
        );
        assert_eq!(
            range(DatePreset::LastMonth, 180),
            (Some(day("2025-11-01")), Some(day("2025-11-30")))
        );
        // In a UTC portal it is still Sunday, November.
        assert_eq!(
            range(DatePreset::ThisWeek, 0),
            (Some(day("2025-11-24")), Some(day("2025-11-30")))
        );
        assert_eq!(
            range(DatePreset::LastMonth, 0),
            (Some(day("2025-10-01")), Some(day("2025-10-31")))
        );
        // A time is judged in its own offset: 00:10 Monday in Moscow is "today" there, the
        // same instant written in UTC (21:10 Sunday) is "today" for a UTC portal too, and
        // 23:50 Sunday in Moscow is yesterday.
        let admits = |p: DatePreset, s: &str| p.admits(Some(t(s)), now);
        assert!(admits(DatePreset::Today, "2025-12-01T00:10:00+03:00"));
        assert!(admits(DatePreset::Today, "2025-11-30T21:10:00Z"));
        assert!(!admits(DatePreset::Today, "2025-11-30T23:50:00+03:00"));
        assert!(admits(DatePreset::LastWeek, "2025-11-30T23:50:00+03:00"));
        assert!(admits(DatePreset::ThisMonth, "2025-12-31T23:59:00+03:00"));
        // In a -05:00 portal it is still November: December's last day is not "this month".
        assert!(!admits(DatePreset::ThisMonth, "2025-12-31T23:59:00-05:00"));
        assert!(admits(DatePreset::ThisMonth, "2025-11-01T00:00:00-05:00"));
        assert!(!admits(DatePreset::ThisMonth, "2026-01-01T00:00:00+03:00"));
        // January: last month is December of the year before.
        let jan = t("2026-01-15T12:00:00Z").unix();
        assert_eq!(
            DatePreset::LastMonth.days(jan, 0),
            (Some(day("2025-12-01")), Some(day("2025-12-31")))
        );
        // Leap February.
        let feb = t("2024-02-10T12:00:00Z").unix();
        assert_eq!(
            DatePreset::ThisMonth.days(feb, 0),
            (Some(day("2024-02-01")), Some(day("2024-02-29")))
        );
        // Custom: both ends included, open ends unbounded, no date never matches.
        let custom = DatePreset::Custom {
            from: Some(day("2025-11-03")),
            to: Some(day("2025-11-05")),
        };
        assert!(admits(custom, "2025-11-03T00:00:00+03:00"));
        assert!(admits(custom, "2025-11-05T23:59:59+03:00"));
        assert!(!admits(custom, "2025-11-06T00:00:00+03:00"));
        assert!(!admits(custom, "2025-11-02T23:59:59+03:00"));
        let open = DatePreset::Custom {
            from: None,
            to: Some(day("2025-11-05")),
        };
        assert!(admits(open, "1999-01-01T00:00:00Z"));
        assert!(!custom.admits(None, now));
        assert!(!open.admits(None, now));
        // Custom range chosen, no day typed yet: nothing is hidden.
        let blank = DatePreset::Custom {
            from: None,
            to: None,
        };
        assert!(blank.admits(None, now) && admits(blank, "1999-01-01T00:00:00Z"));
        assert_eq!(format_day(day("2024-02-29")), "2024-02-29");
        assert_eq!(parse_day("2024-02-30"), None);
        assert_eq!(parse_day("2024-02-29T00:00:00Z"), None);
    }

    #[test]
    fn durations_as_hours_and_minutes() {
        assert_eq!(hmm(0), "0:00");
        assert_eq!(hmm(3599), "0:59");
        assert_eq!(hmm(5400), "1:30");
        assert_eq!(hmm(450_300), "125:05");
    }
}
