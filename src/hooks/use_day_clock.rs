//! `use_day_clock`: the current quarter hour, so that what "today" means moves on by itself.
//!
//! Date presets ("today", "this week"), deadline buckets and relative deadlines are counted
//! in the offset each task's date was written in (`report::dates`). Every UTC offset in use
//! is a whole number of quarter hours (+05:45, +08:45 and +12:45 included), so a local day
//! in any of them begins on a quarter-hour boundary of unix time: a value that changes at
//! those boundaries is enough to re-run what depends on the day, and no more often.

use gloo::timers::callback::Timeout;
use yew::prelude::*;

use crate::hooks::dom;

/// Seconds in a quarter hour.
pub const QUARTER_HOUR_S: i64 = 15 * 60;

/// The quarter hour (unix seconds / 900) after `current` for the clock reading `now_s`: the
/// next one, or the one `now_s` is in when the clock has jumped ahead (a sleeping laptop).
pub fn next_quarter(current: i64, now_s: i64) -> i64 {
    (current + 1).max(now_s.div_euclid(QUARTER_HOUR_S))
}

/// Milliseconds from `now_s` until just after quarter hour `current` ends (half a second
/// late, so that a timer firing a little early still lands in the next one).
pub fn ms_until_next(current: i64, now_s: i64) -> u32 {
    let seconds = ((current + 1) * QUARTER_HOUR_S - now_s).clamp(0, QUARTER_HOUR_S);
    u32::try_from(seconds * 1000 + 500).unwrap_or(u32::MAX)
}

/// The current quarter hour (unix seconds / 900); the component re-renders when it changes.
/// Kept as a `u32` (the quarters fit until the year 124 000) to share the app's `u32` state.
#[hook]
pub fn use_day_clock() -> i64 {
    let quarter_of = |s: i64| u32::try_from(s.div_euclid(QUARTER_HOUR_S)).unwrap_or(u32::MAX);
    let quarter = use_state(|| quarter_of(dom::unix_now_s()));
    {
        let setter = quarter.setter();
        use_effect_with(*quarter, move |&current| {
            let current = i64::from(current);
            let wait = ms_until_next(current, dom::unix_now_s());
            let timer = Timeout::new(wait, move || {
                setter.set(quarter_of(
                    next_quarter(current, dom::unix_now_s()) * QUARTER_HOUR_S,
                ));
            });
            // Dropping the timeout (unmount, or a new quarter) cancels it.
            move || drop(timer)
        });
    }
    i64::from(*quarter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_quarter_follows_the_current_one_or_a_clock_jump() {
        // 2025-12-01 21:00:00 UTC = midnight at +03:00, a quarter boundary.
        let midnight: i64 = 1_764_622_800;
        let before = (midnight - 1).div_euclid(QUARTER_HOUR_S);
        // A timer firing a little early still moves on (one quarter, never zero).
        assert_eq!(next_quarter(before, midnight - 1), before + 1);
        assert_eq!(
            (before + 1) * QUARTER_HOUR_S,
            midnight,
            "the day starts in it"
        );
        // After a sleep of two hours: straight to the quarter of now.
        assert_eq!(next_quarter(before, midnight + 7200), before + 9);
    }

    #[test]
    fn the_wait_ends_just_after_the_boundary() {
        let midnight: i64 = 1_764_622_800;
        let current = (midnight - 10).div_euclid(QUARTER_HOUR_S);
        assert_eq!(ms_until_next(current, midnight - 10), 10_500);
        // Already past the boundary (the timer was late): at once, not a negative wait.
        assert_eq!(ms_until_next(current, midnight + 5), 500);
    }
}
