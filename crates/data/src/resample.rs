//! Sample-rate conversion of a mono signal with rubato's FFT resampler.
//!
//! For rates `from` and `to` with greatest common divisor `g`, rubato's
//! synchronous resampler (`rubato::Fft`) turns blocks of `n·from/g` input
//! samples into `n·to/g` output samples by overlap-add FFT convolution with a
//! windowed-sinc low-pass (Blackman–Harris² window, as long as the input
//! block; cutoff from rubato's `calculate_cutoff`, relative to the lower of
//! the two Nyquist frequencies) and zero-padding or truncating the spectrum.
//! `n` is even and the blocks hold at least [`MIN_BLOCK`] input samples, so
//! the filter has at least that many taps and its delay is a whole number of
//! samples on both sides; rubato removes exactly that delay. Thus output
//! sample `j` is the band-limited input evaluated at time `j / to` seconds,
//! with no fractional shift, and the output has exactly
//! `round(len * to / from)` samples (halves round up). Within about half a
//! block of either end the filter sees the implicit zeros outside the
//! signal.
//!
//! [`Resampler`] does this as a stream, a block of input at a time, with
//! the same calls to rubato in the same order as rubato's whole-clip
//! `process_all` (full blocks, the last partial block padded with zeros,
//! then blocks of silence until the delay is flushed), so that streaming a
//! signal in blocks of any size gives the same samples, bit for bit, as
//! [`resample`] on the whole of it (tested against `process_all` itself).
//!
//! (rubato's asynchronous sinc resampler was not used: its delay
//! compensation is rounded to whole output samples, leaving the output up to
//! one sample early.)

use std::path::{Path, PathBuf};

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Indexing, Resampler as _, WindowFunction};

use crate::error::{DataError, Result};

/// Largest accepted ratio between the two rates (either direction).
pub const MAX_RATIO: u32 = 256;

/// Smallest FFT block, in input samples (= the filter length).
pub const MIN_BLOCK: usize = 1024;

/// Resamples `samples` from `from` Hz to `to` Hz; `path` names the source in
/// errors.
///
/// Returns a copy when `from == to`. Errors with
/// [`DataError::UnsupportedSampleRate`] when either rate is 0 or their ratio
/// exceeds [`MAX_RATIO`], and with [`DataError::Resample`] if rubato fails.
pub fn resample(samples: &[f32], from: u32, to: u32, path: &Path) -> Result<Vec<f32>> {
    let mut resampler = Resampler::new(from, to, path)?;
    let mut out = Vec::with_capacity(resampler.output_len(samples.len() as u64)? as usize);
    resampler.push(samples, &mut out)?;
    resampler.finish(&mut out)?;
    Ok(out)
}

/// A streaming resampler of a mono signal from one rate to another.
pub struct Resampler {
    path: PathBuf,
    from: u32,
    to: u32,
    /// `None` when the rates are equal (samples pass through).
    fft: Option<Fft<f32>>,
    /// Input samples per rubato call.
    block: usize,
    /// Input not yet handed to rubato (less than one block after a push).
    pending: Vec<f32>,
    /// rubato's output of one call.
    scratch: Vec<f32>,
    /// Output samples still to drop: rubato's delay.
    to_trim: usize,
    /// Input samples pushed so far.
    consumed: u64,
    /// Output samples produced (before trimming the delay).
    produced: u64,
    /// Output samples handed out.
    emitted: u64,
}

