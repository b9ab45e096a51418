//! A tiny seeded pseudo-random generator (SplitMix64) for fault decisions and ids.

/// SplitMix64: small, fast, and the same sequence for the same seed on every platform.
#[derive(Clone, Debug)]
pub struct Prng {
    state: u64,
}

impl Prng {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> Prng {
        Prng { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform number in `[0, 100)`, compared against a percentage knob.
    pub fn percent(&mut self) -> f64 {
        // 53 significant bits, as f64 holds them exactly.
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * 100.0
    }

    /// 32 lowercase hex characters (like PHP's `md5(uniqid())` APP_SID).
    pub fn hex32(&mut self) -> String {
        format!("{:016x}{:016x}", self.next_u64(), self.next_u64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence() {
        let mut a = Prng::new(7);
        let mut b = Prng::new(7);
        for _ in 0..10 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        let p = a.percent();
        assert!((0.0..100.0).contains(&p));
        let h = a.hex32();
        assert_eq!(h.len(), 32);
        assert!(h.chars().all(|c| c.is_ascii_hexdigit()));
    }
}
