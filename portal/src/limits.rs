//! Rate limits (docs/platform/limits-and-paging.md, "Rate and volume"; docs/platform/errors.md,
//! "Rate and operating limits"): the portal-wide leaky bucket and the per-method operating budget.

use std::collections::BTreeMap;

use b24_prims::BucketLevel;

use crate::Bucket;

/// Window of the operating limit: 10 buckets of 60 s.
const MINUTE_S: i64 = 60;
const WINDOW_MINUTES: i64 = 10;

/// The leaky bucket: each admitted HTTP request adds 1, the level drains `drain_per_s`.
///
/// A request that would lift the level above `burst` is rejected and does **not** add to the
/// level (documented choice: with 50/2, the 51st instant request fails and a client that waits
/// 0.5 s gets one more through).
///
/// The level is the shared [`BucketLevel`] (the app's client-side pacer uses the same one).
#[derive(Clone, Debug, Default)]
pub struct LeakyBucket {
    level: BucketLevel,
}

impl LeakyBucket {
    /// Drains to `now_ms`, then admits (true) or rejects (false) one request.
    pub fn admit(&mut self, cfg: &Bucket, now_ms: u64) -> bool {
        let level = self.level.drain(now_ms as f64, cfg.drain_per_s);
        if level + 1.0 > cfg.capacity + 1e-9 {
            return false;
        }
        self.level.add(1.0);
        true
    }

    /// Empties the bucket.
    pub fn reset(&mut self) {
        self.level.clear();
    }
}

/// Per (client, method) usage in one-minute buckets, plus forced blocks.
#[derive(Clone, Debug, Default)]
pub struct OperatingLimits {
    usage: BTreeMap<String, BTreeMap<i64, f64>>,
    blocks: BTreeMap<String, i64>,
}

/// Operating state of one method for one client.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Operating {
    /// Seconds used in the current 10-minute window.
    pub used_s: f64,
    /// When the oldest used bucket leaves the window (or now + 600 s when nothing is used).
    pub reset_at: i64,
}

fn key(client: &str, method: &str) -> String {
    format!("{client}\u{0}{method}")
}

impl OperatingLimits {
    /// Forces 429 for `method` (every client) until `unix_s`.
    pub fn block_until(&mut self, method: &str, unix_s: i64) {
        self.blocks.insert(method.to_string(), unix_s);
    }

    /// Usage of `method` by `client` at `now_s`.
    pub fn state(&self, client: &str, method: &str, now_s: i64) -> Operating {
        let minute = now_s.div_euclid(MINUTE_S);
        let first = minute - (WINDOW_MINUTES - 1);
        let mut used = 0.0;
        let mut oldest: Option<i64> = None;
        if let Some(b) = self.usage.get(&key(client, method)) {
            for (&m, &s) in b.range(first..=minute) {
                if s > 0.0 {
                    used += s;
                    oldest = Some(oldest.map_or(m, |o: i64| o.min(m)));
                }
            }
        }
        let reset_at = match oldest {
            Some(m) => (m + WINDOW_MINUTES) * MINUTE_S,
            None => now_s + WINDOW_MINUTES * MINUTE_S,
        };
        Operating {
            used_s: used,
            reset_at,
        }
    }

    /// `Err(reset_at)` when `method` is blocked for `client` at `now_s`: a forced block, or
    /// usage in the window above `limit_s`.
    pub fn check(
        &self,
        client: &str,
        method: &str,
        now_s: i64,
        limit_s: Option<f64>,
    ) -> Result<(), Operating> {
        if let Some(&until) = self.blocks.get(method) {
            if now_s < until {
                let st = self.state(client, method, now_s);
                return Err(Operating {
                    used_s: st.used_s,
                    reset_at: until,
                });
            }
        }
        if let Some(limit) = limit_s {
            let st = self.state(client, method, now_s);
            if st.used_s > limit {
                return Err(st);
            }
        }
        Ok(())
    }

    /// Adds `seconds` of processing to `method` for `client` at `now_s`.
    pub fn record(&mut self, client: &str, method: &str, now_s: i64, seconds: f64) {
        if seconds <= 0.0 {
            return;
        }
        let minute = now_s.div_euclid(MINUTE_S);
        let b = self.usage.entry(key(client, method)).or_default();
        *b.entry(minute).or_insert(0.0) += seconds;
        // Forget buckets that left the window.
        let keep_from = minute - (WINDOW_MINUTES - 1);
        while let Some((&m, _)) = b.iter().next() {
            if m < keep_from {
                b.remove(&m);
            } else {
                break;
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn bucket_50_2_admits_50_then_drains_two_per_second() {
        let cfg = Bucket::STANDARD;
        let mut b = LeakyBucket::default();
        for i in 0..50 {
            assert!(b.admit(&cfg, 1_000_000), "request {i}");
        }
        assert!(!b.admit(&cfg, 1_000_000));
        // Rejections do not fill the bucket further.
        assert!(!b.admit(&cfg, 1_000_100));
        assert!(b.admit(&cfg, 1_000_500), "0.5 s drains one request");
        assert!(!b.admit(&cfg, 1_000_500));
        assert!(b.admit(&cfg, 1_001_500) && b.admit(&cfg, 1_001_500));
        assert!(!b.admit(&cfg, 1_001_500));
    }

    #[test]
    fn operating_limit_blocks_over_budget_and_resets_with_the_oldest_bucket() {
        let mut o = OperatingLimits::default();
        let t0 = 1_700_000_030; // 30 s into a minute
        o.record("app", "task.item.list", t0, 300.0);
        assert!(o.check("app", "task.item.list", t0, Some(480.0)).is_ok());
        o.record("app", "task.item.list", t0 + 120, 200.0);
        let err = o
            .check("app", "task.item.list", t0 + 121, Some(480.0))
            .unwrap_err();
        assert_eq!(err.used_s, 500.0);
        assert_eq!(err.reset_at, (t0 / 60 + 10) * 60);
        // Other methods and other clients are not affected.
        assert!(o
            .check("app", "user.current", t0 + 121, Some(480.0))
            .is_ok());
        assert!(o
            .check("hook1", "task.item.list", t0 + 121, Some(480.0))
            .is_ok());
        // Once the first bucket leaves the window, 200 s remain.
        let later = (t0 / 60 + 10) * 60;
        assert!(o.check("app", "task.item.list", later, Some(480.0)).is_ok());
        assert_eq!(o.state("app", "task.item.list", later).used_s, 200.0);
    }

    #[test]
    fn forced_block_until() {
        let mut o = OperatingLimits::default();
        o.block_until("task.item.list", 1_000);
        let e = o.check("app", "task.item.list", 999, None).unwrap_err();
        assert_eq!(e.reset_at, 1_000);
        assert!(o.check("app", "task.item.list", 1_000, None).is_ok());
    }
}
