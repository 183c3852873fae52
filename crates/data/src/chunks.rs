//! Fixed-length chunks of clips for tagging (Won et al., "Evaluation of
//! CNN-based automatic music tagging models", SMC 2020, `training/`):
//!
//! - training: each example is a random clip and a random start, uniform over
//!   the samples where a whole chunk fits ([`ChunkSampler`]);
//! - evaluation: `count` evenly spaced chunks per clip, chunk `i` starting at
//!   `i * ((len - chunk) / count)` ([`evenly_spaced_starts`]), whose
//!   predictions are averaged.
//!
//! A clip shorter than one chunk is padded with zeros at its end.

use rand::RngExt;
use rand::rngs::StdRng;

use crate::clips::Clip;

/// Start sample of each of `count` evenly spaced chunks of `chunk` samples in
/// a clip of `len` samples (all 0 if the clip is not longer than a chunk).
pub fn evenly_spaced_starts(len: usize, chunk: usize, count: usize) -> Vec<usize> {
    let hop = len.saturating_sub(chunk) / count.max(1);
    (0..count).map(|i| i * hop).collect()
}

/// `chunk` samples of `samples` from `start`, padded with zeros past the end.
pub fn chunk_at(samples: &[f32], start: usize, chunk: usize, out: &mut Vec<f32>) {
    let end = (start + chunk).min(samples.len());
    let start = start.min(end);
    out.extend_from_slice(&samples[start..end]);
    out.resize(out.len() + chunk - (end - start), 0.0);
}

/// Draws batches of random chunks with their clips' tag targets.
pub struct ChunkSampler<'a> {
    clips: &'a [Clip],
    chunk: usize,
}

impl<'a> ChunkSampler<'a> {
    /// A sampler of `chunk`-sample chunks; `None` without clips.
    pub fn new(clips: &'a [Clip], chunk: usize) -> Option<Self> {
        (!clips.is_empty()).then_some(Self { clips, chunk })
    }

    /// A batch: waveforms row-major `[batch, chunk]` and targets `[batch, tags]`.
    pub fn batch(&self, rng: &mut StdRng, batch: usize) -> (Vec<f32>, Vec<f32>) {
        let mut waves = Vec::with_capacity(batch * self.chunk);
        let mut targets = Vec::with_capacity(batch * self.clips[0].tags.len());
        for _ in 0..batch {
            let clip = &self.clips[rng.random_range(0..self.clips.len())];
            let samples = clip.wave.samples();
            let room = samples.len().saturating_sub(self.chunk);
            let start = rng.random_range(0..=room);
            chunk_at(samples, start, self.chunk, &mut waves);
            targets.extend_from_slice(&clip.tags);
        }
        (waves, targets)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evenly_spaced_starts_follow_won_et_al() {
        // hop = (len - chunk) // count, chunk i at i * hop.
        assert_eq!(evenly_spaced_starts(100, 20, 4), vec![0, 20, 40, 60]);
        assert_eq!(evenly_spaced_starts(465_984, 59_049, 16)[15], 15 * 25_433);
        assert_eq!(evenly_spaced_starts(10, 20, 3), vec![0, 0, 0]);
    }

    #[test]
    fn short_clips_are_padded_with_zeros() {
        let mut out = Vec::new();
        chunk_at(&[1.0, 2.0, 3.0], 1, 4, &mut out);
        assert_eq!(out, vec![2.0, 3.0, 0.0, 0.0]);
        out.clear();
        chunk_at(&[1.0, 2.0, 3.0], 0, 2, &mut out);
        assert_eq!(out, vec![1.0, 2.0]);
    }
}
