//! The primitives that both sides of the wire need, written once:
//!
//! * [`SplitMix64`] — the seeded pseudo-random source: the app's back-off jitter and the portal
//!   model's data generator and faults (same seed, same sequence, on every target);
//! * [`BucketLevel`] — the level of a leaky bucket that drains at a fixed rate: the portal
//!   model's request-rate limit decides with it whether a request is admitted, the app's
//!   client-side pacer how long to wait so that it is (`docs/platform/limits-and-paging.md`,
//!   "Rate and volume").
//!
//! * [`BucketRates`] — the bucket's documented numbers (50 / 2 per s; Enterprise 250 / 5).
//!
//! No dependencies, no I/O, no clock: time is passed in.

#![no_std]

/// The SplitMix64 pseudo-random generator (Steele, Lea and Flood, "Fast splittable
/// pseudorandom number generators", 2014): a 64-bit counter stepped by the golden-ratio
/// increment and passed through [`mix`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator whose state starts at `seed` (same seed, same sequence).
    pub const fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// A uniform float in `[0, 1)` (53 random bits, exact in an `f64`).
    pub fn unit(&mut self) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        let v = (self.next_u64() >> 11) as f64 / 9_007_199_254_740_992.0;
        v
    }
}

/// The SplitMix64 finaliser: a good 64-bit hash of `z`.
pub const fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The numbers of Bitrix24's request-rate leaky bucket: how many requests it holds (the
/// documents' X) and how many drain per second (Y) (`docs/platform/limits-and-paging.md`,
/// "Rate and volume").
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BucketRates {
    /// Requests that may go in a burst before the bucket rejects (X).
    pub capacity: f64,
    /// Requests drained per second (Y).
    pub drain_per_s: f64,
}

impl BucketRates {
    /// Every plan except Enterprise: 50 burst, 2 per second.
    pub const STANDARD: Self = Self {
        capacity: 50.0,
        drain_per_s: 2.0,
    };
    /// Enterprise plans: 250 burst, 5 per second.
    pub const ENTERPRISE: Self = Self {
        capacity: 250.0,
        drain_per_s: 5.0,
    };
}

impl Default for BucketRates {
    fn default() -> Self {
        Self::STANDARD
    }
}

/// The level of a leaky bucket: requests add to it, it drains at a fixed rate per second.
/// Times are milliseconds from any fixed origin; a time earlier than one already seen counts
/// as that one (the level never fills up again by going back in time).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BucketLevel {
    level: f64,
    last_ms: Option<f64>,
}

impl BucketLevel {
    /// An empty bucket.
    pub const fn new() -> Self {
        Self {
            level: 0.0,
            last_ms: None,
        }
    }

    /// The level at `now_ms` after draining `drain_per_s` per second since the last call.
    pub fn drain(&mut self, now_ms: f64, drain_per_s: f64) -> f64 {
        if let Some(last) = self.last_ms {
            let elapsed_s = (now_ms - last).max(0.0) / 1000.0;
            self.level = (self.level - elapsed_s * drain_per_s).max(0.0);
        }
        self.last_ms = Some(self.last_ms.map_or(now_ms, |last| last.max(now_ms)));
        self.level
    }

    /// Adds `amount` (one request is 1) to the level as of the last [`Self::drain`].
    pub fn add(&mut self, amount: f64) {
        self.level += amount;
    }

    /// Raises the level to at least `level` (e.g. "the server says the bucket is full").
    pub fn raise_to(&mut self, level: f64) {
        self.level = self.level.max(level);
    }

    /// Empties the bucket.
    pub fn clear(&mut self) {
        self.level = 0.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference sequence of SplitMix64 from state 0 (as published with the algorithm:
    /// the first output for seed 0 is 0xE220A8397B1DCDAF).
    #[test]
    fn splitmix_matches_the_reference_sequence() {
        let mut r = SplitMix64::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(r.next_u64(), 0x06C4_5D18_8009_454F);
        let u = SplitMix64::new(7).unit();
        assert!((0.0..1.0).contains(&u));
    }

    #[test]
    fn bucket_drains_by_the_rate_and_never_below_zero_or_back_in_time() {
        let mut b = BucketLevel::new();
        assert_eq!(b.drain(0.0, 2.0), 0.0);
        for _ in 0..50 {
            b.add(1.0);
        }
        assert_eq!(b.drain(1_000.0, 2.0), 48.0);
        // An earlier time does not refill it.
        assert_eq!(b.drain(500.0, 2.0), 48.0);
        assert_eq!(b.drain(60_000.0, 2.0), 0.0);
        b.raise_to(50.0);
        assert_eq!(b.drain(60_000.0, 2.0), 50.0);
        b.clear();
        assert_eq!(b.drain(60_000.0, 2.0), 0.0);
    }
}
