//! Random training excerpts labelled by their centre frame (Schlüter & Grill,
//! ISMIR 2015).
//!
//! An excerpt is `excerpt_frames` consecutive frontend frames, i.e.
//! `frame_length + (excerpt_frames - 1) * hop` samples starting at a frame
//! boundary; its target is the label of frame `start + excerpt_frames / 2`.
//! Start positions are drawn uniformly over all valid positions of all songs
//! (so longer songs give proportionally more excerpts), from a host RNG that
//! the caller seeds per epoch — which is what makes a resumed run repeat the
//! same batches.

use rand::RngExt;
use rand::rngs::StdRng;

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

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;
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
        let (waves, labels) = sampler.batch(&mut rng, 50);
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
}
