//! A client-side leaky bucket with the portal's own numbers, so the app paces itself instead
//! of running into `503 QUERY_LIMIT_EXCEEDED` (`docs/platform/limits-and-paging.md`, "Rate and
//! volume"; `docs/platform/errors.md`, "Rate and operating limits"):
//! every request adds 1, the level drains at `drain_per_s`, and a request may go only while
//! the level stays within `capacity` (50 / 2 per s; Enterprise 250 / 5 per s).
//!
//! Pure: time is passed in (milliseconds from any fixed origin).

use b24_prims::BucketLevel;

/// The bucket's numbers: the portal's own (`b24_prims::BucketRates`, shared with the portal
/// model), so client and portal can never disagree about 50 / 2 per s.
pub use b24_prims::BucketRates as BucketConfig;

/// The bucket's state: the shared level ([`b24_prims::BucketLevel`], the one the portal model
/// admits requests with) under this client's numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct LeakyBucket {
    config: BucketConfig,
    level: BucketLevel,
}

impl LeakyBucket {
    /// An empty bucket.
    pub fn new(config: BucketConfig) -> Self {
        Self {
            config,
            level: BucketLevel::new(),
        }
    }

    fn drain(&mut self, now_ms: f64) -> f64 {
        self.level.drain(now_ms, self.config.drain_per_s)
    }

    /// Milliseconds to wait before the next request may go (0 = now).
    pub fn delay_ms(&mut self, now_ms: f64) -> u32 {
        let level = self.drain(now_ms);
        let excess = level + 1.0 - self.config.capacity;
        if excess <= 0.0 || self.config.drain_per_s <= 0.0 {
            return 0;
        }
        let ms = (excess / self.config.drain_per_s * 1000.0).ceil();
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let ms = ms.clamp(0.0, f64::from(u32::MAX)) as u32;
        ms
    }

    /// Records that a request was sent at `now_ms`.
    pub fn record(&mut self, now_ms: f64) {
        self.drain(now_ms);
        self.level.add(1.0);
    }

    /// The portal answered `QUERY_LIMIT_EXCEEDED`: its bucket is full whatever ours says
    /// (other apps on the same IP share it), so ours is set full too.
    pub fn saturate(&mut self, now_ms: f64) {
        self.drain(now_ms);
        self.level.raise_to(self.config.capacity);
    }

    /// The current level (requests in the bucket) at `now_ms`.
    pub fn level(&mut self, now_ms: f64) -> f64 {
        self.drain(now_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sends `n` requests as early as the bucket allows; returns the send times.
    fn send_times(bucket: &mut LeakyBucket, n: usize) -> Vec<f64> {
        let mut now = 0.0;
        let mut times = Vec::new();
        for _ in 0..n {
            now += f64::from(bucket.delay_ms(now));
            bucket.record(now);
            times.push(now);
        }
        times
    }

    #[test]
    fn fifty_at_once_then_two_per_second() {
        let mut bucket = LeakyBucket::new(BucketConfig::STANDARD);
        let times = send_times(&mut bucket, 60);
        assert!(times[..50].iter().all(|&t| t == 0.0));
        for (i, t) in times[50..].iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(0);
            assert_eq!(*t, 500.0 * f64::from(i + 1));
        }
    }

    #[test]
    fn enterprise_numbers() {
        let mut bucket = LeakyBucket::new(BucketConfig::ENTERPRISE);
        let times = send_times(&mut bucket, 252);
        assert!(times[..250].iter().all(|&t| t == 0.0));
        assert_eq!(times[250], 200.0);
        assert_eq!(times[251], 400.0);
    }

    #[test]
    fn drains_while_idle_and_saturates_on_503() {
        let mut bucket = LeakyBucket::new(BucketConfig::STANDARD);
        send_times(&mut bucket, 50);
        assert!(bucket.delay_ms(0.0) > 0);
        assert_eq!(bucket.delay_ms(25_000.0), 0);
        assert!(bucket.level(25_000.0) < 0.001);
        bucket.saturate(25_000.0);
        assert_eq!(bucket.delay_ms(25_000.0), 500);
    }
}
