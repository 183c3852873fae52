//! Seeds derived from the experiment seed, so that every epoch's randomness
//! is independent of how many epochs ran before in this process (which is
//! what makes a resumed run repeat the uninterrupted one).

use rand::SeedableRng;
use rand::rngs::StdRng;

/// A seed derived from the experiment seed, an epoch and a purpose tag
/// (SplitMix64 finaliser).
pub fn derive_seed(seed: u64, epoch: usize, purpose: u64) -> u64 {
    let mut z = seed
        ^ (epoch as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ purpose.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The RNG that draws epoch `epoch`'s batches (which excerpts).
pub fn epoch_rng(seed: u64, epoch: usize) -> StdRng {
    StdRng::seed_from_u64(derive_seed(seed, epoch, 1))
}

/// The RNG that draws epoch `epoch`'s augmentation parameters: a stream of
/// its own, so that augmenting never changes which excerpts are drawn.
pub fn augment_rng(seed: u64, epoch: usize) -> StdRng {
    StdRng::seed_from_u64(derive_seed(seed, epoch, 3))
}