impl Resampler {
    /// A resampler from `from` Hz to `to` Hz; `path` names the source in
    /// errors (see [`resample`] for them).
    pub fn new(from: u32, to: u32, path: &Path) -> Result<Self> {
        let unsupported = |rate: u32, reason: String| DataError::UnsupportedSampleRate {
            path: path.to_owned(),
            rate,
            reason,
        };
        if from == 0 {
            return Err(unsupported(from, "the source rate is 0 Hz".into()));
        }
        if to == 0 {
            return Err(unsupported(to, "the target rate is 0 Hz".into()));
        }
        if u64::from(to) > u64::from(from) * u64::from(MAX_RATIO)
            || u64::from(from) > u64::from(to) * u64::from(MAX_RATIO)
        {
            return Err(unsupported(
                from,
                format!("resampling to {to} Hz is a ratio beyond 1:{MAX_RATIO}"),
            ));
        }
        let block = block_len(from, to);
        let (fft, to_trim, scratch) = if from == to {
            (None, 0, Vec::new())
        } else {
            let fft = Fft::<f32>::new_custom(
                from as usize,
                to as usize,
                block,
                1,
                1,
                WindowFunction::BlackmanHarris2,
                FixedSync::Input,
            )
            .map_err(|e| DataError::Resample {
                path: path.to_owned(),
                reason: e.to_string(),
            })?;
            let delay = fft.output_delay();
            let scratch = vec![0.0; fft.output_frames_max()];
            (Some(fft), delay, scratch)
        };
        Ok(Self {
            path: path.to_owned(),
            from,
            to,
            fft,
            block,
            pending: Vec::new(),
            scratch,
            to_trim,
            consumed: 0,
            produced: 0,
            emitted: 0,
        })
    }

    /// Output samples of an input of `len` samples: `round(len * to / from)`
    /// (halves round up).
    pub fn output_len(&self, len: u64) -> Result<u64> {
        let n = (u128::from(len) * u128::from(self.to) + u128::from(self.from) / 2)
            / u128::from(self.from);
        u64::try_from(n)
            .ok()
            .filter(|&n| usize::try_from(n).is_ok())
            .ok_or_else(|| DataError::UnsupportedSampleRate {
                path: self.path.clone(),
                rate: self.from,
                reason: format!("the output at {} Hz would be too long", self.to),
            })
    }

    /// Resamples the next `input` samples, appending what is ready to `out`.
    pub fn push(&mut self, input: &[f32], out: &mut Vec<f32>) -> Result<()> {
        self.consumed += input.len() as u64;
        if self.fft.is_none() {
            out.extend_from_slice(input);
            return Ok(());
        }
        let mut input = input;
        // Complete the pending block first, then whole blocks straight from the input.
        if !self.pending.is_empty() {
            let take = (self.block - self.pending.len()).min(input.len());
            self.pending.extend_from_slice(&input[..take]);
            input = &input[take..];
            if self.pending.len() < self.block {
                return Ok(());
            }
            let pending = std::mem::take(&mut self.pending);
            self.process(&pending, None, out)?;
            self.pending = pending;
            self.pending.clear();
        }
        while input.len() >= self.block {
            self.process(&input[..self.block], None, out)?;
            input = &input[self.block..];
        }
        self.pending.extend_from_slice(input);
        Ok(())
    }

    /// Ends the stream: flushes the last partial block and the filter's
    /// delay and appends the rest of the output, so that `out` received
    /// [`Resampler::output_len`] of the input samples in all.
    pub fn finish(mut self, out: &mut Vec<f32>) -> Result<()> {
        let total = self.output_len(self.consumed)?;
        if self.fft.is_some() && self.consumed > 0 {
            // As rubato's process_all: ceil(len * ratio) samples after the delay.
            let expected = (u128::from(self.consumed) * u128::from(self.to))
                .div_ceil(u128::from(self.from)) as u64;
            let delay = self.fft.as_ref().map_or(0, |f| f.output_delay()) as u64;
            if !self.pending.is_empty() {
                let pending = std::mem::take(&mut self.pending);
                self.process(&pending, Some(pending.len()), out)?;
            }
            while self.produced < expected + delay {
                self.process(&[], Some(0), out)?;
            }
        }
        // Everything emitted is at most `total` (see `process`); cut the rest.
        let excess = self.emitted.saturating_sub(total) as usize;
        out.truncate(out.len() - excess);
        Ok(())
    }

