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
//! (rubato's asynchronous sinc resampler was not used: its delay
//! compensation is rounded to whole output samples, leaving the output up to
//! one sample early.)

use std::path::Path;

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Resampler, WindowFunction};

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
    if from == to {
        return Ok(samples.to_vec());
    }
    if u64::from(to) > u64::from(from) * u64::from(MAX_RATIO)
        || u64::from(from) > u64::from(to) * u64::from(MAX_RATIO)
    {
        return Err(unsupported(
            from,
            format!("resampling to {to} Hz is a ratio beyond 1:{MAX_RATIO}"),
        ));
    }
    let out_len = usize::try_from(
        (samples.len() as u128 * u128::from(to) + u128::from(from) / 2) / u128::from(from),
    )
    .map_err(|_| unsupported(from, format!("the output at {to} Hz would be too long")))?;
    if samples.is_empty() {
        return Ok(Vec::new());
    }
    let failed = |e: &dyn std::fmt::Display| DataError::Resample {
        path: path.to_owned(),
        reason: e.to_string(),
    };
    let block = block_len(from, to);
    let mut resampler = Fft::<f32>::new_custom(
        from as usize,
        to as usize,
        block,
        1,
        1,
        WindowFunction::BlackmanHarris2,
        FixedSync::Input,
    )
    .map_err(|e| failed(&e))?;
    let input = InterleavedSlice::new(samples, 1, samples.len()).map_err(|e| failed(&e))?;
    let output = resampler
        .process_all(&input, samples.len(), None)
        .map_err(|e| failed(&e))?;
    let mut out = output.take_data();
    // process_all yields ceil(len * ratio) frames; round() is at most that.
    out.resize(out_len, 0.0);
    Ok(out)
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
