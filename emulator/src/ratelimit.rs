//! The portal's request-rate limit: a leaky bucket per portal (Bitrix24 "limits" page).
//!
//! Each REST request (a `batch` counts once) adds 1; the level drains continuously; a request
//! that would overflow the burst is answered `503 QUERY_LIMIT_EXCEEDED` and is not counted.
//! The emulator keeps the bucket itself (instead of the portal model's) so that `/__control`
//! can switch it at run time.

use b24_portal::Bucket;

use crate::knobs::BucketMode;

/// Body of the rate-limit answer (HTTP 503; the portal's own answer, docs/platform/errors.md,
/// "Codes").
pub const QUERY_LIMIT_BODY: &str =
    r#"{"error":"QUERY_LIMIT_EXCEEDED","error_description":"Too many requests"}"#;

/// The portal's leaky bucket ([`b24_portal::limits::LeakyBucket`], the one implementation),
/// with its size chosen per request from the run-time [`BucketMode`].
#[derive(Clone, Debug, Default)]
pub struct LeakyBucket(b24_portal::limits::LeakyBucket);

impl LeakyBucket {
    /// Drains the bucket up to `now_ms`, then admits one request if it fits.
    pub fn admit(&mut self, mode: BucketMode, now_ms: u64) -> bool {
        let Some((capacity, drain_per_s)) = mode.limits() else {
            return true;
        };
        self.0.admit(
            &Bucket {
                capacity,
                drain_per_s,
            },
            now_ms,
        )
    }

    /// Empties the bucket.
    pub fn reset(&mut self) {
        self.0.reset();
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
