//! Reading a signal at `factor` input samples per output sample: a speed
//! change that scales frequencies by `factor` and durations by `1 / factor`
//! (band-limited interpolation, J. O. Smith, "Digital Audio Resampling Home
//! Page", CCRMA, and Kaiser's window, as resampy's `kaiser_fast` family).
//!
//! Output sample `n` is the input at time `x = input_anchor + (n -
//! out_anchor) * factor`, interpolated with a Kaiser-windowed sinc whose
//! cutoff is `ROLLOFF * min(1, 1 / factor)` of the input's Nyquist frequency
//! (so that reading faster does not alias) and which spans
//! `ZERO_CROSSINGS` zero crossings on each side:
//!
//! ```text
//! y[n] = sum_k x[k] h(x - k),   h(t) = c sinc(c t) w(t / W),   W = ZERO_CROSSINGS / c
//! w(u) = I0(beta sqrt(1 - u^2)) / I0(beta)
//! ```
//!
//! The kernel is tabulated at `PHASES` fractional offsets per input sample
//! (the nearest is used: at most 1/1024 sample of timing error, -53 dB at
//! 8 kHz), each row normalised to unit sum (exact DC gain). Tables are
//! built once per process: for factors above 1 the cutoff is that of the
//! factor rounded up to a multiple of `1 / FACTOR_STEPS` (at most 1.6 %
//! lower, never aliasing). The anchors map onto each other exactly, which
//! is what keeps a label's time in place.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use super::dot::dot;

/// Zero crossings of the sinc on each side of the kernel's centre.
pub const ZERO_CROSSINGS: f64 = 10.0;
/// Cutoff as a fraction of the lower of the input's and output's Nyquist frequency.
pub const ROLLOFF: f64 = 0.9;
/// Kaiser window shape (about 70 dB stopband attenuation).
pub const KAISER_BETA: f64 = 7.0;
/// Tabulated fractional offsets per input sample.
pub const PHASES: usize = 512;
/// Kernels for factors above 1 are designed for the factor rounded up to a
/// multiple of `1 / FACTOR_STEPS`.
pub const FACTOR_STEPS: f64 = 64.0;

/// A tabulated kernel: `PHASES` rows of `taps` coefficients; row `m` is
/// for fractional offset `m / PHASES`, tap `j` for input sample
/// `floor(x) - taps/2 + 1 + j`.
#[derive(Debug)]
struct Kernel {
    taps: usize,
    table: Vec<f32>,
}

/// A windowed-sinc interpolator for one factor.
#[derive(Debug, Clone)]
pub struct Resampler {
    factor: f64,
    kernel: Arc<Kernel>,
}

/// The modified Bessel function of the first kind of order 0, by its power series.
fn bessel_i0(x: f64) -> f64 {
    let (mut sum, mut term, mut k) = (1.0, 1.0, 1.0);
    while term > 1e-15 * sum {
        term *= (x / (2.0 * k)).powi(2);
        sum += term;
        k += 1.0;
    }
    sum
}

impl Kernel {
    /// The kernel with cutoff `ROLLOFF * min(1, 1 / factor)`.
    fn new(factor: f64) -> Self {
        let cutoff = ROLLOFF * factor.recip().min(1.0);
        let half_width = ZERO_CROSSINGS / cutoff;
        let taps = 2 * half_width.ceil() as usize;
        let norm = bessel_i0(KAISER_BETA);
        let mut table = Vec::with_capacity(PHASES * taps);
        let mut row = vec![0.0f64; taps];
        for m in 0..PHASES {
            for (j, h) in row.iter_mut().enumerate() {
                let t = m as f64 / PHASES as f64 + (taps / 2) as f64 - 1.0 - j as f64;
                let u = t / half_width;
                *h = if u.abs() >= 1.0 {
                    0.0
                } else {
                    let arg = std::f64::consts::PI * cutoff * t;
                    let sinc = if arg == 0.0 { 1.0 } else { arg.sin() / arg };
                    cutoff * sinc * bessel_i0(KAISER_BETA * (1.0 - u * u).sqrt()) / norm
                };
            }
            let sum: f64 = row.iter().sum();
            table.extend(row.iter().map(|h| (h / sum) as f32));
        }
        Self { taps, table }
    }

    /// The shared kernel for `factor`, built on first use.
    fn shared(factor: f64) -> Arc<Self> {
        static KERNELS: Mutex<BTreeMap<u64, Arc<Kernel>>> = Mutex::new(BTreeMap::new());
        let step = if factor <= 1.0 {
            0
        } else {
            ((factor - 1.0) * FACTOR_STEPS).ceil() as u64
        };
        let mut kernels = KERNELS.lock().unwrap_or_else(|e| e.into_inner());
        kernels
            .entry(step)
            .or_insert_with(|| Arc::new(Kernel::new(1.0 + step as f64 / FACTOR_STEPS)))
            .clone()
    }
}

