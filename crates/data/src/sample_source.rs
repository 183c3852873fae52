//! Mono samples at a fixed rate, read front to back a block at a time: what
//! the streaming consumers (prediction, features) pull from, whether the
//! samples come from an audio file decoded and resampled on the fly
//! ([`crate::AudioStream`]), from a cached waveform read through its file
//! ([`crate::WaveformReader`]) or from memory ([`SliceSource`]). Every kind
//! gives the same samples as the whole signal; only the block sizes differ,
//! and a consumer's results must not depend on them.

use crate::error::Result;

/// A stream of mono samples.
pub trait SampleSource {
    /// Sample rate in Hz.
    fn sample_rate(&self) -> u32;

    /// Appends the next samples to `out` (possibly none); `Ok(false)` once
    /// the source is exhausted (then nothing was appended).
    fn read(&mut self, out: &mut Vec<f32>) -> Result<bool>;
}

/// Samples in memory, handed out `block` at a time.
pub struct SliceSource<'a> {
    samples: &'a [f32],
    sample_rate: u32,
    block: usize,
}

impl<'a> SliceSource<'a> {
    /// `samples` at `sample_rate` Hz in blocks of `block` samples (at least 1).
    pub fn new(samples: &'a [f32], sample_rate: u32, block: usize) -> Self {
        Self {
            samples,
            sample_rate,
            block: block.max(1),
        }
    }
}

impl SampleSource for SliceSource<'_> {
    fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    fn read(&mut self, out: &mut Vec<f32>) -> Result<bool> {
        if self.samples.is_empty() {
            return Ok(false);
        }
        let n = self.block.min(self.samples.len());
        out.extend_from_slice(&self.samples[..n]);
        self.samples = &self.samples[n..];
        Ok(true)
    }
}

/// Reads `source` to its end (for tests and small signals).
pub fn read_all(source: &mut dyn SampleSource) -> Result<Vec<f32>> {
    let mut out = Vec::new();
    while source.read(&mut out)? {}
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slice_comes_back_whole_in_blocks() {
        let x: Vec<f32> = (0..10).map(|i| i as f32).collect();
        let mut source = SliceSource::new(&x, 8000, 3);
        let mut first = Vec::new();
        assert!(source.read(&mut first).unwrap());
        assert_eq!(first, [0.0, 1.0, 2.0]);
        let rest = read_all(&mut source).unwrap();
        assert_eq!(rest, x[3..]);
        assert!(!source.read(&mut first).unwrap());
        assert_eq!(source.sample_rate(), 8000);
    }
}
