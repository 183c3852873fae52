//! Random frequency filtering: a peaking equaliser biquad from R. Bristow-
//! Johnson's "Cookbook formulae for audio EQ biquad filter coefficients"
//! (the Audio EQ Cookbook, W3C note 2021, "peakingEQ"):
//!
//! ```text
//! A = 10^(gain_db / 40),  w0 = 2 pi f0 / fs,
//! alpha = sin(w0) sinh( ln(2)/2 * BW * w0 / sin(w0) )      (BW in octaves)
//! b = [1 + alpha A, -2 cos w0, 1 - alpha A],  a = [1 + alpha / A, -2 cos w0, 1 - alpha / A]
//! ```
//!
//! Its magnitude response is exactly `gain_db` at `f0` and 0 dB at 0 and
//! at Nyquist. Schlüter & Grill (ISMIR 2015) filter the spectrogram with a
//! random Gaussian bump in dB on the mel scale; on the waveform, a peaking
//! filter of random centre, bandwidth and gain does the same job in O(n)
//! (what is drawn: [`super::params`]). The filter runs in f64, transposed
//! direct form II, over a pre-roll before the excerpt so that its start
//! transient falls outside the excerpt.

/// A peaking filter's design parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Peaking {
    /// Centre frequency in Hz.
    pub centre_hz: f64,
    /// Gain at the centre in dB.
    pub gain_db: f64,
    /// Bandwidth in octaves (the cookbook's `BW`).
    pub bandwidth_octaves: f64,
}

/// Biquad coefficients normalised by `a0`: `[b0, b1, b2]`, `[1, a1, a2]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Biquad {
    /// Feed-forward coefficients.
    pub b: [f64; 3],
    /// Feedback coefficients, `a[0] = 1`.
    pub a: [f64; 3],
}

impl Peaking {
    /// The cookbook coefficients at `sample_rate`.
    pub fn biquad(&self, sample_rate: u32) -> Biquad {
        let amplitude = 10f64.powf(self.gain_db / 40.0);
        let w0 = 2.0 * std::f64::consts::PI * self.centre_hz / f64::from(sample_rate);
        let (sin, cos) = w0.sin_cos();
        let alpha = sin * (std::f64::consts::LN_2 / 2.0 * self.bandwidth_octaves * w0 / sin).sinh();
        let a0 = 1.0 + alpha / amplitude;
        Biquad {
            b: [
                (1.0 + alpha * amplitude) / a0,
                -2.0 * cos / a0,
                (1.0 - alpha * amplitude) / a0,
            ],
            a: [1.0, -2.0 * cos / a0, (1.0 - alpha / amplitude) / a0],
        }
    }
}

impl Biquad {
    /// Filters `samples` in place from a zero state.
    pub fn apply(&self, samples: &mut [f32]) {
        let [b0, b1, b2] = self.b;
        let [_, a1, a2] = self.a;
        let (mut s1, mut s2) = (0.0f64, 0.0f64);
        for x in samples {
            let input = f64::from(*x);
            let y = b0 * input + s1;
            s1 = b1 * input - a1 * y + s2;
            s2 = b2 * input - a2 * y;
            *x = y as f32;
        }
    }

    /// Magnitude response `|H(e^{j w})|` at `hz`.
    pub fn magnitude(&self, hz: f64, sample_rate: u32) -> f64 {
        let w = 2.0 * std::f64::consts::PI * hz / f64::from(sample_rate);
        let eval = |c: [f64; 3]| {
            let re = c[0] + c[1] * w.cos() + c[2] * (2.0 * w).cos();
            let im = -c[1] * w.sin() - c[2] * (2.0 * w).sin();
            re.hypot(im)
        };
        eval(self.b) / eval(self.a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `fixtures/peaking_scipy.json`, made by `fixtures/make_peaking.py`.
    #[derive(serde::Deserialize)]
    struct Case {
        sample_rate: u32,
        centre_hz: f64,
        gain_db: f64,
        bandwidth_octaves: f64,
        b: [f64; 3],
        a: [f64; 3],
        freqs_hz: Vec<f64>,
        magnitude_db: Vec<f64>,
    }

    #[derive(serde::Deserialize)]
    struct Fixture {
        cases: Vec<Case>,
    }

    /// The biquad of a fixture case's design.
    fn biquad_of(c: &Case) -> Biquad {
        Peaking {
            centre_hz: c.centre_hz,
            gain_db: c.gain_db,
            bandwidth_octaves: c.bandwidth_octaves,
        }
        .biquad(c.sample_rate)
    }

    fn cases() -> Vec<Case> {
        let text = include_str!("../../fixtures/peaking_scipy.json");
        serde_json::from_str::<Fixture>(text).unwrap().cases
    }

    #[test]
    fn coefficients_and_response_match_scipy() {
        for c in cases() {
            let q = biquad_of(&c);
            for i in 0..3 {
                assert!(
                    (q.b[i] - c.b[i]).abs() < 1e-12,
                    "b{i}: {:?} vs {:?}",
                    q.b,
                    c.b
                );
                assert!(
                    (q.a[i] - c.a[i]).abs() < 1e-12,
                    "a{i}: {:?} vs {:?}",
                    q.a,
                    c.a
                );
            }
            for (&f, &want) in c.freqs_hz.iter().zip(&c.magnitude_db) {
                let got = 20.0 * q.magnitude(f, c.sample_rate).log10();
                assert!((got - want).abs() < 1e-9, "{f} Hz: {got} vs scipy {want}");
            }
            // The centre frequency (the fixture's first) has exactly the drawn gain.
            assert_eq!(c.freqs_hz[0], c.centre_hz);
            assert!((c.magnitude_db[0] - c.gain_db).abs() < 1e-9);
        }
    }

    /// The filter as run on samples has the response scipy computed: a
    /// sine's steady-state amplitude after filtering.
    #[test]
    fn filtering_a_sine_scales_it_by_the_response() {
        for c in cases() {
            let q = biquad_of(&c);
            for (&f, &want_db) in c.freqs_hz.iter().zip(&c.magnitude_db) {
                let n = c.sample_rate as usize * 2;
                let w = 2.0 * std::f64::consts::PI * f / f64::from(c.sample_rate);
                let mut x: Vec<f32> = (0..n).map(|i| (w * i as f64).sin() as f32).collect();
                q.apply(&mut x);
                // Amplitude over the second second, by a least-squares fit of sin and cos.
                let (mut ss, mut sc, mut cc, mut xs, mut xc) = (0.0, 0.0, 0.0, 0.0, 0.0);
                for (i, &v) in x.iter().enumerate().skip(n / 2) {
                    let (si, ci) = (w * i as f64).sin_cos();
                    (ss, sc, cc) = (ss + si * si, sc + si * ci, cc + ci * ci);
                    (xs, xc) = (xs + f64::from(v) * si, xc + f64::from(v) * ci);
                }
                let det = ss * cc - sc * sc;
                let amplitude = ((xs * cc - xc * sc) / det).hypot((xc * ss - xs * sc) / det);
                let got_db = 20.0 * amplitude.log10();
                assert!(
                    (got_db - want_db).abs() < 0.01,
                    "{f} Hz: {got_db:.4} dB filtered vs scipy {want_db:.4} dB"
                );
            }
        }
    }
}