impl Resampler {
    /// An interpolator reading `factor` (> 0) input samples per output sample.
    pub fn new(factor: f64) -> Self {
        Self {
            factor,
            kernel: Kernel::shared(factor),
        }
    }

    /// Input samples needed before the input anchor and from it on (the
    /// anchor included) to produce `before` output samples before the output
    /// anchor and `after` from it on.
    pub fn input_span(&self, before: usize, after: usize) -> (usize, usize) {
        let half = (self.kernel.taps / 2) as isize;
        // One more sample each side: the nearest phase may round up.
        let first = (-(before as f64) * self.factor).floor() as isize - half;
        let last = ((after.max(1) - 1) as f64 * self.factor).floor() as isize + half + 1;
        ((-first).max(0) as usize, (last + 1).max(0) as usize)
    }

    /// Fills `out`, whose sample `out_anchor` lies at `input[input_anchor]`;
    /// `input` must hold [`Self::input_span`] around its anchor.
    pub fn run(&self, input: &[f32], input_anchor: usize, out: &mut [f32], out_anchor: usize) {
        let Kernel { taps, table } = &*self.kernel;
        let half = (taps / 2) as isize;
        for (n, y) in out.iter_mut().enumerate() {
            let x = (n as f64 - out_anchor as f64) * self.factor;
            let scaled = (x * PHASES as f64).round() as isize;
            let (whole, row) = (
                scaled.div_euclid(PHASES as isize),
                scaled.rem_euclid(PHASES as isize) as usize,
            );
            let first = (input_anchor as isize + whole - (half - 1)) as usize;
            *y = dot(
                &table[row * taps..(row + 1) * taps],
                &input[first..first + taps],
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::augment::test_signals::{sine, zero_crossing_frequency};

    /// Resamples `input` (anchor in its middle) into `len` samples.
    fn resample(input: &[f32], factor: f64, len: usize) -> Vec<f32> {
        let r = Resampler::new(factor);
        let (before, after) = r.input_span(len / 2, len - len / 2);
        let anchor = input.len() / 2;
        assert!(before <= anchor && after <= input.len() - anchor);
        let mut out = vec![0.0; len];
        r.run(input, anchor, &mut out, len / 2);
        out
    }

    #[test]
    fn a_sine_of_f_becomes_one_of_factor_times_f_with_its_amplitude() {
        let sr = 22050.0;
        let input = sine(440.0, sr, 80_000, 0.5);
        for factor in [0.7, 0.9, 1.0, 1.13, 1.3, 1.69] {
            let out = resample(&input, factor, 30_000);
            let f = zero_crossing_frequency(&out, sr);
            assert!(
                (f / (440.0 * factor) - 1.0).abs() < 1e-4,
                "factor {factor}: {f} Hz"
            );
            let peak = out.iter().fold(0.0f32, |m, v| m.max(v.abs()));
            assert!(
                (peak - 0.5).abs() < 0.005,
                "factor {factor}: amplitude {peak}"
            );
        }
    }

    #[test]
    fn the_anchor_stays_in_place() {
        // A click at the input anchor lands on the output anchor.
        let mut input = vec![0.0f32; 4001];
        input[2000] = 1.0;
        for factor in [0.75, 1.0, 1.25] {
            let out = resample(&input, factor, 1000);
            let peak = (0..out.len())
                .max_by(|&a, &b| out[a].total_cmp(&out[b]))
                .unwrap();
            assert_eq!(peak, 500, "factor {factor}");
        }
    }

    #[test]
    fn reading_faster_filters_what_would_alias() {
        // 9 kHz at 22,050 Hz read 1.5x faster would be 13.5 kHz, above
        // Nyquist: it is removed instead of folding down to 8.55 kHz.
        let input = sine(9000.0, 22050.0, 40_000, 1.0);
        let out = resample(&input, 1.5, 10_000);
        let rms = (out.iter().map(|v| v * v).sum::<f32>() / out.len() as f32).sqrt();
        assert!(rms < 1e-3, "rms {rms}");
    }

    #[test]
    fn bessel_i0_matches_known_values() {
        // Abramowitz & Stegun table 9.8: I0(1) = 1.266065878, I0(7) = 168.5939085.
        assert!((bessel_i0(0.0) - 1.0).abs() < 1e-15);
        assert!((bessel_i0(1.0) - 1.266_065_878).abs() < 1e-9);
        assert!((bessel_i0(7.0) / 168.593_908_5 - 1.0).abs() < 1e-9);
    }
}
