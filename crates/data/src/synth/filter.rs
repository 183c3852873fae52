//! Recursive filters for the synthesiser: the RBJ "Audio EQ Cookbook"
//! biquads (R. Bristow-Johnson) in transposed direct form II, the formant
//! resonator of Klatt's cascade synthesiser (D. H. Klatt, "Software for a
//! cascade/parallel formant synthesizer", JASA 67(3), 1980) and a one-pole
//! smoother.

use std::f64::consts::{PI, TAU};

/// A second-order IIR section, `y = (b0 + b1 z⁻¹ + b2 z⁻²) / (1 + a1 z⁻¹ + a2 z⁻²) x`.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Biquad {
    b0: f32,
    b1: f32,
    b2: f32,
    a1: f32,
    a2: f32,
    z1: f32,
    z2: f32,
}

impl Biquad {
    fn from_coeffs(b: [f64; 3], a: [f64; 3]) -> Self {
        Biquad {
            b0: (b[0] / a[0]) as f32,
            b1: (b[1] / a[0]) as f32,
            b2: (b[2] / a[0]) as f32,
            a1: (a[1] / a[0]) as f32,
            a2: (a[2] / a[0]) as f32,
            z1: 0.0,
            z2: 0.0,
        }
    }

    /// `(cos ω, α)` for centre `freq` and quality `q`, the frequency clamped
    /// below Nyquist.
    fn omega(freq: f64, q: f64, sr: f64) -> (f64, f64) {
        let w = TAU * freq.clamp(1.0, 0.49 * sr) / sr;
        (w.cos(), w.sin() / (2.0 * q))
    }

    pub(crate) fn lowpass(freq: f64, q: f64, sr: f64) -> Self {
        let (c, alpha) = Self::omega(freq, q, sr);
        Self::from_coeffs(
            [(1.0 - c) / 2.0, 1.0 - c, (1.0 - c) / 2.0],
            [1.0 + alpha, -2.0 * c, 1.0 - alpha],
        )
    }

    pub(crate) fn highpass(freq: f64, q: f64, sr: f64) -> Self {
        let (c, alpha) = Self::omega(freq, q, sr);
        Self::from_coeffs(
            [(1.0 + c) / 2.0, -(1.0 + c), (1.0 + c) / 2.0],
            [1.0 + alpha, -2.0 * c, 1.0 - alpha],
        )
    }

    /// Band-pass with 0 dB gain at the centre.
    pub(crate) fn bandpass(freq: f64, q: f64, sr: f64) -> Self {
        let (c, alpha) = Self::omega(freq, q, sr);
        Self::from_coeffs([alpha, 0.0, -alpha], [1.0 + alpha, -2.0 * c, 1.0 - alpha])
    }

    /// Peaking equaliser: `gain_db` at `freq`, 0 dB far from it.
    pub(crate) fn peaking(freq: f64, q: f64, gain_db: f64, sr: f64) -> Self {
        let (c, alpha) = Self::omega(freq, q, sr);
        let a = 10f64.powf(gain_db / 40.0);
        Self::from_coeffs(
            [1.0 + alpha * a, -2.0 * c, 1.0 - alpha * a],
            [1.0 + alpha / a, -2.0 * c, 1.0 - alpha / a],
        )
    }

    #[inline]
    pub(crate) fn process(&mut self, x: f32) -> f32 {
        let y = self.b0 * x + self.z1;
        self.z1 = self.b1 * x - self.a1 * y + self.z2;
        self.z2 = self.b2 * x - self.a2 * y;
        y
    }
}

/// Klatt's digital resonator: an all-pole section with unity gain at DC,
/// `y[n] = A x[n] + B y[n-1] + C y[n-2]`. Cascaded, such sections give a
/// vowel's formant envelope with the natural relative peak heights.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Resonator {
    a: f32,
    b: f32,
    c: f32,
    y1: f32,
    y2: f32,
}

impl Resonator {
    /// Retunes to centre `freq` and bandwidth `bw` (Hz), keeping the state so
    /// that formants can move smoothly.
    pub(crate) fn set(&mut self, freq: f32, bw: f32, sr: f32) {
        let t = 1.0 / f64::from(sr);
        let f = f64::from(freq).min(0.45 * f64::from(sr));
        let r = (-PI * f64::from(bw) * t).exp();
        let c = -r * r;
        let b = 2.0 * r * (TAU * f * t).cos();
        self.a = (1.0 - b - c) as f32;
        self.b = b as f32;
        self.c = c as f32;
    }

    #[inline]
    pub(crate) fn process(&mut self, x: f32) -> f32 {
        let y = self.a * x + self.b * self.y1 + self.c * self.y2;
        self.y2 = self.y1;
        self.y1 = y;
        y
    }
}

/// One-pole low-pass `y += k (x − y)` with cutoff `freq`.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct OnePole {
    k: f32,
    y: f32,
}

impl OnePole {
    pub(crate) fn new(freq: f64, sr: f64) -> Self {
        OnePole {
            k: (1.0 - (-TAU * freq / sr).exp()) as f32,
            y: 0.0,
        }
    }

    #[inline]
    pub(crate) fn process(&mut self, x: f32) -> f32 {
        self.y += self.k * (x - self.y);
        self.y
    }
}

/// The smoothing factor `1 − exp(−step / (τ·sr))` that makes a per-`step`
/// update `v += k (target − v)` approach its target with time constant `tau`
/// seconds.
pub(crate) fn smoothing(tau: f64, step: usize, sr: f64) -> f32 {
    (1.0 - (-(step as f64) / (tau.max(1e-4) * sr)).exp()) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Steady-state gain of a filter on a sine of `freq` Hz.
    fn gain(mut f: impl FnMut(f32) -> f32, freq: f64, sr: f64) -> f64 {
        let n = (sr * 0.5) as usize;
        let mut peak = 0.0f64;
        for i in 0..n {
            let y = f((TAU * freq * i as f64 / sr).sin() as f32);
            if i > n / 2 {
                peak = peak.max(f64::from(y.abs()));
            }
        }
        peak
    }

    #[test]
    fn biquads_pass_and_stop_where_they_should() {
        let sr = 44_100.0;
        let mut lp = Biquad::lowpass(1000.0, 0.707, sr);
        assert!(gain(|x| lp.process(x), 100.0, sr) > 0.95);
        let mut lp = Biquad::lowpass(1000.0, 0.707, sr);
        assert!(gain(|x| lp.process(x), 8000.0, sr) < 0.03);
        let mut hp = Biquad::highpass(1000.0, 0.707, sr);
        assert!(gain(|x| hp.process(x), 100.0, sr) < 0.03);
        let mut bp = Biquad::bandpass(2000.0, 2.0, sr);
        assert!((gain(|x| bp.process(x), 2000.0, sr) - 1.0).abs() < 0.02);
        let mut pk = Biquad::peaking(500.0, 1.0, 6.0, sr);
        assert!((gain(|x| pk.process(x), 500.0, sr) - 2.0).abs() < 0.05);
    }

    #[test]
    fn resonator_has_unit_dc_gain_and_a_peak() {
        let sr = 44_100.0f32;
        let mut r = Resonator::default();
        r.set(700.0, 80.0, sr);
        let mut y = 0.0;
        for _ in 0..20_000 {
            y = r.process(1.0);
        }
        assert!((y - 1.0).abs() < 1e-3);
        let mut r = Resonator::default();
        r.set(700.0, 80.0, sr);
        assert!(gain(|x| r.process(x), 700.0, f64::from(sr)) > 5.0);
    }
}
