//! What a training sampler hands out: the positions of excerpts, the source
//! audio around them, and their labels — the one interface that
//! [`crate::augment`] uses for both tasks.
//!
//! A [`Position`] names an item (a song, a clip) and the first sample of the
//! excerpt the network would see without augmentation. [`ExcerptSource::read`]
//! reads any span of the item relative to that start, with zeros beyond the
//! item's ends, so that a time-scaling augmentation can read the longer (or
//! shorter) source span centred on the same sample. [`ExcerptSource::anchor`]
//! is the sample of the excerpt whose time the label describes (singing
//! voice: the centre of the labelled centre frame; tagging: the chunk's
//! middle); time scaling keeps it in place.
//!
//! [`plain_batch`] is the batch without augmentation: draw a position, read
//! the excerpt, take its label, in that order for each example.

use rand::rngs::StdRng;

/// Where an excerpt lies: its item and the start sample of its unaugmented span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Index of the song or clip.
    pub item: usize,
    /// First sample of the excerpt in the item (it may reach past the item's
    /// end, where the item reads as zeros).
    pub start: usize,
}

/// A sampler of labelled training excerpts.
pub trait ExcerptSource: Sync {
    /// Samples of one excerpt as the network sees it.
    fn excerpt_samples(&self) -> usize;

    /// The sample of an excerpt whose time its label describes (in `0..excerpt_samples()`).
    fn anchor(&self) -> usize;

    /// Sample rate of the items in Hz.
    fn sample_rate(&self) -> u32;

    /// Draws the position of one excerpt.
    fn draw(&self, rng: &mut StdRng) -> Position;

    /// Fills `out` with samples `position.start + from ..` of the item, zero
    /// outside the item.
    fn read(&self, position: Position, from: isize, out: &mut [f32]);

    /// The excerpt's targets (singing voice: one label; tagging: one per tag).
    fn label(&self, position: Position) -> &[f32];
}

/// `out[i] = samples[start + i]`, zero where that index is outside `samples`.
pub fn read_padded(samples: &[f32], start: isize, out: &mut [f32]) {
    let len = samples.len() as isize;
    let end = start + out.len() as isize;
    let (lo, hi) = (start.clamp(0, len), end.clamp(0, len));
    let skip = (lo - start).clamp(0, out.len() as isize) as usize;
    let copied = (hi - lo).max(0) as usize;
    out[..skip].fill(0.0);
    out[skip..skip + copied].copy_from_slice(&samples[lo as usize..lo as usize + copied]);
    out[skip + copied..].fill(0.0);
}

/// A batch without augmentation: waveforms row-major `[batch, excerpt_samples]`
/// and targets `[batch, outputs]`, one position drawn per example from `rng`.
pub fn plain_batch(
    source: &dyn ExcerptSource,
    rng: &mut StdRng,
    batch: usize,
) -> (Vec<f32>, Vec<f32>) {
    let len = source.excerpt_samples();
    let mut waves = vec![0.0; batch * len];
    let mut targets = Vec::new();
    for row in waves.chunks_exact_mut(len) {
        let position = source.draw(rng);
        source.read(position, 0, row);
        targets.extend_from_slice(source.label(position));
    }
    (waves, targets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_padded_with_zeros_on_both_sides() {
        let s = [1.0, 2.0, 3.0];
        let read = |start: isize, n: usize| {
            let mut out = vec![9.0; n];
            read_padded(&s, start, &mut out);
            out
        };
        assert_eq!(read(0, 3), vec![1.0, 2.0, 3.0]);
        assert_eq!(read(-2, 4), vec![0.0, 0.0, 1.0, 2.0]);
        assert_eq!(read(1, 4), vec![2.0, 3.0, 0.0, 0.0]);
        assert_eq!(read(-1, 6), vec![0.0, 1.0, 2.0, 3.0, 0.0, 0.0]);
        assert_eq!(read(5, 2), vec![0.0, 0.0]);
        assert_eq!(read(-5, 2), vec![0.0, 0.0]);
        assert_eq!(read(0, 0), Vec::<f32>::new());
    }
}
