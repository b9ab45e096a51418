//! The portal's request-rate limit: a leaky bucket per portal (Bitrix24 "limits" page).
//!
//! Each REST request (a `batch` counts once) adds 1; the level drains continuously; a request
//! that would overflow the burst is answered `503 QUERY_LIMIT_EXCEEDED` and is not counted.
//! The emulator keeps the bucket itself (instead of the portal model's) so that `/__control`
//! can switch it at run time.

use crate::knobs::BucketMode;

/// Body of the rate-limit answer (HTTP 503).
pub const QUERY_LIMIT_BODY: &str =
    r#"{"error":"QUERY_LIMIT_EXCEEDED","error_description":"Too many requests"}"#;

/// Leaky-bucket state.
#[derive(Clone, Debug, Default)]
pub struct LeakyBucket {
    level: f64,
    last_ms: u64,
}

impl LeakyBucket {
    /// Drains the bucket up to `now_ms`, then admits one request if it fits.
    pub fn admit(&mut self, mode: BucketMode, now_ms: u64) -> bool {
        let Some((burst, drain_per_s)) = mode.limits() else {
            return true;
        };
        let elapsed_s = now_ms.saturating_sub(self.last_ms) as f64 / 1000.0;
        self.last_ms = self.last_ms.max(now_ms);
        self.level = (self.level - elapsed_s * drain_per_s).max(0.0);
        if self.level + 1.0 > burst {
            return false;
        }
        self.level += 1.0;
        true
    }

    /// Empties the bucket.
    pub fn reset(&mut self) {
        self.level = 0.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_bucket_admits_50_then_drains_2_per_second() {
        let mut b = LeakyBucket::default();
        let t0 = 1_000_000;
        for i in 0..50 {
            assert!(b.admit(BucketMode::Standard, t0), "request {i}");
        }
        assert!(!b.admit(BucketMode::Standard, t0));
        assert!(!b.admit(BucketMode::Standard, t0 + 400));
        assert!(b.admit(BucketMode::Standard, t0 + 500));
        assert!(!b.admit(BucketMode::Standard, t0 + 500));
        assert!(b.admit(BucketMode::Off, t0 + 500));
    }
}
