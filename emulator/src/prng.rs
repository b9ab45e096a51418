//! The emulator's seeded generator for fault decisions and session ids: the portal model's
//! SplitMix64 ([`b24_portal::rng::Rng`], the one implementation), same sequence for the same
//! seed on every platform.

pub use b24_portal::rng::{hex, Rng as Prng};
