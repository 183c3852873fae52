//! Random training excerpts labelled by their centre frame (Schlüter & Grill,
//! ISMIR 2015).
//!
//! An excerpt is `excerpt_frames` consecutive frontend frames, i.e.
//! `frame_length + (excerpt_frames - 1) * hop` samples starting at a frame
//! boundary; its target is the label of frame `start + excerpt_frames / 2`.
//! Start positions are drawn uniformly over all valid positions of all songs
//! (so longer songs give proportionally more excerpts), from a host RNG seeded
//! per epoch — which is what makes a resumed run repeat the same batches.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::songs::{Framing, Song};

/// Draws batches of excerpts from a set of songs.
pub struct ExcerptSampler<'a> {
    songs: &'a [Song],
    framing: Framing,
    excerpt_frames: usize,
    /// Cumulative number of valid start frames, one entry per song.
    cumulative: Vec<usize>,
}

impl<'a> ExcerptSampler<'a> {
    /// A sampler over `songs`; `None` if no song is long enough for one excerpt.
    pub fn new(songs: &'a [Song], framing: Framing, excerpt_frames: usize) -> Option<Self> {
        let mut total = 0;
        let cumulative = songs
            .iter()
            .map(|s| {
                total += s.labels.len().saturating_sub(excerpt_frames - 1);
                total
            })
            .collect();
        (total > 0).then_some(Self {
            songs,
            framing,
            excerpt_frames,
            cumulative,
        })
    }

    /// Samples per excerpt.
    pub fn excerpt_samples(&self) -> usize {
        self.framing.frame_length + (self.excerpt_frames - 1) * self.framing.hop
    }

    /// Number of distinct excerpt positions.
    pub fn positions(&self) -> usize {
        self.cumulative.last().copied().unwrap_or(0)
    }

    /// A batch: waveforms row-major `[batch, excerpt_samples]` and centre-frame labels.
    pub fn batch(&self, rng: &mut StdRng, batch: usize) -> (Vec<f32>, Vec<f32>) {
        let len = self.excerpt_samples();
        let mut waves = Vec::with_capacity(batch * len);
        let mut labels = Vec::with_capacity(batch);
        for _ in 0..batch {
            let k = rng.random_range(0..self.positions());
            let song = self.cumulative.partition_point(|&c| c <= k);
            let before = if song == 0 {
                0
            } else {
                self.cumulative[song - 1]
            };
            let start = k - before;
            let s = &self.songs[song];
            let offset = start * self.framing.hop;
            waves.extend_from_slice(&s.wave.samples()[offset..offset + len]);
            labels.push(s.labels[start + self.excerpt_frames / 2]);
        }
        (waves, labels)
    }
}

/// A seed derived from the experiment seed, an epoch and a purpose tag
/// (SplitMix64 finaliser), so that every epoch's randomness is independent of
/// how many epochs ran before in this process.
pub fn derive_seed(seed: u64, epoch: usize, purpose: u64) -> u64 {
    let mut z = seed
        ^ (epoch as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ purpose.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The RNG that draws epoch `epoch`'s batches.
pub fn epoch_rng(seed: u64, epoch: usize) -> StdRng {
    StdRng::seed_from_u64(derive_seed(seed, epoch, 1))
}
