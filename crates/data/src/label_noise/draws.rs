//! The random draws of label noise: one stream per labelled item, derived
//! from (noise seed, split, item, part) alone, so that an item's corruption
//! does not depend on which other items, tags or files the dataset holds, on
//! the order they are read in, or on the training seed, and `evaluate` can
//! re-derive exactly what training used.
//!
//! The stream's state is the first 8 bytes of the BLAKE3 hash of a framed
//! message (a domain string, the seed as 8 little-endian bytes, then split,
//! item and part, each preceded by its length as 8 little-endian bytes); its
//! outputs are SplitMix64's (Steele, Lea & Flood, "Fast splittable
//! pseudorandom number generators", OOPSLA 2014), written out here so that
//! the corruption depends on this file only, never on a dependency's choice
//! of algorithm. A uniform number in `[0, 1)` is the top 53 bits of an
//! output times 2⁻⁵³.

/// Separates these hashes from every other use of BLAKE3 in the project.
const DOMAIN: &[u8] = b"cochlea label noise v1";

/// The draws of one item.
#[derive(Clone, Debug)]
pub(crate) struct Draws {
    state: u64,
}

impl Draws {
    /// The stream of `part` (a tag name, or "" for a whole song) of `item`
    /// (a clip id or song name) in `split` under noise seed `seed`.
    pub(crate) fn new(seed: u64, split: &str, item: &str, part: &str) -> Self {
        let mut hasher = blake3::Hasher::new();
        hasher.update(DOMAIN);
        hasher.update(&seed.to_le_bytes());
        for field in [split, item, part] {
            hasher.update(&(field.len() as u64).to_le_bytes());
            hasher.update(field.as_bytes());
        }
        let hash = hasher.finalize();
        let mut first = [0u8; 8];
        first.copy_from_slice(&hash.as_bytes()[..8]);
        Draws {
            state: u64::from_le_bytes(first),
        }
    }

    /// The next SplitMix64 output.
    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform number in `[0, 1)`.
    pub(crate) fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p` (never for 0, always for 1).
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.uniform() < p
    }

    /// An index into `weights` (positive), drawn in proportion to them.
    pub(crate) fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let target = self.uniform() * total;
        let mut sum = 0.0;
        for (i, w) in weights.iter().enumerate() {
            sum += w;
            if target < sum {
                return i;
            }
        }
        weights.len() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_its_reference_outputs() {
        // Reference: the first outputs from state 1234567 of a Python
        // transcription of Vigna's splitmix64.c (prng.di.unimi.it), 64-bit
        // wrapping arithmetic by masking.
        let mut d = Draws { state: 1234567 };
        let got: Vec<u64> = (0..5).map(|_| d.next_u64()).collect();
        assert_eq!(
            got,
            [
                6457827717110365317,
                3203168211198807973,
                9817491932198370423,
                4593380528125082431,
                16408922859458223821
            ]
        );
    }

    #[test]
    fn streams_depend_on_every_field_and_only_on_them() {
        let first = |seed, split, item, part| Draws::new(seed, split, item, part).next_u64();
        let base = first(1, "train", "clip1", "rock");
        assert_eq!(base, first(1, "train", "clip1", "rock"));
        for other in [
            first(2, "train", "clip1", "rock"),
            first(1, "valid", "clip1", "rock"),
            first(1, "train", "clip2", "rock"),
            first(1, "train", "clip1", "pop"),
            // The length prefixes keep the fields apart.
            first(1, "train", "clip1r", "ock"),
        ] {
            assert_ne!(base, other);
        }
    }

    #[test]
    fn uniforms_are_in_range_and_have_the_right_mean() {
        let mut d = Draws::new(7, "train", "x", "");
        let n = 100_000;
        let mut sum = 0.0;
        for _ in 0..n {
            let u = d.uniform();
            assert!((0.0..1.0).contains(&u));
            sum += u;
        }
        // Mean 1/2, sd of the mean sqrt(1/12 / n) = 0.00091; 4.5 sd.
        assert!((sum / n as f64 - 0.5).abs() < 0.0041, "{}", sum / n as f64);
        assert!(!d.chance(0.0));
        assert!(d.chance(1.0));
    }

    #[test]
    fn weighted_picks_follow_the_weights() {
        let mut d = Draws::new(3, "train", "w", "");
        let weights = [2.0, 1.0, 1.0];
        let n = 40_000;
        let mut counts = [0usize; 3];
        for _ in 0..n {
            counts[d.weighted(&weights)] += 1;
        }
        for (c, w) in counts.iter().zip(weights) {
            let p = w / 4.0;
            let sd = (p * (1.0 - p) / n as f64).sqrt();
            let got = *c as f64 / n as f64;
            assert!((got - p).abs() < 4.5 * sd, "{counts:?}");
        }
    }
}