    /// One rubato call on `input` (a whole block, or `partial` samples of
    /// one), appending its output after the delay to `out`.
    fn process(&mut self, input: &[f32], partial: Option<usize>, out: &mut Vec<f32>) -> Result<()> {
        let failed = |e: &dyn std::fmt::Display| DataError::Resample {
            path: self.path.clone(),
            reason: e.to_string(),
        };
        let fft = self
            .fft
            .as_mut()
            .expect("process is only called when resampling");
        // rubato reads `partial` frames (a whole block without it).
        let frames = partial.unwrap_or(input.len()).max(1);
        let zero = [0.0f32];
        let data = if input.is_empty() { &zero[..] } else { input };
        let buffer_in =
            InterleavedSlice::new(data, 1, frames.min(data.len())).map_err(|e| failed(&e))?;
        let capacity = self.scratch.len();
        let mut buffer_out =
            InterleavedSlice::new_mut(&mut self.scratch, 1, capacity).map_err(|e| failed(&e))?;
        let mut indexing = Indexing::new();
        indexing.partial_len = partial;
        let (_, produced) = fft
            .process_into_buffer(&buffer_in, &mut buffer_out, Some(&indexing))
            .map_err(|e| failed(&e))?;
        self.produced += produced as u64;
        let skip = self.to_trim.min(produced);
        self.to_trim -= skip;
        out.extend_from_slice(&self.scratch[skip..produced]);
        self.emitted += (produced - skip) as u64;
        Ok(())
    }
}

