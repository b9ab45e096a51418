//! The only source of randomness: a seeded SplitMix64 generator (deterministic on every target).

use b24_prims::SplitMix64;

/// The model's generator: the shared SplitMix64 ([`b24_prims::SplitMix64`]) with the
/// model's own seed scrambling and helpers.
#[derive(Clone, Debug)]
pub struct Rng(SplitMix64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(SplitMix64::new(seed ^ 0x5DEE_CE66_D1A4_F87B))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// A value in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A value in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = (hi - lo) as u64 + 1;
        lo + self.below(span) as i64
    }

    /// A uniform number in `[0, 100)`, to compare with a percentage that has a fraction.
    pub fn percent(&mut self) -> f64 {
        // 53 significant bits, as an f64 holds them exactly.
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * 100.0
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// Picks an index according to integer weights.
    pub fn weighted(&mut self, weights: &[u64]) -> usize {
        let total: u64 = weights.iter().sum();
        let mut x = self.below(total);
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len().saturating_sub(1)
    }
}

/// The SplitMix64 finaliser: a good 64-bit hash of `z` (shared with the app).
pub use b24_prims::mix;

/// `chars` random lower-case hex digits.
pub fn hex(rng: &mut Rng, chars: usize) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(chars);
    let mut bits = 0u64;
    for i in 0..chars {
        if i % 16 == 0 {
            bits = rng.next_u64();
        }
        s.push(DIGITS[(bits & 15) as usize] as char);
        bits >>= 4;
    }
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence_and_bounds_hold() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        let mut c = Rng::new(8);
        let xs: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        let zs: Vec<u64> = (0..5).map(|_| c.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
        for _ in 0..1000 {
            let v = a.range(-3, 3);
            assert!((-3..=3).contains(&v));
        }
        assert_eq!(hex(&mut a, 32).len(), 32);
        for _ in 0..1000 {
            assert!((0.0..100.0).contains(&a.percent()));
        }
    }
}
