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
use crate::excerpt_source::{ExcerptSource, Position, read_padded};

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

/// Draws random chunks with their clips' tag targets (an [`ExcerptSource`]).
pub struct ChunkSampler<'a> {
    clips: &'a [Clip],
    chunk: usize,
}

impl<'a> ChunkSampler<'a> {
    /// A sampler of `chunk`-sample chunks; `None` without clips.
    pub fn new(clips: &'a [Clip], chunk: usize) -> Option<Self> {
        (!clips.is_empty()).then_some(Self { clips, chunk })
    }
}

impl ExcerptSource for ChunkSampler<'_> {
    fn excerpt_samples(&self) -> usize {
        self.chunk
    }

    /// The chunk's middle (the tags describe the whole clip).
    fn anchor(&self) -> usize {
        self.chunk / 2
    }

    fn sample_rate(&self) -> u32 {
        self.clips[0].wave.sample_rate()
    }

    /// A clip uniform over the clips, then a start uniform over the samples
    /// where a whole chunk fits (0 for a clip shorter than a chunk).
    fn draw(&self, rng: &mut StdRng) -> Position {
        let item = rng.random_range(0..self.clips.len());
        let room = self.clips[item].wave.len().saturating_sub(self.chunk);
        Position {
            item,
            start: rng.random_range(0..=room),
        }
    }

    fn read(&self, position: Position, from: isize, out: &mut [f32]) {
        let samples = self.clips[position.item].wave.samples();
        read_padded(samples, position.start as isize + from, out);
    }

    fn label(&self, position: Position) -> &[f32] {
        &self.clips[position.item].tags
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

    /// The batch as the sampler drew it before augmentation existed (the
    /// code of `ChunkSampler::batch` then), for comparison.
    fn batch_before_augmentation(
        sampler: &ChunkSampler,
        rng: &mut StdRng,
        batch: usize,
    ) -> (Vec<f32>, Vec<f32>) {
        let mut waves = Vec::with_capacity(batch * sampler.chunk);
        let mut targets = Vec::new();
        for _ in 0..batch {
            let clip = &sampler.clips[rng.random_range(0..sampler.clips.len())];
            let samples = clip.wave.samples();
            let room = samples.len().saturating_sub(sampler.chunk);
            let start = rng.random_range(0..=room);
            chunk_at(samples, start, sampler.chunk, &mut waves);
            targets.extend_from_slice(&clip.tags);
        }
        (waves, targets)
    }

    #[test]
    fn without_augmentation_batches_are_those_drawn_before_it_existed() {
        use rand::SeedableRng;
        let dir = crate::testdir::TestDir::new("chunks-unchanged");
        // One clip shorter than a chunk (padded), two longer.
        let clips: Vec<Clip> = [(300usize, [1.0, 0.0]), (90, [0.0, 1.0]), (1000, [1.0, 1.0])]
            .iter()
            .enumerate()
            .map(|(i, (len, tags))| {
                let values: Vec<f32> = (0..*len).map(|s| (i * 10_000 + s) as f32).collect();
                let path = dir.join(format!("{i}.f32"));
                std::fs::write(&path, bytemuck::cast_slice(&values)).unwrap();
                let file = std::fs::File::open(&path).unwrap();
                Clip {
                    id: i.to_string(),
                    group: i.to_string(),
                    wave: crate::waveform::Waveform::from_file(&file, &path, 16000).unwrap(),
                    tags: tags.to_vec(),
                }
            })
            .collect();
        let sampler = ChunkSampler::new(&clips, 128).unwrap();
        let mut old = StdRng::seed_from_u64(21);
        let mut new = StdRng::seed_from_u64(21);
        let mut augment = StdRng::seed_from_u64(22);
        for _ in 0..5 {
            let want = batch_before_augmentation(&sampler, &mut old, 16);
            let got = crate::augment::augmented_batch(
                &sampler,
                &crate::augment::AugmentConfig::default(),
                &mut new,
                &mut augment,
                16,
            );
            assert_eq!(got, want);
        }
    }
}