/// FFT block length in input samples: an even multiple of `from / gcd`,
/// at least [`MIN_BLOCK`]. Even multiples make both block lengths even, so
/// the filter's delay is whole on both sides.
fn block_len(from: u32, to: u32) -> usize {
    let (mut a, mut b) = (from, to);
    while b != 0 {
        (a, b) = (b, a % b);
    }
    let unit = (from / a) as usize;
    2 * MIN_BLOCK.div_ceil(2 * unit) * unit
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    fn sine(freq: f64, rate: u32, len: usize) -> Vec<f32> {
        (0..len)
            .map(|i| (0.8 * (2.0 * PI * freq * i as f64 / f64::from(rate)).sin()) as f32)
            .collect()
    }

    /// Max abs error against the analytic sine, skipping `edge` samples
    /// at both ends.
    fn max_error(y: &[f32], freq: f64, rate: u32, edge: usize) -> f64 {
        let want = sine(freq, rate, y.len());
        y[edge..y.len() - edge]
            .iter()
            .zip(&want[edge..y.len() - edge])
            .map(|(a, b)| f64::from(a - b).abs())
            .fold(0.0, f64::max)
    }

    #[test]
    fn sine_matches_analytic_sine_at_new_rate() {
        let p = Path::new("sine.wav");
        for (from, to, freq) in [
            (44100, 22050, 440.0),
            (44100, 22050, 9000.0),
            (22050, 44100, 1234.5),
            (22050, 44100, 10000.0),
            (44100, 16000, 3000.0),
            (48000, 44100, 997.0),
            (8000, 22050, 300.0),
        ] {
            let x = sine(freq, from, from as usize); // 1 s
            let y = resample(&x, from, to, p).unwrap();
            assert_eq!(y.len(), to as usize, "{from}->{to}");
            // The filter reaches half a block each way.
            let reach = block_len(from, to) / 2 + 64;
            let edge = (reach as u64 * u64::from(to)).div_ceil(u64::from(from)) as usize;
            let err = max_error(&y, freq, to, edge);
            // Typically ~1e-6 (f32 rounding); the requirement is 1e-2.
            assert!(err < 1e-4, "{from}->{to} at {freq} Hz: max error {err}");
        }
    }

    #[test]
    fn output_length_is_rounded_exactly() {
        let p = Path::new("x.wav");
        for len in [1usize, 2, 3, 7, 1023, 1024, 1025, 4097, 10_001] {
            for (from, to) in [(44100u32, 22050u32), (22050, 44100), (44100, 16000), (3, 2)] {
                let x = vec![0.1f32; len];
                let y = resample(&x, from, to, p).unwrap();
                let exact = len as f64 * f64::from(to) / f64::from(from);
                let want = (exact + 0.5).floor() as usize;
                assert_eq!(y.len(), want, "len {len}, {from}->{to}");
            }
        }
    }

    #[test]
    fn impulse_is_not_shifted() {
        // A band-limited bump at t = 0.25 s must stay at 0.25 s.
        let (from, to) = (16000u32, 24000u32);
        let x: Vec<f32> = (0..from as usize)
            .map(|i| {
                let t = i as f64 / f64::from(from) - 0.25;
                (-(t * 400.0).powi(2)).exp() as f32
            })
            .collect();
        let y = resample(&x, from, to, Path::new("b.wav")).unwrap();
        let peak = y
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .unwrap()
            .0;
        assert_eq!(peak, to as usize / 4);
    }

    #[test]
    fn content_above_the_new_nyquist_is_removed() {
        let x = sine(15000.0, 44100, 44100);
        let y = resample(&x, 44100, 22050, Path::new("a.wav")).unwrap();
        let edge = block_len(44100, 22050);
        let peak = y[edge..y.len() - edge]
            .iter()
            .fold(0f32, |m, v| m.max(v.abs()));
        assert!(peak < 1e-4, "15 kHz leaks through at {peak}");
    }

    /// rubato's own whole-clip resampling, as this module did before it
    /// streamed: `process_all`, then the length rounded.
    fn process_all(samples: &[f32], from: u32, to: u32) -> Vec<f32> {
        let mut fft = Fft::<f32>::new_custom(
            from as usize,
            to as usize,
            block_len(from, to),
            1,
            1,
            WindowFunction::BlackmanHarris2,
            FixedSync::Input,
        )
        .unwrap();
        let input = InterleavedSlice::new(samples, 1, samples.len()).unwrap();
        let mut out = fft
            .process_all(&input, samples.len(), None)
            .unwrap()
            .take_data();
        let n = (samples.len() as u64 * u64::from(to) + u64::from(from) / 2) / u64::from(from);
        out.resize(n as usize, 0.0);
        out
    }

    /// A deterministic noisy test signal.
    fn noise(len: usize, seed: u32) -> Vec<f32> {
        let mut state = seed.wrapping_mul(2_654_435_761).max(1);
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                (state as f32 / u32::MAX as f32) - 0.5
            })
            .collect()
    }

    #[test]
    fn whole_signal_equals_rubatos_process_all_bit_for_bit() {
        for (from, to) in [
            (44100u32, 22050u32),
            (22050, 44100),
            (44100, 16000),
            (48000, 22050),
        ] {
            let block = block_len(from, to);
            for len in [
                1,
                5,
                block - 1,
                block,
                block + 1,
                3 * block,
                3 * block + 17,
                20_011,
            ] {
                let x = noise(len, len as u32 + from);
                let ours = resample(&x, from, to, Path::new("n.wav")).unwrap();
                assert_eq!(
                    ours,
                    process_all(&x, from, to),
                    "{from}->{to}, {len} samples"
                );
            }
        }
    }

    #[test]
    fn streaming_in_blocks_of_any_size_equals_the_whole_signal() {
        let p = Path::new("s.wav");
        for (from, to) in [(44100u32, 22050u32), (8000, 22050), (44100, 44100)] {
            let x = noise(30_001, from);
            let whole = resample(&x, from, to, p).unwrap();
            for sizes in [&[1usize][..], &[7, 1000, 3], &[4096], &[2047, 2049, 1]] {
                let mut r = Resampler::new(from, to, p).unwrap();
                let mut streamed = Vec::new();
                let mut rest = &x[..];
                let mut i = 0;
                while !rest.is_empty() {
                    let n = sizes[i % sizes.len()].min(rest.len());
                    // Each push gets a fresh buffer, as a streaming reader's.
                    let mut out = Vec::new();
                    r.push(&rest[..n], &mut out).unwrap();
                    streamed.extend(out);
                    rest = &rest[n..];
                    i += 1;
                }
                let mut out = Vec::new();
                r.finish(&mut out).unwrap();
                streamed.extend(out);
                assert_eq!(streamed, whole, "{from}->{to} in blocks of {sizes:?}");
            }
        }
    }

    #[test]
    fn identity_and_empty() {
        let x = vec![0.5f32, -0.25, 0.125];
        assert_eq!(resample(&x, 22050, 22050, Path::new("a")).unwrap(), x);
        assert!(
            resample(&[], 44100, 22050, Path::new("a"))
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn bad_rates_are_errors() {
        let p = Path::new("song.ogg");
        let x = vec![0.0f32; 10];
        for (from, to) in [(0, 22050), (22050, 0), (1, 22050), (44100, 100)] {
            let err = resample(&x, from, to, p).unwrap_err();
            assert!(
                matches!(&err, DataError::UnsupportedSampleRate { path, .. } if path == p),
                "{from}->{to}: {err}"
            );
        }
    }
}
