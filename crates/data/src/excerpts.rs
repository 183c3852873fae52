//! Random training excerpts labelled by their centre frame (Schlüter & Grill,
//! ISMIR 2015).
//!
//! An excerpt is `excerpt_frames` consecutive frontend frames, i.e.
//! `frame_length + (excerpt_frames - 1) * hop` samples starting at a frame
//! boundary; its target is the label of frame `start + excerpt_frames / 2`.
//! Start positions are drawn uniformly over all valid positions of all songs
//! (so longer songs give proportionally more excerpts), from a host RNG that
//! the caller seeds per epoch — which is what makes a resumed run repeat the
//! same batches. The sampler is an [`ExcerptSource`]: batches are drawn by
//! [`crate::excerpt_source::plain_batch`] or, augmented, by
//! [`crate::augment::augmented_batch`].

use rand::RngExt;
use rand::rngs::StdRng;

use crate::excerpt_source::{ExcerptSource, Position, read_padded};
use crate::framing::Framing;
use crate::songs::Song;

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
        self.framing.samples_for(self.excerpt_frames)
    }

    /// Number of distinct excerpt positions.
    pub fn positions(&self) -> usize {
        self.cumulative.last().copied().unwrap_or(0)
    }
}

impl ExcerptSource for ExcerptSampler<'_> {
    fn excerpt_samples(&self) -> usize {
        ExcerptSampler::excerpt_samples(self)
    }

    /// The middle sample of the labelled centre frame.
    fn anchor(&self) -> usize {
        self.excerpt_frames / 2 * self.framing.hop + self.framing.frame_length / 2
    }

    fn sample_rate(&self) -> u32 {
        self.framing.sample_rate
    }

    /// A start frame uniform over all songs' valid start frames.
    fn draw(&self, rng: &mut StdRng) -> Position {
        let k = rng.random_range(0..self.positions());
        let song = self.cumulative.partition_point(|&c| c <= k);
        let before = if song == 0 {
            0
        } else {
            self.cumulative[song - 1]
        };
        Position {
            item: song,
            start: (k - before) * self.framing.hop,
        }
    }

    fn read(&self, position: Position, from: isize, out: &mut [f32]) {
        let samples = self.songs[position.item].wave.samples();
        read_padded(samples, position.start as isize + from, out);
    }

    fn label(&self, position: Position) -> &[f32] {
        let frame = position.start / self.framing.hop + self.excerpt_frames / 2;
        std::slice::from_ref(&self.songs[position.item].labels[frame])
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;
    use crate::excerpt_source::plain_batch;
    use crate::testdir::TestDir;
    use crate::waveform::Waveform;

    /// A song whose sample `i` is `i` and whose frame `f` is labelled `f`.
    fn song(dir: &Path, name: &str, samples: usize, framing: Framing) -> Song {
        let values: Vec<f32> = (0..samples).map(|i| i as f32).collect();
        let path = dir.join(name);
        std::fs::write(&path, bytemuck::cast_slice(&values)).unwrap();
        let wave = Waveform::from_file(&std::fs::File::open(&path).unwrap(), &path, 8000).unwrap();
        let labels = (0..framing.frames(samples)).map(|f| f as f32).collect();
        Song {
            name: name.into(),
            wave,
            labels,
        }
    }

    use std::path::Path;

    #[test]
    fn excerpts_start_on_frames_and_carry_the_centre_label() {
        let framing = Framing {
            frame_length: 8,
            hop: 4,
            sample_rate: 8000,
        };
        let dir = TestDir::new("excerpts");
        // 10 and 3 frames: with 5-frame excerpts, 6 + 0 positions.
        let songs = vec![
            song(&dir, "a.f32", framing.samples_for(10), framing),
            song(&dir, "b.f32", framing.samples_for(3), framing),
        ];
        let sampler = ExcerptSampler::new(&songs, framing, 5).unwrap();
        assert_eq!(sampler.positions(), 6);
        assert_eq!(sampler.excerpt_samples(), 8 + 4 * 4);
        let mut rng = StdRng::seed_from_u64(3);
        assert_eq!(sampler.anchor(), 2 * 4 + 4, "the middle of frame 2 of 5");
        let (waves, labels) = plain_batch(&sampler, &mut rng, 50);
        for (b, &label) in labels.iter().enumerate() {
            let wave = &waves[b * 24..(b + 1) * 24];
            let start_frame = wave[0] as usize / 4;
            assert_eq!(wave[0] as usize % 4, 0, "not on a frame boundary");
            assert_eq!(
                label as usize,
                start_frame + 2,
                "not the centre frame's label"
            );
            assert!(start_frame + 5 <= 10);
            assert!(wave.windows(2).all(|w| w[1] == w[0] + 1.0));
        }
        assert!(ExcerptSampler::new(&songs[1..], framing, 5).is_none());
    }

    /// The batch as the sampler drew it before augmentation existed (the
    /// code of `ExcerptSampler::batch` then), for comparison.
    fn batch_before_augmentation(
        sampler: &ExcerptSampler,
        rng: &mut StdRng,
        batch: usize,
    ) -> (Vec<f32>, Vec<f32>) {
        let len = sampler.excerpt_samples();
        let mut waves = Vec::with_capacity(batch * len);
        let mut labels = Vec::with_capacity(batch);
        for _ in 0..batch {
            let k = rng.random_range(0..sampler.positions());
            let song = sampler.cumulative.partition_point(|&c| c <= k);
            let before = if song == 0 {
                0
            } else {
                sampler.cumulative[song - 1]
            };
            let start = k - before;
            let s = &sampler.songs[song];
            let offset = start * sampler.framing.hop;
            waves.extend_from_slice(&s.wave.samples()[offset..offset + len]);
            labels.push(s.labels[start + sampler.excerpt_frames / 2]);
        }
        (waves, labels)
    }

    #[test]
    fn without_augmentation_batches_are_those_drawn_before_it_existed() {
        let framing = Framing {
            frame_length: 8,
            hop: 4,
            sample_rate: 8000,
        };
        let dir = TestDir::new("excerpts-unchanged");
        let songs = vec![
            song(&dir, "a.f32", framing.samples_for(30), framing),
            song(&dir, "b.f32", framing.samples_for(12), framing),
            song(&dir, "c.f32", framing.samples_for(50), framing),
        ];
        let sampler = ExcerptSampler::new(&songs, framing, 7).unwrap();
        let mut old = StdRng::seed_from_u64(11);
        let mut new = StdRng::seed_from_u64(11);
        let mut augment = StdRng::seed_from_u64(12);
        for _ in 0..5 {
            let want = batch_before_augmentation(&sampler, &mut old, 32);
            let got = crate::augment::augmented_batch(
                &sampler,
                &crate::augment::AugmentConfig::default(),
                &mut new,
                &mut augment,
                32,
            );
            assert_eq!(got, want);
        }
    }
}
